using RiskMesh.Scoring.Assistance;

namespace RiskMesh.Scoring.Tests.Assistance;

/// <summary>
/// The one rule of a province's risk (its riskiest city), which its history's days and the province ranking of the API,
/// the CLI and the console all read.
/// </summary>
public sealed class ProvinceRiskTests
{
    private sealed record City(string Id, double? Score);

    [Fact]
    public void RiskiestCity_IsTheHighestScore_CitiesWithoutAScoreNeverChosen()
    {
        City[] cities = [new("a", 10), new("b", null), new("c", 42.7), new("d", 42.69)];

        Assert.Equal("c", ProvinceRisk.RiskiestCity(cities, c => c.Score, c => c.Id)?.Id);
    }

    [Fact]
    public void RiskiestCity_OfEqualScores_IsTheFirstId_InWhateverOrderTheyCome()
    {
        City[] cities = [new("suifenhe", 42.7), new("dongning", 42.7), new("heihe", 12)];

        Assert.Equal("dongning", ProvinceRisk.RiskiestCity(cities, c => c.Score, c => c.Id)?.Id);
        Assert.Equal("dongning", ProvinceRisk.RiskiestCity(cities.Reverse(), c => c.Score, c => c.Id)?.Id);
    }

    [Fact]
    public void RiskiestCity_NoneScored_IsNone()
    {
        Assert.Null(ProvinceRisk.RiskiestCity([new City("a", null)], c => c.Score, c => c.Id));
        Assert.Null(ProvinceRisk.RiskiestCity(Array.Empty<City>(), c => c.Score, c => c.Id));
    }
}
