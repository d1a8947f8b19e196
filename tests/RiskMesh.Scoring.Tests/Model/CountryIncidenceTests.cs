using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class CountryIncidenceTests
{
    private const long Million = 1_000_000;

    [Fact]
    public void Assess_CumulativeFeed_IncidenceIsDifferenceOfCumulativesPer100k()
    {
        // C(i) = 10·i², so on day 28: C28 = 7840, C21 = 4410, C14 = 1960, C0 = 0; population 1,000,000 makes per-100k a tenth.
        var ledger = Of(Enumerable.Range(0, 29).Select(i => Cumulative(i, 10L * i * i)));

        var assessment = Assess(ledger, 28, Million);

        Assert.Equal(343.0, assessment.Metrics["incidence7dPer100k"]!.Value, 6);
        Assert.Equal(588.0, assessment.Metrics["incidence14dPer100k"]!.Value, 6);
        Assert.Equal(784.0, assessment.Metrics["incidence28dPer100k"]!.Value, 6);
    }

    [Fact]
    public void Assess_CumulativeFeedWithGaps_UsesLatestCumulativeAtOrBeforeEachBoundary()
    {
        // Reports only on days 0, 10, 20, 28: C(14) reads day 10's 500, C(21) reads day 20's 900, C(0) reads 100.
        var ledger = Of([Cumulative(0, 100), Cumulative(10, 500), Cumulative(20, 900), Cumulative(28, 1300)]);

        var assessment = Assess(ledger, 28, Million);

        Assert.Equal(40.0, assessment.Metrics["incidence7dPer100k"]!.Value, 6);
        Assert.Equal(80.0, assessment.Metrics["incidence14dPer100k"]!.Value, 6);
        Assert.Equal(120.0, assessment.Metrics["incidence28dPer100k"]!.Value, 6);
    }

    [Fact]
    public void Assess_NewCasesFeed_IncidenceIsSumOfNewCasesInWindowPer100k()
    {
        // new(i) = i for days 1..28: last 7 = 22..28 = 175, last 14 = 15..28 = 301, last 28 = 1..28 = 406.
        var ledger = Of(Enumerable.Range(1, 28).Select(i => New(i, i)));

        var assessment = Assess(ledger, 28, Million);

        Assert.Equal(17.5, assessment.Metrics["incidence7dPer100k"]!.Value, 6);
        Assert.Equal(30.1, assessment.Metrics["incidence14dPer100k"]!.Value, 6);
        Assert.Equal(40.6, assessment.Metrics["incidence28dPer100k"]!.Value, 6);
        Assert.Equal(175, assessment.Metrics["cases7d"]);
    }

    [Fact]
    public void Assess_NewCasesFeed_Growth7dIsLastWeekPlusFiveOverWeekBeforePlusFive()
    {
        // Last 7 = 175, the 7 before (15..21) = 126: (175 + 5) / (126 + 5).
        var ledger = Of(Enumerable.Range(1, 28).Select(i => New(i, i)));

        var assessment = Assess(ledger, 28, Million);

        Assert.Equal(Math.Round(180.0 / 131.0, 4), assessment.Metrics["growth7d"]!.Value, 6);
    }

    [Fact]
    public void Assess_CumulativeFeed_Growth7dUsesDifferencesOfCumulatives()
    {
        // Last 7 = 7840 − 4410 = 3430, the 7 before = 4410 − 1960 = 2450.
        var ledger = Of(Enumerable.Range(0, 29).Select(i => Cumulative(i, 10L * i * i)));

        var assessment = Assess(ledger, 28, Million);

        Assert.Equal(Math.Round(3435.0 / 2455.0, 4), assessment.Metrics["growth7d"]!.Value, 6);
    }

    [Fact]
    public void Assess_NoCasesEitherWeek_GrowthFloorGivesOne()
    {
        var ledger = Of(Enumerable.Range(0, 15).Select(i => Cumulative(i, 50)));

        var assessment = Assess(ledger, 14, Million);

        Assert.Equal(1.0, assessment.Metrics["growth7d"]!.Value, 6);
    }

    [Fact]
    public void Assess_DownwardCorrection_ClampsWindowAtZeroAndFlagsRevised()
    {
        // Days 0..10 rise by 10 from 1000; day 11 corrects the total down to 500.
        var events = Enumerable.Range(0, 11).Select(i => Cumulative(i, 1000 + (10 * i))).Append(Cumulative(11, 500));
        var ledger = Of(events);

        var assessment = Assess(ledger, 11, Million);

        Assert.Equal(0.0, assessment.Metrics["incidence7dPer100k"]!.Value, 6);
        Assert.True(assessment.Quality.Revised);
        Assert.Contains(assessment.Quality.Notes, n => n.Contains("revised", StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_SameSourceAndDayWithNewId_ReplacesValueAndFlagsRevised()
    {
        var ledger = Of([Cumulative(0, 100), Cumulative(14, 300)]);
        Assert.Equal(20.0, Assess(ledger, 14, Million).Metrics["incidence14dPer100k"]!.Value, 6);

        var changed = ledger.Apply(Cumulative(14, 250) with { Id = "correction" }, 10);

        Assert.True(changed);
        var assessment = Assess(ledger, 14, Million);
        Assert.Equal(15.0, assessment.Metrics["incidence14dPer100k"]!.Value, 6);
        Assert.True(assessment.Quality.Revised);
    }

    [Fact]
    public void Apply_OlderSequenceForSameKey_ChangesNothing()
    {
        var ledger = Of([Cumulative(0, 100), Cumulative(14, 300)]);

        var changed = ledger.Apply(Cumulative(14, 250) with { Id = "stale" }, 1);

        Assert.False(changed);
        Assert.Equal(20.0, Assess(ledger, 14, Million).Metrics["incidence14dPer100k"]!.Value, 6);
    }

    [Fact]
    public void Assess_LastReportFourteenDaysAgo_IsInsufficientData()
    {
        var ledger = Of(Enumerable.Range(0, 15).Select(i => Cumulative(i, 100L * i)));

        var fresh = Assess(ledger, 14, Million);
        var stale = Assess(ledger, 28, Million);

        Assert.NotNull(fresh.Score);
        Assert.True(stale.Quality.Stale);
        Assert.Equal(14, stale.Quality.DaysSinceLastReport);
        Assert.Null(stale.Score);
        Assert.Equal(RiskLevel.InsufficientData, stale.Level);
    }

    [Fact]
    public void Assess_NoPopulation_IsInsufficientDataWithMissingPopulationFlag()
    {
        var ledger = Of(Enumerable.Range(0, 15).Select(i => Cumulative(i, 100L * i)));

        var assessment = Assess(ledger, 14, null);

        Assert.Null(assessment.Score);
        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.True(assessment.Quality.MissingPopulation);
        Assert.Null(assessment.Metrics["incidence14dPer100k"]);
        Assert.Equal("unknown", assessment.Classifications!.CdcThn);
    }

    [Fact]
    public void Assess_NoReportsAtAll_IsInsufficientData()
    {
        var assessment = Assess(new CountryLedger(), 14, Million);

        Assert.Null(assessment.Score);
        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.Null(assessment.Quality.DaysSinceLastReport);
    }

    [Fact]
    public void Assess_WithTestsAndPositivity_ClassifiesFromOwnIncidence()
    {
        // 14-day rate = (C28 − C14)/10 = 588 per 100k, positivity 5%, tests in the week 7 × 1000 = 700 per 100k: ECDC red; 28-day 784: CDC level 4.
        var ledger = Of(Enumerable.Range(0, 29).Select(i => Cumulative(i, 10L * i * i, tests: 1000, positivity: 0.05)));

        var assessment = Assess(ledger, 28, Million);

        Assert.Equal(700.0, assessment.Metrics["testsPer100k7d"]!.Value, 6);
        Assert.Equal(0.05, assessment.Metrics["positivity7d"]!.Value, 6);
        Assert.Equal(new Classifications("red", "level-4"), assessment.Classifications);
    }

    [Fact]
    public void Assess_WithoutTests_EcdcIsGrey()
    {
        var ledger = Of(Enumerable.Range(0, 29).Select(i => Cumulative(i, i)));

        var assessment = Assess(ledger, 28, Million);

        Assert.Equal("grey", assessment.Classifications!.Ecdc);
        Assert.Equal("level-1", assessment.Classifications.CdcThn);
    }
}
