using System.Collections.Immutable;

namespace RiskMesh.Scoring.Model;

/// <summary>Risk levels; insufficient-data is never read as low.</summary>
public enum RiskLevel
{
    /// <summary>Not enough recent data to judge.</summary>
    InsufficientData = 0,

    /// <summary>Level 1.</summary>
    Low = 1,

    /// <summary>Level 2.</summary>
    Moderate = 2,

    /// <summary>Level 3.</summary>
    High = 3,

    /// <summary>Level 4.</summary>
    VeryHigh = 4,
}

/// <summary>Direction of the score over the last week.</summary>
public enum Trend
{
    /// <summary>Too few days to tell.</summary>
    Unknown,

    /// <summary>Rising.</summary>
    Rising,

    /// <summary>Steady.</summary>
    Steady,

    /// <summary>Falling.</summary>
    Falling,
}

/// <summary>Names for levels and trends as the API shows them.</summary>
public static class RiskNames
{
    /// <summary>The level's API name.</summary>
    public static string Of(RiskLevel level) => level switch
    {
        RiskLevel.Low => "low",
        RiskLevel.Moderate => "moderate",
        RiskLevel.High => "high",
        RiskLevel.VeryHigh => "very-high",
        _ => "insufficient-data",
    };

    /// <summary>
    /// The level as prose says it ("very high", not the API's "very-high"), so an explanation reads as the notice
    /// summary beside it does.
    /// </summary>
    public static string Words(RiskLevel level) => level switch
    {
        RiskLevel.VeryHigh => "very high",
        RiskLevel.InsufficientData => "insufficient data",
        _ => Of(level),
    };

    /// <summary>The trend's API name.</summary>
    public static string Of(Trend trend) => trend switch
    {
        Trend.Rising => "rising",
        Trend.Steady => "steady",
        Trend.Falling => "falling",
        _ => "unknown",
    };

    /// <summary>Parses a level's API name.</summary>
    public static RiskLevel ParseLevel(string name) => name switch
    {
        "low" => RiskLevel.Low,
        "moderate" => RiskLevel.Moderate,
        "high" => RiskLevel.High,
        "very-high" => RiskLevel.VeryHigh,
        _ => RiskLevel.InsufficientData,
    };
}

/// <summary>One explained term of a score.</summary>
public sealed record ComponentResult(string Name, double? Value, string? Unit, double Normalized, double Weight, string Explanation)
{
    /// <summary>
    /// Points this component adds to the 0–100 score: weight × normalised × 100 for a weighted term; a floor (weight
    /// 0) sets it to the points it lifts the weighted sum by, so the contributions still add up to the score.
    /// </summary>
    public double Contribution { get; init; } = Math.Round(Weight * Normalized * 100, 2);

    /// <summary>
    /// True when the component's value is an assumption standing in for data nobody reported (an unknown testing
    /// capacity counted as a half gap), not evidence: it still counts (unknown is not safe), but a notice never names
    /// it as what drove a score (<c>Standing.DriversOf</c> lists it after the evidence) and its sentence says it is assumed.
    /// </summary>
    public bool Assumed { get; init; }

    /// <summary>The points a score floor lifts the evidence below it by (0 when the evidence already scores higher).</summary>
    public static double FloorLift(double floor, double below) => Math.Max(0, floor - below);

    /// <summary>
    /// A score floor as a component: weight 0, value the floor, contributing the points it lifts the evidence below it
    /// by (<see cref="FloorLift"/>), so the contributions still add up to the score. The value shown is rounded as other
    /// components' are: a floor computed by subtraction (a port's floor less one level) read 55.01649999999999.
    /// </summary>
    public static ComponentResult Floor(string name, string unit, double floor, double below, string explanation) =>
        new(name, Scales.Round(floor), unit, Scales.Round(floor / 100), 0, explanation) { Contribution = Math.Round(FloorLift(floor, below), 2) };
}

/// <summary>The reference classifications of a country.</summary>
public sealed record Classifications(string Ecdc, string CdcThn);

/// <summary>How far a score can be trusted.</summary>
/// <param name="Stale">True when the entity is insufficient-data: no report of its own within the stale horizon and nothing upstream to score it from.</param>
/// <param name="DaysSinceLastReport">Days since the entity's own last report, or null when it never reported.</param>
/// <param name="FlatSeries">A cumulative series unchanged for many days.</param>
/// <param name="Revised">A later report replaced an earlier value.</param>
/// <param name="MissingPopulation">No population, so rates are unknown.</param>
/// <param name="Notes">The sentences behind the flags.</param>
public sealed record DataQuality(bool Stale, int? DaysSinceLastReport, bool FlatSeries, bool Revised, bool MissingPopulation, ImmutableArray<string> Notes)
{
    /// <summary>True when the score rests on estimates (a port's nominal or carried-forward traffic) rather than current reports.</summary>
    public bool Estimated { get; init; }

    /// <summary>
    /// True when the entity's own last report is older than the stale horizon (or it never reported), also when it is
    /// still scored from upstream data (a city from its ports, a port from its exposure) and so not <see cref="Stale"/>.
    /// </summary>
    public bool NoRecentReport { get; init; }

    /// <summary>The flags that are set, by their names in <see cref="DataQualityFlags"/>, most serious first.</summary>
    public ImmutableArray<string> Flags => DataQualityFlags.Of(Stale, NoRecentReport, Estimated, FlatSeries, Revised, MissingPopulation);
}

/// <summary>The names of the data-quality flags, one home for the API, the CLI and the console.</summary>
public static class DataQualityFlags
{
    /// <summary>Insufficient data: nothing recent enough to score.</summary>
    public const string Stale = "stale";

    /// <summary>No report of its own within the stale horizon, though still scored from upstream data.</summary>
    public const string NoRecentReport = "no-recent-report";

    /// <summary>The score rests on estimated inputs (nominal or carried-forward traffic).</summary>
    public const string Estimated = "estimated";

    /// <summary>A cumulative series unchanged for many days.</summary>
    public const string FlatSeries = "flat-series";

    /// <summary>A later report replaced an earlier value.</summary>
    public const string Revised = "revised";

    /// <summary>No population.</summary>
    public const string MissingPopulation = "missing-population";

    /// <summary>The set flags in a fixed order, most serious first.</summary>
    public static ImmutableArray<string> Of(bool stale, bool noRecentReport, bool estimated, bool flatSeries, bool revised, bool missingPopulation)
    {
        var flags = ImmutableArray.CreateBuilder<string>();
        if (stale)
        {
            flags.Add(Stale);
        }
        else if (noRecentReport)
        {
            flags.Add(NoRecentReport);
        }

        if (estimated)
        {
            flags.Add(Estimated);
        }

        if (flatSeries)
        {
            flags.Add(FlatSeries);
        }

        if (revised)
        {
            flags.Add(Revised);
        }

        if (missingPopulation)
        {
            flags.Add(MissingPopulation);
        }

        return flags.ToImmutable();
    }
}

/// <summary>An entity's risk on one day.</summary>
public sealed record Assessment(
    int Day,
    double? Score,
    RiskLevel Level,
    ImmutableArray<ComponentResult> Components,
    ImmutableDictionary<string, double?> Metrics,
    Classifications? Classifications,
    DataQuality Quality)
{
    // The metrics as the model wrote them, until the dictionary is first read: most assessments (the values handed
    // downstream, escalation decisions, a trend's earlier days) read one metric or none, and building the dictionary
    // was a tenth of what an ingest allocated.
    private (string Name, double? Value)[]? _metricValues;
    private ImmutableDictionary<string, double?>? _metrics = Metrics;

    /// <summary>
    /// An assessment whose <see cref="Metrics"/> dictionary is made from <paramref name="metrics"/> (rounded, as
    /// <see cref="Scales.Metrics"/> makes it) only when first read; <see cref="MetricOrNull"/> reads one without it. The
    /// array becomes the assessment's: its values are rounded in place.
    /// </summary>
    public Assessment(int day, double? score, RiskLevel level, ImmutableArray<ComponentResult> components, (string Name, double? Value)[] metrics, Classifications? classifications, DataQuality quality)
        : this(day, score, level, components, (ImmutableDictionary<string, double?>)null!, classifications, quality)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        for (var i = 0; i < metrics.Length; i++)
        {
            metrics[i].Value = Scales.RoundMetric(metrics[i].Value);
        }

        _metricValues = metrics;
    }

    /// <summary>Key metrics by name.</summary>
    public ImmutableDictionary<string, double?> Metrics
    {
        get => _metrics ??= _metricValues!.ToImmutableDictionary(m => m.Name, m => m.Value);
        init
        {
            _metrics = value;
            _metricValues = null;
        }
    }

    /// <summary>One metric's value, or null when it is unknown or not among the metrics (as <c>Metrics.GetValueOrDefault</c>).</summary>
    public double? MetricOrNull(string name)
    {
        if (_metrics is { } metrics)
        {
            return metrics.GetValueOrDefault(name);
        }

        foreach (var (metric, value) in _metricValues!)
        {
            if (metric == name)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The date assessed.</summary>
    public DateOnly Date => DateOnly.FromDayNumber(Day);

    /// <summary>
    /// A country's infectious prevalence among its travellers (14-day incidence per person × ascertainment), for import
    /// pressure downstream.
    /// </summary>
    public double? PrevalencePerPerson { get; init; }

    /// <summary>A country's ascertainment factor in force (real infections per reported case).</summary>
    public double? Ascertainment { get; init; }

    /// <summary>
    /// For a country: the last day of its case windows (its 7-, 14- and 28-day cases and incidence), the day assessed or,
    /// while its feed pauses within the stale horizon, its last case report's (<see cref="CountryModel.ReadAsOf"/>); null
    /// for ports and cities.
    /// </summary>
    public int? CasesThrough { get; init; }

    /// <summary>
    /// A port's exposure floor: the score its expected infected arrivals alone justify (0 when none are expected), so
    /// its city can escalate on exposure before cases are found.
    /// </summary>
    public double? ExposureFloor { get; init; }

    /// <summary>
    /// The traffic a port's exposure was estimated from when none was reported in the last 7 days (its last reported
    /// traffic carried forward, or its nominal traffic); null when traffic was reported or nothing stood in for it.
    /// Numbers only: its city's note says which estimate its score rests on.
    /// </summary>
    public TrafficEstimate? TrafficEstimate { get; init; }

    /// <summary>
    /// A port's imported cases of the 14 days ending <see cref="ScoringOptions.CitySevereAfterImportDays"/> before the
    /// day, handed to its city with the day's value: the city compares its severe cases with them
    /// (<see cref="CityModel.ImportedBehindSevere"/>) without holding the port's earlier days. Not a metric: analysts read
    /// the city's sentence that names the window.
    /// </summary>
    public double? EarlierImportedCases14d { get; init; }
}

/// <summary>The traffic figure a port's exposure rests on when no traffic was reported in the last 7 days.</summary>
/// <param name="PerDay">Inbound travellers a day the estimate uses.</param>
/// <param name="CarriedFromDay">The day of the last traffic report carried forward (its 7-day mean); null when the figure is the port's nominal traffic.</param>
/// <param name="NominalIsDefault">For nominal traffic: the default for the port's kind, not a figure for the port.</param>
public readonly record struct TrafficEstimate(double PerDay, int? CarriedFromDay, bool NominalIsDefault = false)
{
    /// <summary>True when the figure is the last reported traffic carried forward, false when it is nominal.</summary>
    public bool Carried => CarriedFromDay is not null;
}

/// <summary>What downstream entities know of an upstream one on a day.</summary>
/// <param name="Estimated">The upstream score rests on estimated inputs (a port's nominal or carried-forward traffic).</param>
/// <param name="TrafficEstimate">
/// Which estimated traffic a port's score rests on, with its figure, when <paramref name="Estimated"/>; null when not
/// estimated, or when the port's summary did not say (one from a silo of an earlier version).
/// </param>
/// <param name="EarlierImportedCases14d">
/// A port's imported cases of the 14 days ending <see cref="ScoringOptions.CitySevereAfterImportDays"/> before the day
/// (<see cref="Assessment.EarlierImportedCases14d"/>); null when the port's summary did not say (one from a silo of an
/// earlier version: its city then counts none of that port's imports in the earlier window, CityModel.ImportedBehindSevere).
/// </param>
public readonly record struct UpstreamValue(
    double? Score,
    RiskLevel Level,
    double? PrevalencePerPerson,
    double? ImportedCases14d = null,
    double? Ascertainment = null,
    double? ExposureFloor = null,
    bool Estimated = false,
    TrafficEstimate? TrafficEstimate = null,
    double? EarlierImportedCases14d = null);

/// <summary>A stored day of history.</summary>
public sealed class HistoryPoint
{
    /// <summary>Score, or null when insufficient data.</summary>
    public double? Score { get; set; }

    /// <summary>Level.</summary>
    public RiskLevel Level { get; set; }

    /// <summary>Key metrics.</summary>
    public Dictionary<string, double?> Metrics { get; set; } = [];

    /// <summary>ECDC combined indicator (countries only).</summary>
    public string? Ecdc { get; set; }

    /// <summary>CDC travel health notice level (countries only).</summary>
    public string? CdcThn { get; set; }

    /// <summary>The point of an assessment.</summary>
    public static HistoryPoint Of(Assessment assessment) => new()
    {
        Score = assessment.Score,
        Level = assessment.Level,
        Metrics = assessment.Metrics.ToDictionary(),
        Ecdc = assessment.Classifications?.Ecdc,
        CdcThn = assessment.Classifications?.CdcThn,
    };
}
