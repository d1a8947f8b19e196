using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class DataQualityFlagsTests
{
    [Fact]
    public void Of_NothingSet_NoFlag() =>
        Assert.Empty(DataQualityFlags.Of(false, false, false, false, false, false));

    [Fact]
    public void Of_EverySet_MostSeriousFirst_StaleStandsForNoRecentReport()
    {
        // Insufficient data already says there is no recent report: naming both would double-count one fact.
        Assert.Equal(
            new[] { "stale", "estimated", "flat-series", "revised", "missing-population" },
            DataQualityFlags.Of(true, true, true, true, true, true).ToArray());
    }

    [Theory]
    [InlineData(false, true, false, false, false, false, "no-recent-report")]
    [InlineData(false, false, true, false, false, false, "estimated")]
    [InlineData(false, false, false, true, false, false, "flat-series")]
    [InlineData(false, false, false, false, true, false, "revised")]
    [InlineData(false, false, false, false, false, true, "missing-population")]
    public void Of_OneSet_ThatFlagAlone(bool stale, bool noRecentReport, bool estimated, bool flat, bool revised, bool missingPopulation, string flag) =>
        Assert.Equal(new[] { flag }, DataQualityFlags.Of(stale, noRecentReport, estimated, flat, revised, missingPopulation).ToArray());

    [Fact]
    public void Flags_ScoredFromUpstreamWithEstimatedTraffic_NoRecentReportThenEstimated()
    {
        var quality = new DataQuality(false, 22, false, false, false, []) { NoRecentReport = true, Estimated = true };

        Assert.Equal(new[] { "no-recent-report", "estimated" }, quality.Flags.ToArray());
    }

    [Theory]
    [InlineData(RiskLevel.Low, "low")]
    [InlineData(RiskLevel.Moderate, "moderate")]
    [InlineData(RiskLevel.High, "high")]
    [InlineData(RiskLevel.VeryHigh, "very-high")]
    [InlineData(RiskLevel.InsufficientData, "insufficient-data")]
    public void LevelNames_RoundTrip(RiskLevel level, string name)
    {
        Assert.Equal(name, RiskNames.Of(level));
        Assert.Equal(level, RiskNames.ParseLevel(name));
    }

    [Fact]
    public void ParseLevel_UnknownName_IsInsufficientData_NeverLow() =>
        Assert.Equal(RiskLevel.InsufficientData, RiskNames.ParseLevel("VeryHigh"));

    [Theory]
    [InlineData(Trend.Rising, "rising")]
    [InlineData(Trend.Steady, "steady")]
    [InlineData(Trend.Falling, "falling")]
    [InlineData(Trend.Unknown, "unknown")]
    public void TrendNames(Trend trend, string name) => Assert.Equal(name, RiskNames.Of(trend));
}
