using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Newcomer 21a M4 and L4: growth from small numbers counts for less and says so, a week without a report reads
/// "trend unknown", not "steady", and a traveller prevalence of 0.0000622 is not shown as 0.0001.
/// </summary>
public sealed class CountrySmallNumbersTests
{
    // Seven days of one count, then seven of another, reported daily as new cases: day 13 ends the second week.
    private static Assessment Weeks(long before, long last, long population)
    {
        var ledger = Of(Enumerable.Range(0, 14).Select(d => New(d, d < 7 ? Spread(before, d) : Spread(last, d - 7))));
        return Assess(ledger, 13, population);
    }

    // A week's count spread over its 7 days (the remainder on the first).
    private static long Spread(long week, int dayOfWeek) => (week / 7) + (dayOfWeek == 0 ? week % 7 : 0);

    [Fact]
    public void Growth_FromFewCasesAtTinyIncidence_CountsForLittle_AndTheNotesSaySo()
    {
        // Myanmar, April 2020: 72 cases against 18 in 54 million people (0.13 per 100,000 a week) scored 20 of its 20.7
        // points from growth. Growth counts in full from 100 cases and 1.25 per 100,000 a week: here at 0.13 / 1.25.
        var assessment = Weeks(18, 72, 54_000_000);

        var growth = assessment.Component("growth");
        Assert.Equal(3.3478, growth.Value!.Value, 4);
        Assert.Equal(Scales.Round(72 / 54_000_000.0 * 100_000 / 1.25), growth.Normalized, 4);
        Assert.True(growth.Contribution < 2.5, $"growth still contributes {growth.Contribution} points");
        Assert.Contains("small numbers", growth.Explanation, StringComparison.Ordinal);
        Assert.Contains(assessment.Quality.Notes, n => n.StartsWith("small numbers: growth counted at 11% of its weight (72 cases in the last 7 days, 0.13 per 100,000)", StringComparison.Ordinal));
    }

    [Fact]
    public void Growth_FromFewCases_AtAnIncidenceThatMatters_CountsInProportionToTheCount()
    {
        // Mongolia, October 2020: about 4 then 6 cases a day in 3.3 million people (1.27 per 100,000 a week).
        var assessment = Weeks(28, 42, 3_300_000);

        Assert.Equal(Scales.Round(Math.Min(1, (42 + 5.0) / (28 + 5) - 1) * 0.42), assessment.Component("growth").Normalized, 4);
        Assert.Contains(assessment.Quality.Notes, n => n.StartsWith("small numbers: growth counted at 42% of its weight", StringComparison.Ordinal));
    }

    [Fact]
    public void Growth_FromEnoughCases_CountsInFull_WithoutANote()
    {
        var assessment = Weeks(700, 2_100, 3_300_000);

        Assert.Equal(1, assessment.Component("growth").Normalized);
        Assert.DoesNotContain(assessment.Quality.Notes, n => n.StartsWith("small numbers", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(0, 0.5)]
    [InlineData(40, 0.0)]
    [InlineData(40, 0.5)]
    [InlineData(40, 2.0)]
    [InlineData(250, 0.5)]
    public void GrowthShare_ABoundSetTo0IsOff_TheOtherAloneDecides_AWeekOfNoCasesToo(long cases7, double incidence7)
    {
        // "0 or more" (ScoringOptions.Validate): 0 switches that bound off, so growth is not scaled by it at all.
        var byCountOnly = ScoringOptions.Default with { GrowthFullWeightPer100k7d = 0 };
        var byRateOnly = ScoringOptions.Default with { GrowthFullWeightCases = 0 };
        var neither = ScoringOptions.Default with { GrowthFullWeightCases = 0, GrowthFullWeightPer100k7d = 0 };

        Assert.Equal(Math.Min(1, cases7 / 100.0), CountryModel.GrowthShare(cases7, incidence7, byCountOnly));
        Assert.Equal(Math.Min(1, incidence7 / 1.25), CountryModel.GrowthShare(cases7, incidence7, byRateOnly));
        Assert.Equal(1, CountryModel.GrowthShare(cases7, incidence7, neither));
    }

    [Fact]
    public void Growth_WithEitherBoundOff_AWeekOfNoCasesAfterSomeFalls_AndEveryFigureIsANumber()
    {
        // 35 cases, then a week of none: growth ×0.125, falling, adds nothing, whichever bound is switched off.
        var ledger = Of(Enumerable.Range(0, 14).Select(d => New(d, d < 7 ? 5 : 0)));
        foreach (var options in new[] { ScoringOptions.Default with { GrowthFullWeightCases = 0 }, ScoringOptions.Default with { GrowthFullWeightPer100k7d = 0 } })
        {
            var assessment = CountryModel.Assess(CountrySeries.Prepare(ledger), Day(13), 1_000_000, options);

            var growth = assessment.Component("growth");
            Assert.Equal(0.125, growth.Value);
            Assert.Equal(0, growth.Normalized);
            Assert.All(assessment.Components, c => Assert.True(double.IsFinite(c.Normalized) && double.IsFinite(c.Contribution), $"{c.Name}: {c.Normalized}, {c.Contribution}"));
            Assert.True(assessment.Score is { } score && double.IsFinite(score), $"score {assessment.Score}");
        }
    }

    [Fact]
    public void Trend_OfAWeekWithoutAnyReport_IsUnknown_NotSteady()
    {
        // Reports from day 0 to day 30, then none: from day 37 every day of the week reads as of day 30.
        var ledger = Of(Enumerable.Range(0, 31).Select(d => Cumulative(d, 100L * d)));
        var series = CountrySeries.Prepare(ledger);

        var (lastWithReport, trendWithReport) = CountryModel.AssessWithTrend(series, Day(36), 1_000_000, ScoringOptions.Default);
        var (carried, trend) = CountryModel.AssessWithTrend(series, Day(37), 1_000_000, ScoringOptions.Default);

        Assert.Equal(Trend.Steady, trendWithReport);
        Assert.DoesNotContain(lastWithReport.Quality.Notes, n => n.StartsWith("trend unknown", StringComparison.Ordinal));
        Assert.Equal(Trend.Unknown, trend);
        Assert.NotNull(carried.Score);
        Assert.Contains("trend unknown: no recent report, no case report in the last 7 days (the last for 2020-03-31): the score is carried forward, not steady", carried.Quality.Notes);
    }

    [Fact]
    public void TravellerPrevalence_KeepsTwoSignificantDigits()
    {
        // 62 cases in 14 days in a million people: 6.2 per 100,000, a prevalence of 0.000062 (shown as 0.0001 before).
        var ledger = Of(Enumerable.Range(0, 21).Select(d => Cumulative(d, d <= 6 ? 0 : d < 20 ? 4L * (d - 6) : 62)));

        var assessment = Assess(ledger, 20, 1_000_000);

        Assert.Equal(0.000062, assessment.Metrics["travellerPrevalence"]!.Value, 12);
        Assert.Equal(0.000062, HistoryPoint.Of(assessment).Metrics["travellerPrevalence"]!.Value, 12);
    }
}
