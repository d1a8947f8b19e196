using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// How a country's series is read: which source is primary, when a cumulative series is flat, growth against the
/// saturation option, and a population of 0.
/// </summary>
public sealed class CountrySeriesRulesTests
{
    private const long Million = 1_000_000;

    [Fact]
    public void Prepare_SourceThatBeganLaterButStoppedEarlier_IsNotPrimary()
    {
        // "who" reports days 0-30; "local" began on day 10 and stopped on day 20: the latest report decides, not the first.
        var ledger = Of([.. Enumerable.Range(0, 31).Select(i => Cumulative(i, 10L * i, "who")), .. Enumerable.Range(10, 11).Select(i => Cumulative(i, 5L * i, "local"))]);

        Assert.Equal("who", CountrySeries.Prepare(ledger).PrimarySource);
    }

    [Fact]
    public void Assess_CumulativeUnchangedAndReportedOnHalfTheWindow_IsFlat_OnFewerDaysItIsNot()
    {
        // The flat-series window is 7 days and needs reports on at least half of them (7 / 2 = 3): the count stood at 100
        // on day 7 and was reported unchanged on days 10, 12 and 14; without day 10 too few days reported to call it flat.
        var threeReports = Of([Cumulative(0, 50), Cumulative(7, 100), Cumulative(10, 100), Cumulative(12, 100), Cumulative(14, 100)]);
        var twoReports = Of([Cumulative(0, 50), Cumulative(7, 100), Cumulative(12, 100), Cumulative(14, 100)]);

        Assert.True(Assess(threeReports, 14, Million).Quality.FlatSeries);
        Assert.False(Assess(twoReports, 14, Million).Quality.FlatSeries);
    }

    [Fact]
    public void Assess_Growth_NormalisedBetweenOneAndTheSaturationOption()
    {
        // 15 new cases in days 1-7 and 35 in days 8-14: growth (35 + 5) / (15 + 5) = ×2; with saturation at ×3 that is
        // (2 − 1) / (3 − 1) = 0.5 of the component (at the default ×2 it would be the whole of it).
        var ledger = Of([New(1, 15), .. Enumerable.Range(2, 6).Select(i => New(i, 0)), New(8, 35), .. Enumerable.Range(9, 6).Select(i => New(i, 0))]);
        // Growth from 35 cases would count at 35% of its weight (GrowthFullWeightCases): off here, the saturation is the subject.
        var options = ScoringOptions.Default with { GrowthSaturation = 3, GrowthFullWeightCases = 0 };

        var growth = CountryModel.Assess(CountrySeries.Prepare(ledger), Day(14), Million, options).Components.Single(c => c.Name == "growth");

        Assert.Equal(2, growth.Value);
        Assert.Equal(0.5, growth.Normalized);
    }

    [Fact]
    public void Assess_PopulationOfZero_IsMissingPopulationAndInsufficientData()
    {
        var ledger = Of(Enumerable.Range(0, 15).Select(i => Cumulative(i, 100L * i)));

        var assessment = Assess(ledger, 14, population: 0);

        Assert.Null(assessment.Score);
        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.True(assessment.Quality.MissingPopulation);
        Assert.Contains(DataQualityFlags.MissingPopulation, assessment.Quality.Flags);
        Assert.Null(assessment.Metrics["incidence14dPer100k"]);
    }

    [Fact]
    public void CumulativeAt_ADayWhoseLatestReportHasNoCumulative_ReadsTheEarlierOne_NeverALaterOne()
    {
        // Cumulative 10 on day 0, a new-cases-only report on day 5, cumulative 50 on day 8: day 6 stood at 10.
        var series = CountrySeries.Prepare(Of([Cumulative(0, 10), New(5, 3), Cumulative(8, 50)]));

        Assert.True(series.CumulativeMode);
        Assert.Equal(10, series.CumulativeAt(Day(6)));
    }

    [Fact]
    public void Assess_CasesButNoTestsInTheWeek_PositivityIsUnknown_NotAHundredPercent()
    {
        var ledger = Of(Enumerable.Range(0, 15).Select(i => Cumulative(i, 10L * i, tests: 0)));

        var assessment = Assess(ledger, 14, Million);

        Assert.Null(assessment.Metrics["positivity7d"]);
        Assert.Equal("grey", assessment.Classifications!.Ecdc);
    }

    [Fact]
    public void Assess_FeedWithASingleReport_ReadDaysLater_IsFlaggedEstimated()
    {
        // Its one report (day 0) is the last: its windows end on it, and from the second day after it the day is flagged.
        var assessment = Assess(Of([New(0, 40)]), 5, Million);

        Assert.True(assessment.Quality.Estimated);
        Assert.Contains(DataQualityFlags.Estimated, assessment.Quality.Flags);
    }
}
