using System.Collections.Immutable;
using System.Globalization;

namespace RiskMesh.Scoring.Model;

/// <summary>Shared arithmetic of the risk model: scales, levels, decay, trend.</summary>
public static class Scales
{
    /// <summary>Incidence anchors (per 100k over 14 days → normalised) taken from the ECDC thresholds 25, 50 and 150.</summary>
    private static readonly (double Rate, double Normalized)[] IncidenceAnchors = [(0, 0), (25, 0.25), (50, 0.5), (150, 0.75), (500, 1)];

    /// <summary>
    /// Maps a 14-day rate per 100k onto [0, 1], piecewise in log(1 + rate) between anchors at the ECDC thresholds,
    /// so 25 → 0.25, 50 → 0.5, 150 → 0.75 and 500 or more → 1.
    /// </summary>
    public static double IncidenceNormalized(double ratePer100k)
    {
        if (ratePer100k <= 0 || double.IsNaN(ratePer100k))
        {
            return 0;
        }

        for (var i = 1; i < IncidenceAnchors.Length; i++)
        {
            var (rate, normalized) = IncidenceAnchors[i];
            if (ratePer100k <= rate)
            {
                var (previousRate, previousNormalized) = IncidenceAnchors[i - 1];
                var t = (Math.Log(1 + ratePer100k) - Math.Log(1 + previousRate)) / (Math.Log(1 + rate) - Math.Log(1 + previousRate));
                return previousNormalized + (t * (normalized - previousNormalized));
            }
        }

        return 1;
    }

    /// <summary>
    /// The score that expected infected arrivals a day justify on their own: linear from 0 up to the moderate anchor
    /// (one a week by default → <see cref="ScoringOptions.ModerateFrom"/>), then rising with the logarithm of the rate
    /// through the high anchor (one a day → <see cref="ScoringOptions.HighFrom"/>) and the very-high anchor (five a day
    /// → <see cref="ScoringOptions.VeryHighFrom"/>), reaching 100 at ten times the very-high anchor.
    /// </summary>
    public static double ExposureFloor(double expectedPerDay, ScoringOptions options) =>
        AnchoredFloor(expectedPerDay, options.ExposureModeratePerDay, options.ExposureHighPerDay, options.ExposureVeryHighPerDay, options);

    /// <summary>
    /// The score a city's local 14-day incidence per 100,000 justifies on its own, on the same shape as
    /// <see cref="ExposureFloor"/> with the CDC travel notices' levels at their daily rate over 14 days as anchors (by
    /// default): 2.5 → moderate, 25 → high, 50 → very high, 100 at ten times that.
    /// </summary>
    public static double IncidenceFloor(double ratePer100k, ScoringOptions options) =>
        AnchoredFloor(ratePer100k, options.CityIncidenceModeratePer100k, options.CityIncidenceHighPer100k, options.CityIncidenceVeryHighPer100k, options);

    private static double AnchoredFloor(double x, double moderate, double high, double veryHigh, ScoringOptions options)
    {
        if (!(x > 0))
        {
            return 0;
        }

        double floor;
        if (x < moderate)
        {
            floor = options.ModerateFrom * x / moderate;
        }
        else if (x < high)
        {
            floor = options.ModerateFrom + ((options.HighFrom - options.ModerateFrom) * Math.Log(x / moderate) / Math.Log(high / moderate));
        }
        else if (x < veryHigh)
        {
            floor = options.HighFrom + ((options.VeryHighFrom - options.HighFrom) * Math.Log(x / high) / Math.Log(veryHigh / high));
        }
        else
        {
            floor = options.VeryHighFrom + ((100 - options.VeryHighFrom) * Math.Min(1, Math.Log(x / veryHigh) / Math.Log(10)));
        }

        return Round(floor);
    }

    /// <summary>1 − e^(−x/scale): 0 at 0, 0.63 at the scale, approaching 1.</summary>
    public static double Saturating(double x, double scale) => x <= 0 ? 0 : 1 - Math.Exp(-x / scale);

    /// <summary>Clamps to [0, 1].</summary>
    public static double Unit(double x) => double.IsNaN(x) ? 0 : Math.Clamp(x, 0, 1);

    /// <summary>The level a score falls in.</summary>
    public static RiskLevel LevelOf(double score, ScoringOptions options) =>
        score >= options.VeryHighFrom ? RiskLevel.VeryHigh
        : score >= options.HighFrom ? RiskLevel.High
        : score >= options.ModerateFrom ? RiskLevel.Moderate
        : RiskLevel.Low;

    /// <summary>Intelligence pressure on a day: Σ severity/5 × confidence × ½^(age / half-life) over reports up to that day.</summary>
    public static (double Pressure, IntelRecord? Strongest) IntelPressure(IEnumerable<IntelRecord> reports, int day, double halfLifeDays)
    {
        double total = 0;
        double strongestWeight = 0;
        IntelRecord? strongest = null;
        foreach (var report in reports)
        {
            if (report.Day > day)
            {
                continue;
            }

            var weight = report.Severity / 5.0 * report.Confidence * Math.Pow(0.5, (day - report.Day) / halfLifeDays);
            total += weight;
            if (weight > strongestWeight)
            {
                strongestWeight = weight;
                strongest = report;
            }
        }

        return (total, strongest);
    }

    /// <summary>The intelligence component, shared by every entity kind.</summary>
    public static ComponentResult IntelComponent(IEnumerable<IntelRecord> reports, int day, double weight, ScoringOptions options, bool explain = true)
    {
        var (pressure, strongest) = IntelPressure(reports, day, options.IntelHalfLifeDays);
        var explanation = strongest is null
            ? NoReportInForce(reports, day, explain)
            : Explain.Text(explain, $"Intelligence pressure {Format(pressure)}{IntelCopies.Beside(reports, day)}{WeightlessBeside(reports, day)}; strongest: severity {strongest.Severity} ({strongest.Category}, confidence {Format(strongest.Confidence)}, {DateOnly.FromDayNumber(strongest.Day):yyyy-MM-dd}): {strongest.Summary}");
        return new ComponentResult("intel", Round(pressure), "weighted reports", IntelNormalized(pressure), weight, explanation);
    }

    /// <summary>How many withdrawn reports <see cref="NoReportInForce"/> names one by one; the rest are counted.</summary>
    public const int WithdrawnNamed = 3;

    /// <summary>
    /// Why no intelligence report weighs anything: none was received, or each that counts weighs nothing, a withdrawal
    /// (a correction with confidence 0) or a report sent with confidence 0. A withdrawn report read "No intelligence
    /// reports", as if it had never been received (newcomer 22): the analyst is told which were withdrawn, by whom and when.
    /// </summary>
    private static string NoReportInForce(IEnumerable<IntelRecord> reports, int day, bool explain)
    {
        var weightless = Weightless(reports, day);
        if (weightless.Count == 0)
        {
            return "No intelligence reports.";
        }

        return explain ? $"No intelligence reports in force: {Described(weightless)}." : "";
    }

    // Beside reports in force, those that count and weigh nothing ("; 1 withdrawn (source nc22, id kz-1, withdrawn by
    // kz-2 on 2020-04-28)"): a withdrawal left unsaid beside another report read as if it had never been sent.
    private static string WeightlessBeside(IEnumerable<IntelRecord> reports, int day)
    {
        var weightless = Weightless(reports, day);
        return weightless.Count == 0 ? "" : $"; {Described(weightless)}";
    }

    // The reports that count on the day and weigh nothing (withdrawn, or sent with confidence 0), by day, source and id.
    private static List<IntelRecord> Weightless(IEnumerable<IntelRecord> reports, int day) =>
        [.. reports.Where(r => r.Day <= day && r.Severity * r.Confidence <= 0)
            .OrderBy(r => r.Day).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)];

    // "1 withdrawn and 1 with confidence 0 (source nc22, id ru-1, withdrawn by ru-2 on 2020-04-12; …)", the first
    // WithdrawnNamed named and the rest counted.
    private static string Described(List<IntelRecord> weightless)
    {
        var withdrawn = weightless.Count(r => r.Replaces is not null);
        var zero = weightless.Count - withdrawn;
        var counts = string.Join(" and ", new[] { withdrawn > 0 ? $"{withdrawn} withdrawn" : null, zero > 0 ? $"{zero} with confidence 0" : null }.OfType<string>());
        var named = string.Join("; ", weightless.Take(WithdrawnNamed).Select(One));
        var more = weightless.Count > WithdrawnNamed ? $"; and {weightless.Count - WithdrawnNamed} more" : "";
        return $"{counts} ({named}{more})";

        static string One(IntelRecord r)
        {
            var source = r.Source is { } s ? $"source {s}, " : "";
            var date = DateOnly.FromDayNumber(r.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return r.Replaces is { } earlier
                ? $"{source}id {earlier}, withdrawn by {r.Id ?? "a correction"} on {date}"
                : $"{source}id {r.Id ?? "unknown"}, {date}";
        }
    }

    /// <summary>Intelligence pressure on the 0–1 scale of a component: 1 − e^(−pressure), rounded.</summary>
    public static double IntelNormalized(double pressure) => Round(1 - Math.Exp(-pressure));

    /// <summary>Scored days a week needs for its trend: fewer than four points make a slope of noise.</summary>
    public const int TrendMinimumScoredDays = 4;

    /// <summary>
    /// Why a week's trend is unknown when it has too few scored days, in the words the data-quality notes use ("trend
    /// unknown: it needs 4 scored days of the last 7, this week has 3, from 2020-05-09"); null when it has enough. A
    /// city first reported two days ago has a history of scored days and still no trend (newcomer try-out: Ruili, Hekou
    /// and Jinghong read "trend unknown" with nothing saying why).
    /// </summary>
    /// <param name="scoresOldestFirst">The week's scores, oldest first, the last on <paramref name="day"/>.</param>
    /// <param name="day">The day of the last score.</param>
    public static string? TrendUnknownNote(IReadOnlyList<double?> scoresOldestFirst, int day)
    {
        ArgumentNullException.ThrowIfNull(scoresOldestFirst);
        var scored = 0;
        var first = -1;
        for (var i = 0; i < scoresOldestFirst.Count; i++)
        {
            if (scoresOldestFirst[i] is not null)
            {
                scored++;
                first = first < 0 ? i : first;
            }
        }

        if (scored >= TrendMinimumScoredDays)
        {
            return null;
        }

        var days = scoresOldestFirst.Count;
        return scored == 0
            ? $"trend unknown: it needs {TrendMinimumScoredDays} scored days of the last {days}, this week has none"
            : $"trend unknown: it needs {TrendMinimumScoredDays} scored days of the last {days}, this week has {scored}, from {DateOnly.FromDayNumber(day - (days - 1) + first):yyyy-MM-dd}";
    }

    /// <summary>
    /// The week's trend for an assessment, with a data-quality note saying why when it is unknown for want of scored
    /// days (<see cref="TrendUnknownNote"/>); a day without a score of its own gets no note, its level says enough.
    /// </summary>
    public static (Assessment Assessment, Trend Trend) WithTrend(Assessment assessment, IReadOnlyList<double?> scoresOldestFirst, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var trend = TrendOf(scoresOldestFirst, options);
        return trend == Trend.Unknown && assessment.Score is not null && TrendUnknownNote(scoresOldestFirst, assessment.Day) is { } note
            ? (assessment with { Quality = assessment.Quality with { Notes = assessment.Quality.Notes.Add(note) } }, trend)
            : (assessment, trend);
    }

    /// <summary>
    /// A score from the weighted evidence and the highest score floor: the floor decides the level, the weighted
    /// evidence places the score within it. max(W, F + (B − F) × W / 100), where B is the score at which the level
    /// above the floor's begins (100 above very high): with no floor it is W; with no other evidence it is the floor; it
    /// rises with every signal, so a report below the floor still moves the score, rankings and trend; and it never
    /// crosses into a level neither the floor nor the weighted evidence reaches, so the floors' anchors (ECDC's bands,
    /// one infected arrival a week, a day, five a day) keep deciding levels, and notices, as they were calibrated to.
    /// </summary>
    public static double FloorLifted(double weighted, double floor, ScoringOptions options)
    {
        if (!(floor > 0))
        {
            return weighted;
        }

        var ceiling = LevelCeiling(floor, options);
        return Round(Math.Max(weighted, floor + ((ceiling - floor) * weighted / 100)));
    }

    /// <summary>The score at which the level above a score's begins; 100 for very high.</summary>
    public static double LevelCeiling(double score, ScoringOptions options) =>
        score < options.ModerateFrom ? options.ModerateFrom
        : score < options.HighFrom ? options.HighFrom
        : score < options.VeryHighFrom ? options.VeryHighFrom
        : 100;

    /// <summary>Least-squares slope of a week of scores (oldest first), classified; needs four scored days.</summary>
    public static Trend TrendOf(IReadOnlyList<double?> scoresOldestFirst, ScoringOptions options)
    {
        var points = scoresOldestFirst
            .Select((score, index) => (X: (double)index, Y: score))
            .Where(p => p.Y is not null)
            .Select(p => (p.X, Y: p.Y!.Value))
            .ToList();
        if (points.Count < TrendMinimumScoredDays)
        {
            return Trend.Unknown;
        }

        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var numerator = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var denominator = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        var slope = denominator == 0 ? 0 : numerator / denominator;
        return slope > options.TrendSlopePerDay ? Trend.Rising : slope < -options.TrendSlopePerDay ? Trend.Falling : Trend.Steady;
    }

    /// <summary>Weighted sum of components as a 0–100 score.</summary>
    public static double ScoreOf(IEnumerable<ComponentResult> components)
    {
        // Both sums in one pass, each in the components' order (as two LINQ sums added them): no copy of the list.
        double totalWeight = 0, weightedSum = 0;
        foreach (var component in components)
        {
            totalWeight += component.Weight;
            weightedSum += component.Weight * component.Normalized;
        }

        return WeightedMean(totalWeight, weightedSum);
    }

    /// <summary>
    /// The same score from the terms' weights and normalised values alone, in the order the components would have:
    /// for a score wanted without its explanation (the same number, bit for bit, as <see cref="ScoreOf"/>).
    /// </summary>
    public static double WeightedScore(ReadOnlySpan<(double Weight, double Normalized)> terms)
    {
        double totalWeight = 0, weightedSum = 0;
        foreach (var (weight, normalized) in terms)
        {
            totalWeight += weight;
            weightedSum += weight * normalized;
        }

        return WeightedMean(totalWeight, weightedSum);
    }

    private static double WeightedMean(double totalWeight, double weightedSum) =>
        totalWeight <= 0 ? 0 : Round(weightedSum / totalWeight * 100);

    /// <summary>Rounds for display and storage: four decimals.</summary>
    public static double Round(double value) => Math.Round(value, 4);

    /// <summary>Rounds a nullable.</summary>
    public static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 4);

    /// <summary>
    /// Rounds a metric for display and storage: four decimals, but two significant digits below 0.001, where four
    /// decimals keep one or none (a traveller prevalence of 0.0000622 read 0.0001, 60% too high: newcomer 21a L4).
    /// </summary>
    public static double? RoundMetric(double? value) =>
        value is { } v && v != 0 && Math.Abs(v) < 0.001 && double.IsFinite(v)
            ? Math.Round(v, Math.Min(15, 1 - (int)Math.Floor(Math.Log10(Math.Abs(v)))))
            : Round(value);

    /// <summary>A count with its noun in the right number: "1 laboratory", "3 laboratories", "0.5 laboratories", "1,200 travellers".</summary>
    public static string Counted(double count, string singular, string plural) =>
        $"{Count(count)} {(count == 1 ? singular : plural)}";

    /// <summary>A count of people or things as people read it: thousands separated ("1,200", "6,150"), whole from 100 up, else up to two decimals.</summary>
    public static string Count(double count) =>
        count.ToString(count >= 100 ? "#,0" : "#,0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// A share or chance in percent, without the false precision of two decimals: whole percents ("29"), two decimals
    /// below 1 ("0.73"), and "over 99" rather than a rounded "100" for less than all.
    /// </summary>
    public static string Percent(double percent) => percent switch
    {
        < 1 => Format(percent),
        >= 99.5 and < 100 => "over 99",
        _ => percent.ToString("#,0", CultureInfo.InvariantCulture),
    };

    /// <summary>"a" or "an" for a number written in digits, by its sound: "an 8", "an 86", "an 11", "an 18,000", "a 1", "a 100".</summary>
    public static string Article(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.Length > 0 && "aeiouAEIOU".Contains(number[0], StringComparison.Ordinal))
        {
            return "an";
        }

        // Eight, eighty, eight hundred … and eleven, eighteen (also eleven thousand, eighteen million): the integer
        // part's digits decide, read in groups of three.
        var digits = new string([.. number.TakeWhile(c => char.IsAsciiDigit(c) || c == ',').Where(char.IsAsciiDigit)]);
        return digits.Length == 0 ? "a"
            : digits[0] == '8' ? "an"
            : digits.Length % 3 == 2 && (digits.StartsWith("11", StringComparison.Ordinal) || digits.StartsWith("18", StringComparison.Ordinal)) ? "an"
            : "a";
    }

    /// <summary>Short invariant formatting for explanations.</summary>
    public static string Format(double value) => value.ToString(value >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// Builds a data-quality record. <paramref name="report"/> names the reports that count as the entity's own (a
    /// city's case and capacity reports, not intelligence about it nor its ports' traffic), and
    /// <paramref name="reportNote"/> says what does not count, so "no report for 20 days" beside a cited intelligence
    /// report of 10 days ago is not read as a contradiction (newcomer 16, finding 5).
    /// </summary>
    public static DataQuality Quality(int day, int? lastReportDay, bool flat, bool revised, bool missingPopulation, ScoringOptions options, IEnumerable<string> notes, string report = "report", string reportNote = "")
    {
        int? since = lastReportDay is null ? null : day - lastReportDay.Value;
        var stale = IsStale(day, lastReportDay, options);
        var all = notes.ToList();
        if (lastReportDay is null)
        {
            all.Insert(0, $"no {report} received{reportNote}");
        }
        else if (stale)
        {
            all.Insert(0, $"no {report} for {since} days{reportNote}");
        }

        return new DataQuality(stale, since, flat, revised, missingPopulation, [.. all]) { NoRecentReport = stale };
    }

    /// <summary>
    /// The mean of a capacity's gaps, with their texts kept only when explained: a port's and a city's assessments make
    /// one each, on every change, and most write no text. The mean is the one <see cref="Enumerable.Average(IEnumerable{double})"/>
    /// gave: the first gap, the others added in order, divided by their count.
    /// </summary>
    public struct GapMean(bool explain)
    {
        private readonly List<string>? _texts = explain ? [] : null;
        private double _sum;

        /// <summary>The gaps added.</summary>
        public int Count { get; private set; }

        /// <summary>The mean of the gaps added (NaN when none was).</summary>
        public readonly double Mean => _sum / Count;

        /// <summary>Adds a gap and, when explained, its text.</summary>
        public void Add(double gap, string text)
        {
            _sum = Count == 0 ? gap : _sum + gap;
            Count++;
            _texts?.Add(text);
        }

        /// <summary>The texts, joined by "; " (empty when not explained).</summary>
        public readonly string JoinedTexts() => _texts is null ? "" : string.Join("; ", _texts);
    }

    /// <summary>True when the entity's own last report is older than the stale horizon, or it never reported.</summary>
    public static bool IsStale(int day, int? lastReportDay, ScoringOptions options) =>
        lastReportDay is null || day - lastReportDay.Value >= options.StaleAfterDays;

    /// <summary>An immutable metrics dictionary.</summary>
    public static ImmutableDictionary<string, double?> Metrics(params (string Name, double? Value)[] metrics) =>
        metrics.ToImmutableDictionary(m => m.Name, m => RoundMetric(m.Value));
}
