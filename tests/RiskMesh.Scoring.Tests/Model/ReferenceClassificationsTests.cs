using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class ReferenceClassificationsTests
{
    [Theory]
    [InlineData(24.99, 0.0399, 301.0, "green")]
    [InlineData(0.0, 0.0, 1000.0, "green")]
    [InlineData(24.99, 0.04, 301.0, "orange")]
    [InlineData(49.99, 0.04, 301.0, "orange")]
    [InlineData(25.0, 0.0399, 301.0, "orange")]
    [InlineData(150.0, 0.0399, 301.0, "orange")]
    [InlineData(150.01, 0.0, 301.0, "red")]
    [InlineData(50.0, 0.04, 301.0, "red")]
    [InlineData(500.0, 0.2, 5000.0, "red")]
    public void Ecdc_KnownPositivityAndTesting_FollowsCouncilRecommendation(double rate, double positivity, double tests, string expected)
    {
        Assert.Equal(expected, ReferenceClassifications.Ecdc(rate, positivity, tests));
    }

    [Theory]
    [InlineData(10.0, null, 1000.0)]
    [InlineData(10.0, 0.01, null)]
    [InlineData(10.0, 0.01, 300.0)]
    [InlineData(200.0, 0.2, 300.0)]
    [InlineData(null, 0.01, 1000.0)]
    public void Ecdc_UnknownPositivityOrTestingAtMost300_IsGrey(double? rate, double? positivity, double? tests)
    {
        Assert.Equal("grey", ReferenceClassifications.Ecdc(rate, positivity, tests));
    }

    [Theory]
    [InlineData(61.57, null, null, "no testing data: no tests reported in the last week")]
    [InlineData(10.0, 0.01, 120.0, "testing rate 120 per 100,000 in the last week, 300 or fewer")]
    [InlineData(10.0, 0.01, 300.0, "testing rate 300 per 100,000 in the last week, 300 or fewer")]
    [InlineData(null, 0.01, 1000.0, "not enough data: no notification rate over 14 days (no case series or no population)")]
    [InlineData(10.0, null, 1000.0, "not enough data: test positivity in the last week unknown")]
    public void EcdcGreyReason_SaysWhyGrey(double? rate, double? positivity, double? tests, string expected)
    {
        // Newcomer 23a L6: Kazakhstan read "ecdc grey" all year at 61.57 per 100,000, with no word why.
        Assert.Equal(expected, ReferenceClassifications.EcdcGreyReason(rate, positivity, tests));
    }

    [Theory]
    [InlineData(10.0, 0.01, 300.01)]
    [InlineData(200.0, 0.2, 1000.0)]
    public void EcdcGreyReason_NotGrey_IsNull(double? rate, double? positivity, double? tests)
    {
        Assert.Null(ReferenceClassifications.EcdcGreyReason(rate, positivity, tests));
    }

    [Fact]
    public void Ecdc_TestingJustAbove300_IsClassified()
    {
        Assert.Equal("green", ReferenceClassifications.Ecdc(10, 0.01, 300.01));
    }

    [Theory]
    [InlineData(0.0, "level-1")]
    [InlineData(4.99, "level-1")]
    [InlineData(5.0, "level-2")]
    [InlineData(50.0, "level-2")]
    [InlineData(50.01, "level-3")]
    [InlineData(51.0, "level-3")]
    [InlineData(100.0, "level-3")]
    [InlineData(100.01, "level-4")]
    public void CdcThn_PopulationOver200k_FollowsNovember2020Levels(double rate, string expected)
    {
        Assert.Equal(expected, ReferenceClassifications.CdcThn(rate, 200_001));
    }

    [Theory]
    [InlineData(200_000L)]
    [InlineData(1_000L)]
    [InlineData(null)]
    public void CdcThn_PopulationAtMost200kOrUnknown_IsUnknown(long? population)
    {
        Assert.Equal("unknown", ReferenceClassifications.CdcThn(500, population));
    }

    [Fact]
    public void CdcThn_NoRate_IsUnknown()
    {
        Assert.Equal("unknown", ReferenceClassifications.CdcThn(null, 1_000_000));
    }
}
