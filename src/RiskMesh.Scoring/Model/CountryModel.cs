using System.Collections.Immutable;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// A country's case series prepared once from its ledger, then assessed for any day. The primary source is the one
/// with the latest report (ties: more reports, then the name in ordinal order; see <see cref="SourcesByPrecedence"/>).
/// A source reporting cumulative counts on at least half of its reports is read as cumulative: C(x) is the latest
/// cumulative at or before x. Otherwise new cases are summed.
/// </summary>
public sealed class CountrySeries
{
    private readonly int[] _days;
    private readonly long?[] _cumulative;
    private readonly long?[] _newCases;
    private readonly long?[] _tests;
    private readonly double?[] _positivity;
    private readonly CountryLedger _ledger;

    private CountrySeries(CountryLedger ledger, string? source, bool cumulativeMode, List<CountryReportRecord> reports, ImmutableArray<SourceReported> otherSources)
    {
        _ledger = ledger;
        PrimarySource = source;
        OtherSources = otherSources;
        CumulativeMode = cumulativeMode;
        _days = [.. reports.Select(r => r.Day)];
        _cumulative = [.. reports.Select(r => r.CumulativeCases)];
        _newCases = [.. reports.Select(r => r.NewCases)];
        _tests = [.. reports.Select(r => r.Tests)];
        _positivity = [.. reports.Select(r => r.Positivity)];
    }

    /// <summary>The source whose series is read.</summary>
    public string? PrimarySource { get; }

    /// <summary>True when the series is read as cumulative counts.</summary>
    public bool CumulativeMode { get; }

    /// <summary>The other sources reporting the country, not read, in order of precedence (empty when one source reports it).</summary>
    public ImmutableArray<SourceReported> OtherSources { get; }

    /// <summary>Prepares a ledger's series: that of the source read (<see cref="SourcesByPrecedence"/>).</summary>
    public static CountrySeries Prepare(CountryLedger ledger)
    {
        var sources = SourcesByPrecedence(ledger);
        return sources.IsEmpty ? new CountrySeries(ledger, null, false, [], []) : Of(ledger, sources[0].Source, sources[1..]);
    }

    /// <summary>The series of one source, whether it is the one read or not (an ingest warning compares two).</summary>
    public static CountrySeries Prepare(CountryLedger ledger, string source) => Of(ledger, source, []);

    /// <summary>
    /// Each source reporting the country with its latest report's day and its count of reports, the one read first:
    /// the latest report wins; on a tie, more reports; then the name in ordinal order (so the choice never depends on
    /// the order reports arrived in).
    /// </summary>
    public static ImmutableArray<SourceReported> SourcesByPrecedence(CountryLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        Dictionary<string, SourceReported>? bySource = null;
        foreach (var record in ledger.Reports.ValuesOrEmpty())
        {
            bySource ??= new(StringComparer.Ordinal);
            bySource[record.Source] = bySource.TryGetValue(record.Source, out var seen)
                ? seen with { LastDay = Math.Max(seen.LastDay, record.Day), Reports = seen.Reports + 1 }
                : new SourceReported(record.Source, record.Day, 1);
        }

        return bySource is null
            ? []
            : [.. bySource.Values
                .OrderByDescending(s => s.LastDay)
                .ThenByDescending(s => s.Reports)
                .ThenBy(s => s.Source, StringComparer.Ordinal)];
    }

    private static CountrySeries Of(CountryLedger ledger, string source, ImmutableArray<SourceReported> others)
    {
        var reports = ledger.Reports.ValuesOrEmpty().Where(r => string.Equals(r.Source, source, StringComparison.Ordinal)).OrderBy(r => r.Day).ToList();
        var cumulativeMode = reports.Count(r => r.CumulativeCases is not null) * 2 >= reports.Count;
        return new CountrySeries(ledger, source, cumulativeMode, reports, others);
    }

    /// <summary>Cases in the window of days (from, to]; null when the series cannot tell.</summary>
    public long? CasesIn(int fromExclusive, int toInclusive)
    {
        if (CumulativeMode)
        {
            var end = CumulativeAt(toInclusive);
            var start = CumulativeAt(fromExclusive);
            return end is null || start is null ? null : Math.Max(0, end.Value - start.Value);
        }

        long total = 0;
        var reported = false;
        for (var i = LowerBound(fromExclusive + 1); i < _days.Length && _days[i] <= toInclusive; i++)
        {
            if (_newCases[i] is { } n)
            {
                total += n;
                reported = true;
            }
        }

        return reported ? total : null;
    }

    /// <summary>The day of the series' latest report at or before a day, or null when it has none.</summary>
    public int? LastReportAtOrBefore(int day)
    {
        var index = UpperBound(day) - 1;
        return index >= 0 ? _days[index] : null;
    }

    /// <summary>The latest cumulative count at or before a day.</summary>
    public long? CumulativeAt(int day)
    {
        for (var i = UpperBound(day) - 1; i >= 0; i--)
        {
            if (_cumulative[i] is { } c)
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Tests in the window (from, to], and whether any day reported tests.</summary>
    public long? TestsIn(int fromExclusive, int toInclusive)
    {
        long total = 0;
        var reported = false;
        for (var i = LowerBound(fromExclusive + 1); i < _days.Length && _days[i] <= toInclusive; i++)
        {
            if (_tests[i] is { } t)
            {
                total += t;
                reported = true;
            }
        }

        return reported ? total : null;
    }

    /// <summary>
    /// Positivity over the window (from, to] weighted by tests: Σ(positivity × tests) / Σ tests over the days that
    /// report both; null when no day does (or they report no tests).
    /// </summary>
    public double? PositivityIn(int fromExclusive, int toInclusive)
    {
        double positives = 0;
        double tests = 0;
        for (var i = LowerBound(fromExclusive + 1); i < _days.Length && _days[i] <= toInclusive; i++)
        {
            if (_positivity[i] is { } p && _tests[i] is { } t)
            {
                positives += p * t;
                tests += t;
            }
        }

        return tests > 0 ? positives / tests : null;
    }

    /// <summary>True when the cumulative series has not moved over the last <paramref name="days"/> days of reports up to a day.</summary>
    public bool IsFlat(int day, int days)
    {
        if (!CumulativeMode)
        {
            return false;
        }

        var end = CumulativeAt(day);
        var start = CumulativeAt(day - days);
        var reportsInWindow = 0;
        for (var i = LowerBound(day - days + 1); i < _days.Length && _days[i] <= day; i++)
        {
            reportsInWindow++;
        }

        return end is not null && start is not null && end == start && reportsInWindow >= days / 2;
    }

    /// <summary>True when a later cumulative report is lower than an earlier one (a correction).</summary>
    public bool HasDownwardCorrection()
    {
        long? previous = null;
        foreach (var value in _cumulative)
        {
            if (value is { } v)
            {
                if (v < previous)
                {
                    return true;
                }

                previous = v;
            }
        }

        return false;
    }

    /// <summary>The ledger this series came from.</summary>
    public CountryLedger Ledger => _ledger;

    private int LowerBound(int day)
    {
        var index = Array.BinarySearch(_days, day);
        return index >= 0 ? index : ~index;
    }

    private int UpperBound(int day)
    {
        var index = Array.BinarySearch(_days, day);
        return index >= 0 ? index + 1 : ~index;
    }
}

/// <summary>A source reporting a country: the day of its latest report and how many reports it has.</summary>
public sealed record SourceReported(string Source, int LastDay, int Reports);

/// <summary>The names of a country's metrics that other parts read by name (a ranking's week-on-week cases).</summary>
public static class CountryMetrics
{
    /// <summary>Cases in the 7 days to the day (as of the last report).</summary>
    public const string Cases7d = "cases7d";

    /// <summary>Cases in the 14 days to the day.</summary>
    public const string Cases14d = "cases14d";

    /// <summary>The growth component's ratio, with its pseudo-count on both weeks (<see cref="ScoringOptions.GrowthFloorCases"/>).</summary>
    public const string Growth7d = "growth7d";
}

/// <summary>The country risk model: incidence, growth and intelligence.</summary>
public static class CountryModel
{
    /// <summary>Assesses a country on a day, with the week's trend.</summary>
    public static (Assessment Assessment, Trend Trend) AssessWithTrend(CountrySeries series, int day, long? population, ScoringOptions options)
    {
        var assessment = Assess(series, day, population, options);
        // A week without a case report is the last report's score carried forward: its slope of 0 is no sign that the
        // country is steady (newcomer 21a M4: Myanmar read "steady" at 20.7 from 24 to 30 April, its last report 20 April).
        if (assessment.Score is not null && series.LastReportAtOrBefore(day) is { } last && last < day - RiskDays.TrendDays)
        {
            var note = $"trend unknown: no recent report, no case report in the last {RiskDays.TrendDays + 1} days (the last for {DateOnly.FromDayNumber(last):yyyy-MM-dd}): the score is carried forward, not steady";
            return (assessment with { Quality = assessment.Quality with { Notes = assessment.Quality.Notes.Add(note) } }, Trend.Unknown);
        }

        var week = Enumerable.Range(0, 7).Select(i => i == 6 ? assessment.Score : Assess(series, day - 6 + i, population, options, explain: false).Score).ToList();
        return Scales.WithTrend(assessment, week, options);
    }

    /// <summary>Assesses a country on a day; without <paramref name="explain"/>, every number and no text (see <see cref="Explain"/>).</summary>
    public static Assessment Assess(CountrySeries series, int day, long? population, ScoringOptions options, bool explain = true)
    {
        // A feed that has not reported for some days has not reported no cases: its windows end on its last report
        // (until the stale horizon), so a pause reads as "as of that day", never as a fall (try-out 6 F14).
        var windowEnd = ReadAsOf(series, day, options);
        var cases7 = series.CasesIn(windowEnd - 7, windowEnd);
        var cases14 = series.CasesIn(windowEnd - 14, windowEnd);
        var cases28 = series.CasesIn(windowEnd - 28, windowEnd);
        var previous7 = series.CasesIn(windowEnd - 14, windowEnd - 7);
        double? Per100k(long? cases) => cases is { } c && population is > 0 ? c / (double)population.Value * 100_000 : null;
        var incidence7 = Per100k(cases7);
        var incidence14 = Per100k(cases14);
        var incidence28 = Per100k(cases28);
        double? growth = cases7 is { } last && previous7 is { } before
            ? (last + options.GrowthFloorCases) / (before + options.GrowthFloorCases)
            : null;
        // ECDC (Council Recommendation (EU) 2020/1475, DESIGN.md section 4): testing rate and positivity of the last week.
        var tests7 = series.TestsIn(windowEnd - 7, windowEnd);
        var testsPer100k7 = Per100k(tests7);
        var positivity7 = series.PositivityIn(windowEnd - 7, windowEnd)
            ?? (tests7 is > 0 && cases7 is { } c7 ? Math.Min(1, c7 / (double)tests7.Value) : null);

        var ascertainment = series.Ledger.CapacityAsOf(day).AscertainmentFactor ?? options.DefaultAscertainment;
        double? travellerPrevalence = incidence14 is { } i ? i / 100_000 * ascertainment : null;
        var incidenceComponent = new ComponentResult(
            "incidence",
            Scales.Round(incidence14),
            "cases per 100k, 14 days",
            Scales.Round(incidence14 is { } i14 ? Scales.IncidenceNormalized(i14) : 0),
            options.CountryIncidenceWeight,
            incidence14 is { } rate
                ? Explain.Text(explain, $"{Scales.Format(rate)} cases per 100,000 in the 14 days to {DateOnly.FromDayNumber(windowEnd):yyyy-MM-dd} ({cases14:N0} cases, {SourceRead(series)}){IncidenceBand(rate)}; {PrevalenceNote(rate, ascertainment)}.")
                : population is not > 0 ? "Incidence unknown: no population for this country." : "Incidence unknown: not enough case reports in the last 14 days.");
        var rawGrowth = growth is { } g ? Scales.Unit((g - 1) / (options.GrowthSaturation - 1)) : 0;
        var growthShare = GrowthShare(cases7, incidence7, options);
        var smallNumbers = rawGrowth > 0 && growthShare < 1;
        var smallNumbersNote = smallNumbers
            ? Explain.Text(explain, $"small numbers: growth counted at {Scales.Percent(growthShare * 100)}% of its weight ({cases7:N0} cases in the last 7 days, {Scales.Format(incidence7 ?? 0)} per 100,000); it counts in full from {Scales.Count(options.GrowthFullWeightCases)} cases and {Scales.Format(options.GrowthFullWeightPer100k7d)} per 100,000 a week")
            : null;
        var growthComponent = new ComponentResult(
            "growth",
            Scales.Round(growth),
            "ratio of last 7 days to the 7 before",
            Scales.Round(rawGrowth * growthShare),
            options.CountryGrowthWeight,
            growth is { } ratio
                ? Explain.Text(explain, $"{cases7:N0} cases in the last 7 days against {previous7:N0} in the 7 before: growth ×{Scales.Format(ratio)}{(smallNumbers ? $" from small numbers, counted at {Scales.Percent(growthShare * 100)}% of its weight" : "")}{(ratio > 1.05 ? ", rising" : ratio < 0.95 ? ", falling" : ", flat")}.")
                : "Growth unknown: fewer than 14 days of case reports.");
        var intelComponent = Scales.IntelComponent(series.Ledger.IntelReports(day), day, options.CountryIntelWeight, options, explain);
        ImmutableArray<ComponentResult> components = [incidenceComponent, growthComponent, intelComponent];

        var lastReport = series.Ledger.LastReportDay(day);
        var missingPopulation = population is not > 0;
        var flat = series.IsFlat(day, options.FlatSeriesDays);
        var correctedDown = series.HasDownwardCorrection();
        var revised = series.Ledger.Revised || correctedDown;
        var notes = new List<string>();
        if (missingPopulation)
        {
            notes.Add("population unknown: incidence cannot be computed");
        }

        if (flat)
        {
            notes.Add(Explain.Text(explain, $"cumulative cases unchanged for {options.FlatSeriesDays} days"));
        }

        if (smallNumbersNote is not null)
        {
            notes.Add(smallNumbersNote);
        }

        if (!series.OtherSources.IsEmpty)
        {
            notes.Add(Explain.Text(explain, $"{series.OtherSources.Length + 1} sources report this country: {SourceRead(series)}; {OtherSourcesText(series.OtherSources)} (the source with the latest report is read; on a tie, the one with more reports, then the first name in alphabetical order)"));
        }

        if (revised)
        {
            // Said as it happened: an upward revision read "corrected downwards" (try-out 6 F15).
            notes.Add(correctedDown
                ? series.Ledger.Revised ? "some reports were revised, and the cumulative count was revised downwards (a correction)" : "the cumulative count was revised downwards (a correction)"
                : "some reports were revised (a later report replaced an earlier one)");
        }

        // Yesterday's report read today is the ordinary reporting lag, not a pause worth a flag: flagged, every country
        // would read `estimated` each morning until its day's report arrived (review of the sixth session, F3).
        var paused = day - windowEnd > ReportingLagDays;
        if (paused)
        {
            notes.Add(Explain.Text(explain, $"no case report since {DateOnly.FromDayNumber(windowEnd):yyyy-MM-dd} ({day - windowEnd} days): its windows end on that day; the days since are not read as days without cases"));
        }

        var quality = Scales.Quality(day, lastReport, flat, revised, missingPopulation, options, notes, "case report") with { Estimated = paused };
        var sufficient = !quality.Stale && incidence14 is not null;
        double? score = sufficient ? Scales.ScoreOf(components) : null;
        var level = score is { } s ? Scales.LevelOf(s, options) : RiskLevel.InsufficientData;
        (string Name, double? Value)[] metrics =
        [
            ("population", population),
            (CountryMetrics.Cases7d, cases7),
            (CountryMetrics.Cases14d, cases14),
            ("cases28d", cases28),
            ("incidence7dPer100k", incidence7),
            ("incidence14dPer100k", incidence14),
            ("incidence28dPer100k", incidence28),
            (CountryMetrics.Growth7d, growth),
            ("testsPer100k7d", testsPer100k7),
            ("positivity7d", positivity7),
            ("intelPressure", intelComponent.Value),
            ("ascertainmentFactor", ascertainment),
            ("travellerPrevalence", travellerPrevalence)
        ];
        var classifications = new Classifications(
            ReferenceClassifications.Ecdc(incidence14, positivity7, testsPer100k7),
            ReferenceClassifications.CdcThn(incidence28, population));
        return new Assessment(day, score, level, components, metrics, classifications, quality)
        {
            // A stale series says nothing about today's prevalence, so ports do not read its zero as "no exposure".
            PrevalencePerPerson = score is null ? null : travellerPrevalence,
            Ascertainment = ascertainment,
            CasesThrough = windowEnd,
        };
    }

    /// <summary>
    /// Days a case feed may lag without its country being flagged <c>estimated</c>: a report for yesterday is the ordinary
    /// reporting lag. The windows end on the last report either way (<see cref="ReadAsOf"/>).
    /// </summary>
    public const int ReportingLagDays = 1;

    /// <summary>
    /// The day a country's windows end on when assessed for <paramref name="day"/>: the day itself, or its case series'
    /// last report before it while that report is within the stale horizon (after it the country is stale anyway).
    /// </summary>
    public static int ReadAsOf(CountrySeries series, int day, ScoringOptions options) =>
        series.LastReportAtOrBefore(day) is { } last && last < day && day - last < options.StaleAfterDays ? last : day;

    /// <summary>
    /// The share of its weight growth counts with: 1 from <see cref="ScoringOptions.GrowthFullWeightCases"/> cases and
    /// <see cref="ScoringOptions.GrowthFullWeightPer100k7d"/> per 100,000 in the last 7 days, else the smaller of the
    /// two ratios, so growth from a handful of cases, or from a rate too small to reach travellers, moves the score
    /// little (the weight is kept, so the other components' contributions do not change). 1 when the week is unknown:
    /// growth is then unknown too.
    /// </summary>
    public static double GrowthShare(long? cases7, double? incidence7, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var byCount = cases7 is { } c && options.GrowthFullWeightCases > 0 ? Math.Min(1, c / options.GrowthFullWeightCases) : 1;
        var byRate = incidence7 is { } r && options.GrowthFullWeightPer100k7d > 0 ? Math.Min(1, r / options.GrowthFullWeightPer100k7d) : 1;
        return Math.Min(byCount, byRate);
    }

    /// <summary>How official incidence becomes traveller prevalence, in words.</summary>
    public static string PrevalenceNote(double ratePer100k, double ascertainment) =>
        ascertainment == 1
            ? $"travellers' infectious prevalence taken as {Scales.Format(ratePer100k)} per 100,000 (official counts at face value, ascertainment ×1)"
            : $"travellers' infectious prevalence {Scales.Format(ratePer100k * ascertainment)} per 100,000 (official counts × ascertainment ×{Scales.Format(ascertainment)})";

    /// <summary>The source read, and when others report the country, that its report is the latest: "source 'ru-official'".</summary>
    public static string SourceRead(CountrySeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return series.OtherSources.IsEmpty || series.LastReportAtOrBefore(int.MaxValue) is not { } last
            ? $"source '{series.PrimarySource}'"
            : $"source '{series.PrimarySource}', whose latest report, for {DateOnly.FromDayNumber(last):yyyy-MM-dd}, is the latest of {series.OtherSources.Length + 1} sources";
    }

    // The sources not read and their last days, the first three named: "also reported by 'nc22' through 2020-04-29, not read".
    private static string OtherSourcesText(ImmutableArray<SourceReported> others)
    {
        const int named = 3;
        var text = string.Join(", ", others.Take(named).Select(o => $"'{o.Source}' through {DateOnly.FromDayNumber(o.LastDay):yyyy-MM-dd}"));
        var rest = others.Length > named ? $" and {others.Length - named} more" : "";
        return $"also reported by {text}{rest}, not read";
    }

    private static string IncidenceBand(double rate) => rate switch
    {
        > 150 => ", above the ECDC 150 line",
        >= 50 => ", at or above the ECDC 50 line",
        >= 25 => ", at or above the ECDC 25 line",
        _ => ", below the ECDC 25 line",
    };
}
