namespace RiskMesh.FunctionalTests.Queries;

/// <summary>One day of a country's cumulative feed, as a JHU-style source reports it.</summary>
public sealed record DailyReport(DateOnly Date, long Cumulative, long? Tests, double? Positivity);

/// <summary>
/// DESIGN.md section 4 computed independently of RiskMesh.Scoring, straight from the text: incidence from the latest
/// cumulative at or before a day, the ECDC combined indicator (14-day rate, positivity and testing rate of the last
/// week) and the CDC travel health notice level (28-day rate).
/// </summary>
public static class DesignReference
{
    /// <summary>C(x): the latest cumulative count reported at or before x.</summary>
    public static long? CumulativeAt(IReadOnlyList<DailyReport> series, DateOnly day) =>
        series.Where(r => r.Date <= day).Select(r => (long?)r.Cumulative).LastOrDefault();

    /// <summary>(C(d) − C(d−days)) / population × 100,000.</summary>
    public static double? Incidence(IReadOnlyList<DailyReport> series, DateOnly day, int days, long population)
    {
        var end = CumulativeAt(series, day);
        var start = CumulativeAt(series, day.AddDays(-days));
        return end is null || start is null ? null : Math.Max(0, end.Value - start.Value) / (double)population * 100_000;
    }

    /// <summary>Council Recommendation (EU) 2020/1475 points 8 and 10, as DESIGN.md section 4 states them.</summary>
    public static string Ecdc(IReadOnlyList<DailyReport> series, DateOnly day, long population)
    {
        var rate = Incidence(series, day, 14, population);
        var week = series.Where(r => r.Date > day.AddDays(-7) && r.Date <= day).ToList();
        var withTests = week.Where(r => r.Tests is not null).ToList();
        double? testsPer100k = withTests.Count == 0 ? null : withTests.Sum(r => r.Tests!.Value) / (double)population * 100_000;
        var both = week.Where(r => r.Tests is not null && r.Positivity is not null).ToList();
        double? positivity = both.Sum(r => r.Tests!.Value) > 0
            ? both.Sum(r => r.Positivity!.Value * r.Tests!.Value) / both.Sum(r => (double)r.Tests!.Value)
            : withTests.Sum(r => r.Tests!.Value) is > 0 and var tests && Incidence(series, day, 7, population) is not null
                ? Math.Min(1, (CumulativeAt(series, day)!.Value - CumulativeAt(series, day.AddDays(-7))!.Value) / (double)tests)
                : null;
        if (rate is null || positivity is null || testsPer100k is not > 300)
        {
            return "grey";
        }

        if (rate < 25 && positivity < 0.04)
        {
            return "green";
        }

        return (rate >= 50 && positivity >= 0.04) || rate > 150 ? "red" : "orange";
    }

    /// <summary>US CDC travel health notice level (November 2020): 28-day cases per 100,000.</summary>
    public static string CdcThn(IReadOnlyList<DailyReport> series, DateOnly day, long population) =>
        population <= 200_000
            ? "unknown"
            : Incidence(series, day, 28, population) switch
            {
                null => "unknown",
                > 100 => "level-4",
                > 50 => "level-3",
                >= 5 => "level-2",
                _ => "level-1",
            };
}
