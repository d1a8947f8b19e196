using System.Collections.Immutable;
using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Abstractions;

/// <summary>One term of a risk score: its raw value, where that sits in [0, 1], its weight and share of the score, and why.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.RiskComponentView")]
public sealed record RiskComponentView(
    string Name,
    double? Value,
    string? Unit,
    double Normalized,
    double Weight,
    double Contribution,
    string Explanation)
{
    /// <summary>
    /// True when the value is an assumption standing in for unreported data (an unknown capacity counted as a half
    /// gap), not evidence; absent from JSON when false. Added after the positional members, with an id of its own.
    /// </summary>
    [Id(100), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Assumed { get; init; }
}

/// <summary>The reference classifications reported beside a country's score.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.ClassificationsView")]
public sealed record ClassificationsView(string Ecdc, string CdcThn)
{
    /// <summary>Why <see cref="Ecdc"/> is grey (no testing data, testing rate 300 or fewer, not enough data); absent otherwise.</summary>
    [Id(2), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? EcdcGreyReason { get; init; }
}

/// <summary>Data-quality flags of an entity, so analysts know how far to trust a score.</summary>
/// <param name="Stale">Insufficient data: no report of its own within the stale horizon and nothing upstream to score it from.</param>
/// <param name="DaysSinceLastReport">Days since the entity's own last report, null when it never reported.</param>
/// <param name="FlatSeries">A cumulative series unchanged for many days.</param>
/// <param name="Revised">A later report replaced an earlier value.</param>
/// <param name="MissingPopulation">No population.</param>
/// <param name="Notes">The sentences behind the flags.</param>
/// <param name="Estimated">The score rests on estimated inputs (nominal or carried-forward traffic).</param>
/// <param name="NoRecentReport">No report of its own within the stale horizon, though still scored from upstream data (then <paramref name="Stale"/> is false).</param>
[GenerateSerializer, Immutable, Alias("riskmesh.DataQualityView")]
public sealed record DataQualityView(
    bool Stale,
    int? DaysSinceLastReport,
    bool FlatSeries,
    bool Revised,
    bool MissingPopulation,
    ImmutableArray<string> Notes,
    bool Estimated = false,
    bool NoRecentReport = false)
{
    /// <summary>Every flag that is set, by name (<c>stale</c>, <c>no-recent-report</c>, <c>estimated</c>, <c>flat-series</c>, <c>revised</c>, <c>missing-population</c>), most serious first: what to show; empty means no flags.</summary>
    public ImmutableArray<string> Flags => DataQualityFlags.Of(Stale, NoRecentReport, Estimated, FlatSeries, Revised, MissingPopulation);
}

/// <summary>An entity's risk as of one day: score, level, trend, the components that explain it, and key metrics.</summary>
/// <remarks>
/// <see cref="Level"/> is the score band (the model's thresholds). A city's view also carries <see cref="Response"/>,
/// the level of its response plan in force, which can stay higher than the band while the plan's dwell runs.
/// </remarks>
[GenerateSerializer, Immutable, Alias("riskmesh.RiskView")]
public sealed record RiskView(
    string Id,
    string Kind,
    string Name,
    DateOnly AsOf,
    double? Score,
    string Level,
    string Trend,
    ImmutableArray<RiskComponentView> Components,
    IReadOnlyDictionary<string, double?> Metrics,
    ClassificationsView? Classifications,
    DataQualityView DataQuality,
    ResponseLevelView? Response = null)
{
    /// <summary>
    /// For a country: the last day of its case windows (<c>cases7d</c>, the incidences), <see cref="AsOf"/> or, while
    /// its feed pauses, its last case report's; null for ports and cities. Carried to its ranking entry, which says it
    /// when it is not the ranking's day; not part of the view's JSON, whose explanations say it in words.
    /// </summary>
    [Id(100), System.Text.Json.Serialization.JsonIgnore]
    public DateOnly? CasesThrough { get; init; }
}

/// <summary>
/// Key metrics by name, in name order, as two arrays. Every active entity keeps its current view, so this is held
/// 100,000 times: an <see cref="ImmutableDictionary{TKey, TValue}"/> of the same 16 metrics (a tree node per entry)
/// took about 1.2 KB, these arrays about 0.4 KB. Equal when the same names have the same values.
/// </summary>
[GenerateSerializer, Immutable, Alias("riskmesh.MetricValues")]
public sealed class MetricValues : IReadOnlyDictionary<string, double?>, IEquatable<MetricValues>
{
    [Id(0)]
    private readonly string[] _names;

    [Id(1)]
    private readonly double?[] _values;

    private MetricValues(string[] names, double?[] values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>No metrics.</summary>
    public static MetricValues Empty { get; } = new([], []);

    /// <inheritdoc />
    public int Count => _names.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _names;

    /// <inheritdoc />
    public IEnumerable<double?> Values => _values;

    /// <inheritdoc />
    public double? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no metric '{key}'");

    /// <summary>The metrics of a dictionary, in name order.</summary>
    public static MetricValues From(IEnumerable<KeyValuePair<string, double?>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics is MetricValues already)
        {
            return already;
        }

        var pairs = metrics.ToArray();
        if (pairs.Length == 0)
        {
            return Empty;
        }

        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var names = new string[pairs.Length];
        var values = new double?[pairs.Length];
        for (var i = 0; i < pairs.Length; i++)
        {
            (names[i], values[i]) = (pairs[i].Key, pairs[i].Value);
        }

        return new MetricValues(names, values);
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc />
    public bool TryGetValue(string key, out double? value)
    {
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, double?>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new(_names[i], _values[i]);
        }
    }

    /// <inheritdoc />
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(MetricValues? other) =>
        other is not null && _names.AsSpan().SequenceEqual(other._names) && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MetricValues);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _names.Length; i++)
        {
            hash.Add(_names[i]);
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    private int IndexOf(string key) => Array.BinarySearch(_names, key, StringComparer.Ordinal);
}

/// <summary>One day of an entity's history; countries carry their reference classifications.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.HistoryPointView")]
public sealed record HistoryPointView(
    DateOnly Date,
    double? Score,
    string Level,
    ImmutableDictionary<string, double?> Metrics,
    ClassificationsView? Classifications = null)
{
    /// <summary>
    /// For a city: the level of its response plan in force at the end of the day (1 to 4), as its view of that day gives
    /// it; added by the API when it answers, absent for countries and ports.
    /// </summary>
    [Id(100), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? ResponseLevel { get; init; }
}

/// <summary>
/// A compact per-day summary that an upstream entity hands to the ones downstream of it: a country's traveller
/// prevalence and ascertainment for its ports, a port's imported cases and exposure floor for its city, and whether
/// its score rests on estimated inputs (<see cref="DataQualityView.Estimated"/>), so a city scored from it says so too.
/// </summary>
[GenerateSerializer, Immutable, Alias("riskmesh.UpstreamDay")]
public sealed record UpstreamDay(
    int DayNumber,
    double? Score,
    string Level,
    double? PrevalencePerPerson,
    double? ImportedCases14d = null,
    double? Ascertainment = null,
    double? ExposureFloor = null,
    bool Estimated = false)
{
    // The estimate's kind and figure, and the imported cases of the earlier window, were added later as members with
    // ids of their own, after the positional ones: a silo of an earlier version skips them, and a summary from one reads
    // them as absent (the city's note then says "nominal or carried forward" as before, and its severe cases are
    // compared with that port's imports of the same 14 days only).

    /// <summary>
    /// For an <see cref="Estimated"/> port: the inbound travellers a day its exposure was estimated from (its last
    /// reported traffic carried forward, or its nominal traffic); null otherwise.
    /// </summary>
    [Id(100)]
    public double? EstimatedInbound { get; init; }

    /// <summary>The day number of the last traffic report carried forward in <see cref="EstimatedInbound"/>; null when that figure is nominal.</summary>
    [Id(101)]
    public int? CarriedFromDay { get; init; }

    /// <summary>True when a nominal <see cref="EstimatedInbound"/> is the default for the port's kind, not the topology's figure for the port.</summary>
    [Id(102)]
    public bool NominalIsDefault { get; init; }

    /// <summary>
    /// A port's imported cases of the 14 days ending the model's <c>CitySevereAfterImportDays</c> before
    /// <see cref="DayNumber"/>, which its city compares its severe cases with, so the city reads them on the day itself
    /// and holds none of the port's earlier days; null from a silo of an earlier version (the city then counts none of
    /// that port's imports in the earlier window).
    /// </summary>
    [Id(103)]
    public double? EarlierImportedCases14d { get; init; }
}

/// <summary>
/// An entity's score on its current day and the components that drove it most (at most three, largest contribution
/// first): what a port-above-city notice says of the port, without the week of assessments a view's trend needs.
/// </summary>
[GenerateSerializer, Immutable, Alias("riskmesh.Standing")]
public sealed record Standing(DateOnly AsOf, double? Score, ImmutableArray<RiskComponentView> Drivers)
{
    /// <summary>How many components a standing names.</summary>
    public const int DriverCount = 3;

    /// <summary>
    /// The components that contributed most, largest first, evidence before assumptions: a component whose value is
    /// assumed (an unreported capacity counted as a half gap) is listed only after the evidence that adds points,
    /// whatever its own, so a notice's "Main driver" is what moved the score, never the absence of a report (newcomer
    /// 16, finding 1). A component adding no points drove nothing and is left out: "Local cases 0.0 · Imported cases 0.0"
    /// read as causes on a card (newcomer 24a L3).
    /// </summary>
    public static ImmutableArray<RiskComponentView> DriversOf(IEnumerable<RiskComponentView> components) =>
        [.. components.Where(c => c.Contribution > 0).OrderBy(c => c.Assumed ? 1 : 0).ThenByDescending(c => c.Contribution).Take(DriverCount)];
}

/// <summary>A row of a ranking.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.RankingEntry")]
public sealed record RankingEntry(string Id, string Kind, string Name, double? Score, string Level, string Trend)
{
    /// <summary>
    /// For a city: the level of its response plan in force today (1 to 4), beside <see cref="Level"/>, the score band,
    /// as the city's view gives it (a city whose level moves marks its entry stale); absent for countries and ports.
    /// </summary>
    [Id(100), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? ResponseLevel { get; init; }

    /// <summary>
    /// What the score rests on besides the entity's own reports (estimates, defaults, assumptions), as bits; null on an
    /// entry stored before entries carried it, which the ranking then takes anew. <see cref="RankingDataQuality.Codes"/>
    /// names them as the API does.
    /// </summary>
    [Id(101), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RankingDataQuality? DataQuality { get; init; }

    /// <summary>
    /// For a country: its cases in the last 7 days, shown against <see cref="CasesPrevious7d"/> beside
    /// <see cref="Trend"/>, the score's: a country whose growth slows reads "falling" while its cases still grow 26% a
    /// week (newcomer 19, L16), and the ranking should not read as "improving". The counts themselves, not the growth
    /// component's ratio, whose pseudo-count read 72 against 18 cases as +235% (review 20, M2). Absent for ports and
    /// cities, and for a country without both weeks of case reports.
    /// </summary>
    [Id(103), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? Cases7d { get; init; }

    /// <summary>For a country: its cases in the 7 days before the last 7 (with <see cref="Cases7d"/>).</summary>
    [Id(104), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? CasesPrevious7d { get; init; }

    /// <summary>
    /// For a country: the day its two weeks of <see cref="Cases7d"/> and <see cref="CasesPrevious7d"/> end on, when that
    /// is not the entry's own day: a country whose last case report is older than today reads the week to that report
    /// (newcomer 22: Myanmar's "72 vs 18" was the week to 20 April on a ranking of 30 April). Null when the weeks end on
    /// the entry's day, and without them.
    /// </summary>
    [Id(105), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateOnly? CasesThrough { get; init; }

    /// <summary>
    /// For a province: its riskiest city (<see cref="ProvinceRisk.RiskiestCity"/>), whose score, band, trend and data
    /// quality the province's entry carries; absent for other kinds and for a province without a scored city.
    /// </summary>
    [Id(106), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? HighestCity { get; init; }

    /// <summary>The <see cref="Kind"/> of a province's entry.</summary>
    public const string ProvinceKind = "province";

    /// <summary>
    /// Entries in ranking order: scored before unscored, the higher score first, ties by id (ordinal), so every
    /// ranking (the API's, <c>riskmesh top</c>, the console's) lists equal scores alike.
    /// </summary>
    public static IEnumerable<RankingEntry> Ranked(IEnumerable<RankingEntry> entries) =>
        entries.OrderByDescending(e => e.Score.HasValue).ThenByDescending(e => e.Score).ThenBy(e => e.Id, StringComparer.Ordinal);

    /// <summary>
    /// The provinces of <paramref name="topology"/> ranked from their cities' entries: each province carries its
    /// riskiest city's score, band, trend and data quality, insufficient data when none of its cities has a score.
    /// </summary>
    public static IEnumerable<RankingEntry> RankedProvinces(Topology topology, IEnumerable<RankingEntry> cities)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var byId = cities.ToDictionary(c => c.Id, StringComparer.Ordinal);
        return Ranked(topology.Provinces.Select(province =>
        {
            var ofProvince = topology.CitiesOfProvince(province.Id).Select(c => byId.GetValueOrDefault(c.Id)).OfType<RankingEntry>();
            var riskiest = ProvinceRisk.RiskiestCity(ofProvince, c => c.Score, c => c.Id);
            return new RankingEntry(province.Id, ProvinceKind, province.Name, riskiest?.Score, riskiest?.Level ?? "insufficient-data", riskiest?.Trend ?? "unknown")
            {
                DataQuality = riskiest?.DataQuality ?? RankingDataQuality.None,
                HighestCity = riskiest?.Id,
            };
        }));
    }

    /// <summary>The entry of an entity's current view.</summary>
    public static RankingEntry Of(RiskView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (last, previous) = CasesWeeks(view);
        return new(view.Id, view.Kind, view.Name, view.Score, view.Level, view.Trend)
        {
            ResponseLevel = view.Response?.Level,
            DataQuality = RankingDataQualities.Of(view),
            Cases7d = last,
            CasesPrevious7d = previous,
            CasesThrough = last is not null && view.CasesThrough is { } through && through != view.AsOf ? through : null,
        };
    }

    // Both weeks or neither: the growth metric is known exactly when both are (fewer than 14 days of reports: none).
    private static (double? Last, double? Previous) CasesWeeks(RiskView view) =>
        view.Kind == "country"
        && view.Metrics.TryGetValue(CountryMetrics.Growth7d, out var growth) && growth is not null
        && view.Metrics.TryGetValue(CountryMetrics.Cases7d, out var last) && last is { } seven
        && view.Metrics.TryGetValue(CountryMetrics.Cases14d, out var fortnight) && fortnight is { } fourteen
            ? (seven, fourteen - seven)
            : (null, null);
}

/// <summary>
/// What an entity's score rests on instead of its own reports, as a ranking keeps it for every entity: bits, since a
/// list of words would cost each of 100,000 entries strings of its own. A ranking row names them with
/// <see cref="RankingDataQualities.Codes"/>, so a reader tells a score from evidence from one from defaults (newcomer 17
/// F3: sixteen ports that reported nothing ranked at 17.0 above one reporting its traffic and testing).
/// </summary>
[Flags]
[GenerateSerializer]
public enum RankingDataQuality : byte
{
    /// <summary>The score rests on the entity's own reports.</summary>
    None = 0,

    /// <summary>Insufficient data: no report recent enough to score (<see cref="DataQualityView.Stale"/>).</summary>
    Stale = 1,

    /// <summary>No report of its own within the stale horizon, scored from upstream data (<see cref="DataQualityView.NoRecentReport"/>).</summary>
    NoRecentReport = 2,

    /// <summary>Estimated inputs: nominal or carried-forward traffic, its own or its ports' (<see cref="DataQualityView.Estimated"/>).</summary>
    Estimated = 4,

    /// <summary>
    /// Its capacity (a city's laboratories, technicians and beds; a port's testing) never reported: the capacity gap is
    /// assumed. A ranking code: the view says it as its <c>capacityGap</c> component's <see cref="RiskComponentView.Assumed"/>.
    /// </summary>
    CapacityNotReported = 8,

    /// <summary>Another component's value is assumed, not reported (<see cref="RiskComponentView.Assumed"/>).</summary>
    Assumed = 16,
}

/// <summary>The <see cref="RankingDataQuality"/> of a view, and its codes as the API writes them.</summary>
public static class RankingDataQualities
{
    private static readonly (RankingDataQuality Bit, string Code)[] Named =
    [
        (RankingDataQuality.Stale, DataQualityFlags.Stale),
        (RankingDataQuality.NoRecentReport, DataQualityFlags.NoRecentReport),
        (RankingDataQuality.Estimated, DataQualityFlags.Estimated),
        (RankingDataQuality.CapacityNotReported, NoticeDataQuality.CapacityNotReported),
        (RankingDataQuality.Assumed, "assumed"),
    ];

    // One array per combination, made once: every row of every ranking answer shares them.
    private static readonly ImmutableArray<string>[] ByValue = [.. Enumerable.Range(0, 32).Select(v => Named.Where(n => (v & (int)n.Bit) != 0).Select(n => n.Code).ToImmutableArray())];

    /// <summary>
    /// What the view's score rests on besides reports: the view's own flags among <c>stale</c>, <c>no-recent-report</c>
    /// and <c>estimated</c> (one of the first two at most, as the view's <see cref="DataQualityView.Flags"/> has them),
    /// and its assumed components (<see cref="RiskComponentView.Assumed"/>). A view without a score gives
    /// <see cref="RankingDataQuality.Stale"/> when it is stale and nothing else: there is no score to rest on anything
    /// (review 17 M1: a stale city's row read "stale, no-recent-report, capacity-not-reported" beside a view flagged
    /// "stale" alone).
    /// </summary>
    public static RankingDataQuality Of(RiskView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var q = view.DataQuality;
        var bits = (q.Stale ? RankingDataQuality.Stale : 0) | (q.NoRecentReport ? RankingDataQuality.NoRecentReport : 0) | (q.Estimated ? RankingDataQuality.Estimated : 0);
        foreach (var c in view.Components)
        {
            if (c.Assumed)
            {
                bits |= c.Name == "capacityGap" ? RankingDataQuality.CapacityNotReported : RankingDataQuality.Assumed;
            }
        }

        return Settled(bits, view.Score is not null);
    }

    /// <summary>
    /// <paramref name="bits"/> as a row states them: <c>stale</c> without <c>no-recent-report</c> (the view's flags
    /// name the more serious only), and for an entry without a score <c>stale</c> alone. Applied again when a row is
    /// read, so an entry a silo of an earlier version stored with every bit set reads as a new one would.
    /// </summary>
    public static RankingDataQuality Settled(RankingDataQuality bits, bool scored)
    {
        if (!scored)
        {
            return bits & RankingDataQuality.Stale;
        }

        return (bits & RankingDataQuality.Stale) != 0 ? bits & ~RankingDataQuality.NoRecentReport : bits;
    }

    /// <summary>
    /// The codes, most serious first (<c>stale</c> or <c>no-recent-report</c>, <c>estimated</c>,
    /// <c>capacity-not-reported</c>, <c>assumed</c>); empty for none. The first three are the view's data-quality flags of
    /// those names; the last two are the ranking's own, naming the view's assumed components (<c>capacityGap</c>, any
    /// other), which the view marks <c>assumed</c> in its components rather than among its flags.
    /// </summary>
    public static ImmutableArray<string> Codes(RankingDataQuality value) => ByValue[(int)value & 31];
}
