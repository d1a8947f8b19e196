using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class CountryModelTests
{
    private const long Million = 1_000_000;

    [Fact]
    public void Assess_Explanations_NameRatesBandsAndGrowth()
    {
        // 10 new cases a day for 7 days, then 30 a day for 7: 280 in 14 days, 28 per 100,000; growth (210+5)/(70+5).
        var ledger = Of([.. Enumerable.Range(1, 7).Select(i => New(i, 10)), .. Enumerable.Range(8, 7).Select(i => New(i, 30))]);

        var a = Assess(ledger, 14, Million);

        Assert.Equal("28 cases per 100,000 in the 14 days to 2020-03-15 (280 cases, source 'who'), at or above the ECDC 25 line; travellers' infectious prevalence taken as 28 per 100,000 (official counts at face value, ascertainment ×1).", a.Components[0].Explanation);
        Assert.Equal("210 cases in the last 7 days against 70 in the 7 before: growth ×2.87, rising.", a.Components[1].Explanation);
        Assert.Equal(1, a.Components[1].Normalized);
        Assert.Equal(Math.Round(215 / 75.0, 4), a.Components[1].Value);
        Assert.Equal("No intelligence reports.", a.Components[2].Explanation);
        Assert.Equal(["incidence", "growth", "intel"], a.Components.Select(c => c.Name));
        Assert.Equal([0.6, 0.2, 0.2], a.Components.Select(c => c.Weight));
        Assert.Equal(Math.Round((0.6 * a.Components[0].Normalized + 0.2) * 100, 2), a.Score!.Value, 1);
        Assert.Equal(RiskLevel.Moderate, a.Level);
        Assert.Equal(0.00028, a.PrevalencePerPerson!.Value, 9);
    }

    [Theory]
    [InlineData(10, "below the ECDC 25 line")]
    [InlineData(25, "at or above the ECDC 25 line")]
    [InlineData(50, "at or above the ECDC 50 line")]
    [InlineData(150, "at or above the ECDC 50 line")]
    [InlineData(151, "above the ECDC 150 line")]
    public void Assess_IncidenceBand(int casesPer100k, string band)
    {
        var ledger = Of([Cumulative(0, 0), Cumulative(14, casesPer100k * 10L)]);

        Assert.Contains($", {band};", Assess(ledger, 14, Million).Components[0].Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(70, 70, ", flat.")]
    [InlineData(70, 73, ", flat.")]
    [InlineData(70, 80, ", rising.")]
    [InlineData(70, 60, ", falling.")]
    [InlineData(70, 67, ", flat.")]
    public void Assess_GrowthWords(int before, int last, string word)
    {
        var ledger = Of([Cumulative(0, 0), Cumulative(7, before), Cumulative(14, before + last)]);

        var growth = Assess(ledger, 14, Million).Components[1];

        Assert.EndsWith(word, growth.Explanation, StringComparison.Ordinal);
        // Fewer than 100 cases in the week: growth counts at last / 100 of its weight (GrowthFullWeightCases).
        Assert.Equal(Math.Round(Scales.Unit(((last + 5.0) / (before + 5.0)) - 1) * Math.Min(1, last / 100.0), 4), growth.Normalized);
    }

    [Fact]
    public void Assess_TooFewReports_ExplainsWhatIsUnknown()
    {
        var a = Assess(Of([Cumulative(10, 100)]), 14, Million);

        Assert.Equal("Incidence unknown: not enough case reports in the last 14 days.", a.Components[0].Explanation);
        Assert.Equal("Growth unknown: fewer than 14 days of case reports.", a.Components[1].Explanation);
        Assert.Null(a.Score);
        Assert.Null(a.PrevalencePerPerson);
        Assert.Equal("Incidence unknown: no population for this country.", Assess(Of([Cumulative(0, 1), Cumulative(14, 100)]), 14, null).Components[0].Explanation);
    }

    [Fact]
    public void Assess_FlatCumulativeSeries_IsFlagged()
    {
        var ledger = Of([Cumulative(0, 50), .. Enumerable.Range(7, 8).Select(i => Cumulative(i, 100))]);

        var a = Assess(ledger, 14, Million);

        Assert.True(a.Quality.FlatSeries);
        Assert.Contains("cumulative cases unchanged for 7 days", a.Quality.Notes);
        Assert.False(Assess(Of([Cumulative(0, 50), .. Enumerable.Range(7, 8).Select(i => Cumulative(i, 100 + i))]), 14, Million).Quality.FlatSeries);
        Assert.False(Assess(Of([Cumulative(0, 50), Cumulative(14, 50)]), 14, Million).Quality.FlatSeries);
        Assert.False(Assess(Of(Enumerable.Range(0, 15).Select(i => New(i, 0))), 14, Million).Quality.FlatSeries);
    }

    [Fact]
    public void Assess_Metrics_AreComplete()
    {
        var ledger = Of(Enumerable.Range(0, 29).Select(i => Cumulative(i, 10L * i, tests: 1000, positivity: 0.05)));

        var a = Assess(ledger, 28, Million);

        Assert.Equal(Million, a.Metric("population"));
        Assert.Equal(70, a.Metric("cases7d"));
        Assert.Equal(140, a.Metric("cases14d"));
        Assert.Equal(280, a.Metric("cases28d"));
        Assert.Equal(700, a.Metric("testsPer100k7d"), 6);
        Assert.Equal(0.05, a.Metric("positivity7d"));
        Assert.Equal(0, a.Metric("intelPressure"));
        Assert.Equal(1, a.Metric("growth7d"));
    }

    [Fact]
    public void Assess_PositivityFromCasesAndTests_WhenNotReported()
    {
        var ledger = Of(Enumerable.Range(0, 15).Select(i => Cumulative(i, 10L * i, tests: 100)));

        // The week's 70 cases against its 7 × 100 tests.
        Assert.Equal(0.1, Assess(ledger, 14, Million).Metric("positivity7d"), 6);
        Assert.Null(Assess(Of(Enumerable.Range(0, 15).Select(i => Cumulative(i, 10L * i))), 14, Million).Metrics["positivity7d"]);
    }

    [Fact]
    public void Series_PrimarySource_OnTheLatestDay_CoversMostOfItsWindowThenIsTheLatest()
    {
        var ledger = Of([Cumulative(0, 1, "a"), Cumulative(1, 2, "a"), Cumulative(2, 3, "a"), Cumulative(0, 10, "b"), Cumulative(2, 30, "b"), Cumulative(0, 5, "c")]);

        Assert.Equal("a", CountrySeries.Prepare(ledger).PrimarySource);
        // On day 3, "a" covers two days of the window and "z" one: the latest report no longer wins alone (feed24).
        Assert.Equal("a", CountrySeries.Prepare(Of([Cumulative(3, 1, "z"), Cumulative(1, 1, "a"), Cumulative(2, 1, "a")])).PrimarySource);
        Assert.Equal("z", CountrySeries.Prepare(Of([Cumulative(3, 1, "z"), Cumulative(2, 1, "a")])).PrimarySource);
        Assert.Equal("a", CountrySeries.Prepare(Of([Cumulative(1, 1, "b"), Cumulative(1, 1, "a")])).PrimarySource);
        Assert.Null(CountrySeries.Prepare(new CountryLedger()).PrimarySource);
    }

    [Fact]
    public void Series_ModeFollowsHowMostReportsCount()
    {
        Assert.True(CountrySeries.Prepare(Of([Cumulative(0, 1), New(1, 1)])).CumulativeMode);
        Assert.False(CountrySeries.Prepare(Of([Cumulative(0, 1), New(1, 1), New(2, 1)])).CumulativeMode);
    }

    [Fact]
    public void Series_WindowsAndLookups()
    {
        var series = CountrySeries.Prepare(Of([Cumulative(0, 100, tests: 10, positivity: 0.1), Cumulative(5, 150, tests: 20), Cumulative(9, 180, tests: 30, positivity: 0.3)]));

        Assert.Equal(150, series.CumulativeAt(Day(7)));
        Assert.Null(series.CumulativeAt(Day(-1)));
        Assert.Equal(80, series.CasesIn(Day(0), Day(9)));
        Assert.Null(series.CasesIn(Day(-3), Day(9)));
        Assert.Equal(50, series.TestsIn(Day(0), Day(9)));
        Assert.Equal(60, series.TestsIn(Day(-1), Day(9)));
        Assert.Null(series.TestsIn(Day(9), Day(12)));
        Assert.Equal(0.3, series.PositivityIn(Day(0), Day(9)));
        Assert.Equal(0.1, series.PositivityIn(Day(-1), Day(8)));
        Assert.Null(series.PositivityIn(Day(0), Day(8)));
        Assert.False(series.HasDownwardCorrection());
        Assert.True(CountrySeries.Prepare(Of([Cumulative(0, 100), Cumulative(1, 90)])).HasDownwardCorrection());
    }

    [Fact]
    public void Series_NewCases_SumsOnlyReportedDays()
    {
        var series = CountrySeries.Prepare(Of([New(1, 5), New(3, 7), New(6, 11)]));

        Assert.Equal(12, series.CasesIn(Day(0), Day(5)));
        Assert.Equal(18, series.CasesIn(Day(1), Day(6)));
        Assert.Null(series.CasesIn(Day(6), Day(9)));
        Assert.False(series.IsFlat(Day(6), 3));
    }

    [Fact]
    public void AssessWithTrend_RisingSeries_IsRising()
    {
        var ledger = Of(Enumerable.Range(0, 30).Select(i => New(i, (long)(100 * Math.Pow(1.1, i)))));

        var (assessment, trend) = CountryModel.AssessWithTrend(CountrySeries.Prepare(ledger), Day(29), 10 * Million, ScoringOptions.Default);

        Assert.Equal(Trend.Rising, trend);
        Assert.Equal(Assess(ledger, 29, 10 * Million).Score, assessment.Score);
    }

    [Fact]
    public void Assess_IntelAboutTheCountry_RaisesTheScore()
    {
        var events = Enumerable.Range(0, 15).Select(i => (RiskEvent)New(i, 10)).ToList();
        var plain = Assess(Of(events), 14, Million);
        events.Add(new IntelEvent { Id = "i", Date = Day14, Subject = "country:RU", Severity = 5, Confidence = 1, Category = "outbreak", Summary = "s" });

        var withIntel = Assess(Of(events), 14, Million);

        Assert.Equal(plain.Score!.Value + Math.Round((1 - Math.Exp(-1)) * 20, 2), withIntel.Score!.Value, 1);
    }

    private static readonly DateOnly Day14 = Start.AddDays(14);
}
