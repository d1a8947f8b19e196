using System.Collections.Immutable;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// A country's case series prepared once from its ledger, then assessed for any day. When several sources report the
/// country, each day reads its own (<see cref="On"/>, by <see cref="SourceStanding.Precedes"/>): the source reporting
/// most days of that day's 14-day window, as of that day. A source reporting cumulative counts on at least half of its
/// reports is read as cumulative: C(x) is the latest cumulative at or before x. Otherwise new cases are summed.
/// </summary>
public sealed class CountrySeries
{
    private readonly int[] _days;
    private readonly long?[] _cumulative;
    private readonly long?[] _newCases;
    private readonly long?[] _tests;
    private readonly double?[] _positivity;
    private readonly CountryLedger _ledger;

    // Every source's own series, in ordinal order of name (shared by all the views of one ledger), and the day this view
    // was chosen for (null for one source's series as such).
    private readonly CountrySeries[] _all;
    private readonly int? _day;

    private CountrySeries(CountryLedger ledger, string? source, bool cumulativeMode, List<CountryReportRecord> reports)
    {
        _ledger = ledger;
        PrimarySource = source;
        OtherSources = [];
        CumulativeMode = cumulativeMode;
        _days = [.. reports.Select(r => r.Day)];
        _cumulative = [.. reports.Select(r => r.CumulativeCases)];
        _newCases = [.. reports.Select(r => r.NewCases)];
        _tests = [.. reports.Select(r => r.Tests)];
        _positivity = [.. reports.Select(r => r.Positivity)];
        _all = [this];
    }

    // A view of one source's series as read on a day, beside the others.
    private CountrySeries(CountrySeries read, CountrySeries[] all, int day, SourceStanding standing, ImmutableArray<SourceStanding> others)
    {
        (_ledger, PrimarySource, CumulativeMode) = (read._ledger, read.PrimarySource, read.CumulativeMode);
        (_days, _cumulative, _newCases, _tests, _positivity) = (read._days, read._cumulative, read._newCases, read._tests, read._positivity);
        (_all, _day, Standing, OtherSources) = (all, day, standing, others);
    }

    /// <summary>The source whose series is read (on the day this view was chosen for).</summary>
    public string? PrimarySource { get; }

    /// <summary>True when the series is read as cumulative counts.</summary>
    public bool CumulativeMode { get; }

    /// <summary>
    /// The other sources reporting the country on or before the day this view was chosen for, not read, in order of
    /// precedence (empty when one source reports it).
    /// </summary>
    public ImmutableArray<SourceStanding> OtherSources { get; }

    /// <summary>Where the source read stood on the day this view was chosen for (default for one source's series as such).</summary>
    public SourceStanding Standing { get; }

    /// <summary>The day this view was chosen for, or null for one source's series as such.</summary>
    public int? ChosenFor => _day;

    /// <summary>
    /// Prepares a ledger's series: every source's, viewed as read on the day of the latest report (each day assessed
    /// reads its own through <see cref="On"/>).
    /// </summary>
    public static CountrySeries Prepare(CountryLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        CountrySeries[] all = [.. ledger.Reports.ValuesOrEmpty()
            .GroupBy(r => r.Source, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Of(ledger, g.Key, [.. g]))];
        if (all.Length == 0)
        {
            return new CountrySeries(ledger, null, false, []);
        }

        var latest = all.Max(s => s._days[^1]);
        return all.Length == 1 ? all[0] : ReadOn(all, latest);
    }

    /// <summary>The series of one source, whether it is the one read or not (an ingest warning compares two).</summary>
    public static CountrySeries Prepare(CountryLedger ledger, string source)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return Of(ledger, source, [.. ledger.Reports.ValuesOrEmpty().Where(r => string.Equals(r.Source, source, StringComparison.Ordinal))]);
    }

    /// <summary>
    /// The series read on a day: the source standing first as of that day (<see cref="SourceStanding.Precedes"/>), the
    /// others beside it. One source's series is read every day; a day before any report reads the first source by name,
    /// which has nothing to say about it.
    /// </summary>
    public CountrySeries On(int day) =>
        _all.Length == 1 ? _all[0] : _day == day ? this : ReadOn(_all, day);

    private static CountrySeries ReadOn(CountrySeries[] all, int day)
    {
        var best = -1;
        var standings = new SourceStanding[all.Length];
        for (var i = 0; i < all.Length; i++)
        {
            standings[i] = all[i].StandingOn(day);
            if (standings[i].Reports > 0 && (best < 0 || SourceStanding.Precedes(standings[i], standings[best])))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return new CountrySeries(all[0], all, day, standings[0], []);
        }

        var others = standings.Where((s, i) => i != best && s.Reports > 0).ToList();
        others.Sort((a, b) => SourceStanding.Precedes(a, b) ? -1 : SourceStanding.Precedes(b, a) ? 1 : 0);
        return new CountrySeries(all[best], all, day, standings[best], [.. others]);
    }

    // Where this source's series stands on a day: days of the 14-day window reported, its latest report and its count of
    // reports, all dated on or before the day (one report a source and day, so reports are days).
    private SourceStanding StandingOn(int day)
    {
        var through = UpperBound(day);
        var covered = through - LowerBound(day - SourceStanding.WindowDays + 1);
        return new SourceStanding(PrimarySource!, covered, through > 0 ? _days[through - 1] : int.MinValue, through);
    }

    private static CountrySeries Of(CountryLedger ledger, string source, List<CountryReportRecord> reports)
    {
        reports.Sort((a, b) => a.Day.CompareTo(b.Day));
        var cumulativeMode = reports.Count(r => r.CumulativeCases is not null) * 2 >= reports.Count;
        return new CountrySeries(ledger, source, cumulativeMode, reports);
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
        ArgumentNullException.ThrowIfNull(series);
        var assessment = Assess(series, day, population, options);
        // A week without a case report is the last report's score carried forward: its slope of 0 is no sign that the
        // country is steady (newcomer 21a M4: Myanmar read "steady" at 20.7 from 24 to 30 April, its last report 20 April).
        if (assessment.Score is not null && series.On(day).LastReportAtOrBefore(day) is { } last && last < day - RiskDays.TrendDays)
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
        ArgumentNullException.ThrowIfNull(series);
        // Each day reads its own source, as of that day: a report dated later changes no earlier day (feed24).
        series = series.On(day);
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
            notes.Add(Explain.Text(explain, $"{series.OtherSources.Length + 1} sources report this country by {SourceStanding.Date(day)}: {SourceRead(series)}; {OtherSourcesText(series.OtherSources)} ({SourceStanding.Rule})"));
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
    public static int ReadAsOf(CountrySeries series, int day, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        return series.On(day).LastReportAtOrBefore(day) is { } last && last < day && day - last < options.StaleAfterDays ? last : day;
    }

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

    /// <summary>
    /// The source read on the day the series was chosen for, and when others report the country by then, why it is read:
    /// "source 'ru-official', read for 2020-04-30: it reports 14 of the 14 days to 2020-04-30, more than the 2 of 'nc24'".
    /// </summary>
    public static string SourceRead(CountrySeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return series.OtherSources.IsEmpty || series.ChosenFor is not { } day
            ? $"source '{series.PrimarySource}'"
            : $"source '{series.PrimarySource}', read for {SourceStanding.Date(day)}: {SourceStanding.Why(series.Standing, series.OtherSources[0], day)}";
    }

    // The sources not read and their last days as of the day, the first three named: "also reported by 'nc22' through 2020-04-29 (2 of the 14 days), not read".
    private static string OtherSourcesText(ImmutableArray<SourceStanding> others)
    {
        const int named = 3;
        var text = string.Join(", ", others.Take(named).Select(o => $"'{o.Source}' through {SourceStanding.Date(o.LastDay)} ({o.DaysCovered} of the {SourceStanding.WindowDays} days)"));
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
