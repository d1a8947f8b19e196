using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class ScalesTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(25, 0.25)]
    [InlineData(50, 0.5)]
    [InlineData(150, 0.75)]
    [InlineData(500, 1)]
    [InlineData(5000, 1)]
    public void IncidenceNormalized_HitsTheAnchors(double rate, double expected) =>
        Assert.Equal(expected, Scales.IncidenceNormalized(rate), 9);

    [Fact]
    public void IncidenceNormalized_BetweenAnchors_IsLogInterpolated()
    {
        var expected = 0.25 + (0.25 * (Math.Log(36) - Math.Log(26)) / (Math.Log(51) - Math.Log(26)));

        Assert.Equal(expected, Scales.IncidenceNormalized(35), 9);
        Assert.Equal(0.25 * Math.Log(11) / Math.Log(26), Scales.IncidenceNormalized(10), 9);
        Assert.Equal(0, Scales.IncidenceNormalized(double.NaN));
    }

    [Fact]
    public void Saturating_IsOneMinusExp()
    {
        Assert.Equal(0, Scales.Saturating(0, 10));
        Assert.Equal(0, Scales.Saturating(-3, 10));
        Assert.Equal(1 - Math.Exp(-1), Scales.Saturating(10, 10), 12);
        Assert.Equal(1 - Math.Exp(-0.5), Scales.Saturating(5, 10), 12);
    }

    [Fact]
    public void Unit_Clamps()
    {
        Assert.Equal(0, Scales.Unit(-0.1));
        Assert.Equal(0.4, Scales.Unit(0.4));
        Assert.Equal(1, Scales.Unit(1.7));
        Assert.Equal(0, Scales.Unit(double.NaN));
    }

    [Theory]
    [InlineData(0, RiskLevel.Low)]
    [InlineData(24.99, RiskLevel.Low)]
    [InlineData(25, RiskLevel.Moderate)]
    [InlineData(49.99, RiskLevel.Moderate)]
    [InlineData(50, RiskLevel.High)]
    [InlineData(74.99, RiskLevel.High)]
    [InlineData(75, RiskLevel.VeryHigh)]
    [InlineData(100, RiskLevel.VeryHigh)]
    public void LevelOf_Thresholds(double score, RiskLevel level) => Assert.Equal(level, Scales.LevelOf(score, Options));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(1.0 / 14, 12.5)]
    [InlineData(1.0 / 7, 25)]
    [InlineData(1, 50)]
    [InlineData(5, 75)]
    [InlineData(50, 100)]
    [InlineData(5000, 100)]
    public void ExposureFloor_HitsTheDocumentedAnchors(double expectedPerDay, double floor) =>
        Assert.Equal(floor, Scales.ExposureFloor(expectedPerDay, Options), 3);

    [Fact]
    public void ExposureFloor_BetweenAnchors_IsLogInterpolated()
    {
        Assert.Equal(25 + (25 * Math.Log(0.5 * 7) / Math.Log(7)), Scales.ExposureFloor(0.5, Options), 3);
        Assert.Equal(50 + (25 * Math.Log(2) / Math.Log(5)), Scales.ExposureFloor(2, Options), 3);
        Assert.Equal(75 + (25 * Math.Log(2) / Math.Log(10)), Scales.ExposureFloor(10, Options), 3);
        Assert.Equal(0, Scales.ExposureFloor(double.NaN, Options));
    }

    [Fact]
    public void ExposureFloor_FollowsTheOptions()
    {
        var options = Options with { ModerateFrom = 20, HighFrom = 40, VeryHighFrom = 60, ExposureModeratePerDay = 0.5, ExposureHighPerDay = 2, ExposureVeryHighPerDay = 8 };

        Assert.Equal(10, Scales.ExposureFloor(0.25, options), 6);
        Assert.Equal(20, Scales.ExposureFloor(0.5, options), 6);
        Assert.Equal(40, Scales.ExposureFloor(2, options), 6);
        Assert.Equal(60, Scales.ExposureFloor(8, options), 6);
        Assert.Equal(100, Scales.ExposureFloor(80, options), 6);
    }

    [Fact]
    public void IntelPressure_DecaysWithHalfLifeAndIgnoresFutureReports()
    {
        IntelRecord[] reports =
        [
            new() { Day = 100, Severity = 5, Confidence = 1, Category = "a", Summary = "x" },
            new() { Day = 93, Severity = 5, Confidence = 0.5, Category = "b", Summary = "y" },
            new() { Day = 101, Severity = 5, Confidence = 1, Category = "c", Summary = "z" },
        ];

        var (pressure, strongest) = Scales.IntelPressure(reports, 100, 7);

        Assert.Equal(1 + 0.25, pressure, 12);
        Assert.Same(reports[0], strongest);
        Assert.Equal((0.0, (IntelRecord?)null), Scales.IntelPressure([], 100, 7));
    }

    [Fact]
    public void IntelComponent_ExplainsTheStrongestReport()
    {
        IntelRecord[] reports = [new() { Day = new DateOnly(2020, 4, 1).DayNumber, Severity = 4, Confidence = 0.5, Category = "border-measures", Summary = "Crossing closed." }];

        var component = Scales.IntelComponent(reports, new DateOnly(2020, 4, 1).DayNumber, 0.2, Options);

        Assert.Equal("intel", component.Name);
        Assert.Equal(0.4, component.Value);
        Assert.Equal("weighted reports", component.Unit);
        Assert.Equal(Math.Round(1 - Math.Exp(-0.4), 4), component.Normalized);
        Assert.Equal(0.2, component.Weight);
        Assert.Equal("Intelligence pressure 0.4; strongest: severity 4 (border-measures, confidence 0.5, 2020-04-01): Crossing closed.", component.Explanation);
        Assert.Equal("No intelligence reports.", Scales.IntelComponent([], 0, 0.2, Options).Explanation);
    }

    [Fact]
    public void TrendOf_ClassifiesTheSlope()
    {
        Assert.Equal(Trend.Rising, Scales.TrendOf([10, 11, 12, 13, 14, 15, 16], Options));
        Assert.Equal(Trend.Falling, Scales.TrendOf([16, 15, 14, 13, 12, 11, 10], Options));
        Assert.Equal(Trend.Steady, Scales.TrendOf([10, 10.4, 10.8, 11.2, 11.6, 12, 12.4], Options));
        Assert.Equal(Trend.Steady, Scales.TrendOf([12.4, 12, 11.6, 11.2, 10.8, 10.4, 10], Options));
        Assert.Equal(Trend.Rising, Scales.TrendOf([null, null, null, 10, 11, 12, 13], Options));
        Assert.Equal(Trend.Unknown, Scales.TrendOf([null, null, null, null, 11, 12, 13], Options));
        Assert.Equal(Trend.Steady, Scales.TrendOf([5, 5, 5, 5], Options));
    }

    [Fact]
    public void TrendOf_SlopeJustAboveAndBelowTheThreshold()
    {
        Assert.Equal(Trend.Rising, Scales.TrendOf([0, 0.51, 1.02, 1.53], Options));
        Assert.Equal(Trend.Steady, Scales.TrendOf([0, 0.5, 1, 1.5], Options));
        Assert.Equal(Trend.Falling, Scales.TrendOf([1.53, 1.02, 0.51, 0], Options));
        Assert.Equal(Trend.Steady, Scales.TrendOf([1.5, 1, 0.5, 0], Options));
    }

    [Fact]
    public void ScoreOf_IsWeightedMeanTimes100()
    {
        ComponentResult[] components = [new("a", 1, null, 0.5, 0.6, ""), new("b", 1, null, 1, 0.2, ""), new("c", 1, null, 0, 0.2, "")];

        Assert.Equal(50, Scales.ScoreOf(components), 9);
        Assert.Equal(75, Scales.ScoreOf([new("a", 1, null, 0.5, 1, ""), new("b", 1, null, 1, 1, "")]), 9);
        Assert.Equal(0, Scales.ScoreOf([new("a", 1, null, 0.5, 0, "")]));
        Assert.Equal(0, Scales.ScoreOf([]));
    }

    [Fact]
    public void Contribution_IsWeightTimesNormalizedUnlessSet()
    {
        Assert.Equal(12.35, new ComponentResult("a", 1, null, 0.4939, 0.25, "").Contribution);
        Assert.Equal(7.5, new ComponentResult("a", 1, null, 0.5, 0, "") { Contribution = 7.5 }.Contribution);
    }

    [Fact]
    public void Round_AndFormat()
    {
        Assert.Equal(1.2346, Scales.Round(1.23456));
        Assert.Null(Scales.Round((double?)null));
        Assert.Equal(2.5, Scales.Round((double?)2.5));
        Assert.Equal("0.12", Scales.Format(0.123));
        Assert.Equal("99.99", Scales.Format(99.99));
        Assert.Equal("100", Scales.Format(100.4));
        Assert.Equal("1235", Scales.Format(1234.5));
        Assert.Equal("7", Scales.Format(7));
    }

    [Fact]
    public void Quality_StaleAfterTheOption()
    {
        var fresh = Scales.Quality(100, 87, false, false, false, Options, ["n"]);
        var stale = Scales.Quality(100, 86, true, true, true, Options, []);
        var never = Scales.Quality(100, null, false, false, false, Options, ["n"]);

        Assert.False(fresh.Stale);
        Assert.Equal(13, fresh.DaysSinceLastReport);
        Assert.Equal(new[] { "n" }, fresh.Notes.ToArray());
        Assert.True(stale.Stale);
        Assert.Equal(new[] { "no report for 14 days" }, stale.Notes.ToArray());
        Assert.True(stale.FlatSeries);
        Assert.True(stale.Revised);
        Assert.True(stale.MissingPopulation);
        Assert.False(stale.Estimated);
        Assert.True(never.Stale);
        Assert.Null(never.DaysSinceLastReport);
        Assert.Equal(new[] { "no report received", "n" }, never.Notes.ToArray());
    }

    [Fact]
    public void Quality_StaleOrNeverReported_IsAlsoNoRecentReport()
    {
        // A city scored from its ports clears Stale afterwards; NoRecentReport must still say its own reports stopped.
        Assert.True(Scales.Quality(100, 86, false, false, false, Options, []).NoRecentReport);
        Assert.True(Scales.Quality(100, null, false, false, false, Options, []).NoRecentReport);
        Assert.False(Scales.Quality(100, 87, false, false, false, Options, []).NoRecentReport);
    }

    [Fact]
    public void Metrics_RoundsEachValue()
    {
        var metrics = Scales.Metrics(("a", 1.234567), ("b", null));

        Assert.Equal(1.2346, metrics["a"]);
        Assert.Null(metrics["b"]);
        Assert.Equal(2, metrics.Count);
    }
}
