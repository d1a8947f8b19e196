using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// A country whose feed pauses has not reported zero cases: its windows end on its last report until the stale
/// horizon (try-out 6 F14: Russia's cumulative feed ended on 30 April and on 10 May it read "low, falling", growth ×0).
/// </summary>
public sealed class CountryFeedPauseTests
{
    private const long Million = 1_000_000;

    // 100 new cases a day, cumulative, reported every day from day 0 to day 30, then nothing.
    private static readonly CountryLedger Stopped = Of(Enumerable.Range(0, 31).Select(d => Cumulative(d, 100L * d)));

    [Fact]
    public void Assess_DaysAfterTheLastReport_ReadAsOfTheLastReport_NotAsDaysWithoutCases()
    {
        var onLastReport = Assess(Stopped, 30, Million);

        foreach (var daysLater in new[] { 2, 5, 10, 13 })
        {
            var later = Assess(Stopped, 30 + daysLater, Million);

            Assert.Equal(onLastReport.Score, later.Score);
            Assert.Equal(onLastReport.Level, later.Level);
            Assert.Equal(700, later.Metrics["cases7d"]);
            Assert.Equal(1400, later.Metrics["cases14d"]);
            Assert.Equal(onLastReport.Metrics["growth7d"], later.Metrics["growth7d"]);
            Assert.Equal(onLastReport.PrevalencePerPerson, later.PrevalencePerPerson);
            Assert.StartsWith("140 cases per 100,000 in the 14 days to 2020-03-31 ", later.Components[0].Explanation);
            Assert.True(later.Quality.Estimated);
            Assert.Contains(DataQualityFlags.Estimated, later.Quality.Flags);
            Assert.Contains($"no case report since 2020-03-31 ({daysLater} days): its windows end on that day; the days since are not read as days without cases", later.Quality.Notes);
        }
    }

    [Fact]
    public void Assess_TheDayAfterTheLastReport_ReadsAsOfIt_ButIsTheOrdinaryReportingLag_NotFlagged()
    {
        var onLastReport = Assess(Stopped, 30, Million);
        var nextDay = Assess(Stopped, 31, Million);

        Assert.Equal(onLastReport.Score, nextDay.Score);
        Assert.Equal(700, nextDay.Metrics["cases7d"]);
        Assert.StartsWith("140 cases per 100,000 in the 14 days to 2020-03-31 ", nextDay.Components[0].Explanation);
        Assert.False(nextDay.Quality.Estimated);
        Assert.DoesNotContain(DataQualityFlags.Estimated, nextDay.Quality.Flags);
        Assert.DoesNotContain(nextDay.Quality.Notes, n => n.StartsWith("no case report since", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_OnADayItReported_IsNotEstimated()
    {
        var a = Assess(Stopped, 30, Million);

        Assert.False(a.Quality.Estimated);
        Assert.DoesNotContain(a.Quality.Notes, n => n.StartsWith("no case report since", StringComparison.Ordinal));
        Assert.StartsWith("140 cases per 100,000 in the 14 days to 2020-03-31 ", a.Components[0].Explanation);
    }

    [Fact]
    public void Assess_AtTheStaleHorizon_IsInsufficientData_AsBefore()
    {
        var a = Assess(Stopped, 30 + ScoringOptions.Default.StaleAfterDays, Million);

        Assert.Equal(RiskLevel.InsufficientData, a.Level);
        Assert.Null(a.Score);
        Assert.Null(a.PrevalencePerPerson);
        Assert.True(a.Quality.Stale);
    }

    [Fact]
    public void Assess_NewCasesFeedWithAWeekendGap_CountsTheLastReportedWeek_NotTwoZeroDays()
    {
        // New cases reported Monday to Friday of two weeks; assessed on the Sunday after: the week read is the one to
        // Friday, not one with Saturday and Sunday counted as no cases.
        var reported = Enumerable.Range(0, 12).Where(d => d % 7 < 5).Select(d => New(d, 50)).ToList();
        var ledger = Of(reported);

        var friday = Assess(ledger, 11, Million);
        var sunday = Assess(ledger, 13, Million);

        Assert.Equal(friday.Metrics["cases7d"], sunday.Metrics["cases7d"]);
        Assert.Equal(friday.Score, sunday.Score);
        Assert.True(sunday.Quality.Estimated);
    }

    [Fact]
    public void AssessWithTrend_AFeedThatPaused_IsNotFalling()
    {
        var (_, trend) = CountryModel.AssessWithTrend(CountrySeries.Prepare(Stopped), Day(38), Million, ScoringOptions.Default);

        Assert.NotEqual(Trend.Falling, trend);
    }
}
