using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Assistance;

public sealed class ProvinceDayTests
{
    [Fact]
    public void Summarise_ScoredCities_TheProvinceIsAsRiskyAsItsRiskiestCity()
    {
        var (score, level, _) = ProvinceDay.Summarise(
            [Ranked("heihe", 41.5, RiskLevel.Moderate, 0.1), Ranked("suifenhe", 77.2, RiskLevel.VeryHigh, 0.3), Ranked("mohe", 12, RiskLevel.Low, 0.05)]);

        Assert.Equal(77.2, score);
        Assert.Equal(RiskLevel.VeryHigh, level);
    }

    [Fact]
    public void Summarise_NoCityScored_InsufficientData_NoScore_NoHighestNeed()
    {
        var (score, level, metrics) = ProvinceDay.Summarise([Ranked("silent", null, RiskLevel.InsufficientData, null)]);

        Assert.Null(score);
        Assert.Equal(RiskLevel.InsufficientData, level);
        Assert.Equal(1, metrics["cities"]);
        Assert.Equal(0, metrics["citiesScored"]);
        Assert.Null(metrics["highestNeed"]);
    }

    [Fact]
    public void Summarise_ACityWithAScoreButInsufficientData_IsNeitherTheRiskiestNorCountedAsScored()
    {
        // A score left from before the city went quiet is not today's risk: it must not raise the province.
        var (score, level, metrics) = ProvinceDay.Summarise(
            [Ranked("stale", 90, RiskLevel.InsufficientData, 0.9), Ranked("heihe", 30, RiskLevel.Moderate, 0.06)]);

        Assert.Equal(30, score);
        Assert.Equal(RiskLevel.Moderate, level);
        Assert.Equal(2, metrics["cities"]);
        Assert.Equal(1, metrics["citiesScored"]);
        Assert.Equal(0.06, metrics["highestNeed"]);
    }

    [Fact]
    public void Summarise_Counts_HighOrAboveIncludesHighItself_HighestNeedIsTheLargest()
    {
        var (_, _, metrics) = ProvinceDay.Summarise(
            [
                Ranked("a", 55, RiskLevel.High, 0.2),
                Ranked("b", 80, RiskLevel.VeryHigh, 0.1),
                Ranked("c", 45, RiskLevel.Moderate, 0.35),
                Ranked("d", null, RiskLevel.InsufficientData, null),
            ]);

        Assert.Equal(4, metrics["cities"]);
        Assert.Equal(3, metrics["citiesScored"]);
        Assert.Equal(2, metrics["citiesHighOrAbove"]);
        Assert.Equal(0.35, metrics["highestNeed"]);
    }

    private static CityAssistance Ranked(string id, double? score, RiskLevel level, double? need) =>
        new(id, id, "heilongjiang", score, level, CapacityGap: 0.5, need, DailyInbound: 0, Rank: 0, Actions: []);
}
