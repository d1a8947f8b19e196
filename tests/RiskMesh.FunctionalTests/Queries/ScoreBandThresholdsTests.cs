using Microsoft.Extensions.Configuration;
using RiskMesh.Api.Console;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// The console's chart shades the score bands from <c>scoreBands</c> of <c>/api/v1/me</c>: they must be the thresholds
/// the grains score with, set or not, or the page would draw bands where no score changes band.
/// </summary>
public sealed class ScoreBandThresholdsTests
{
    [Fact]
    public void From_NothingSet_TheModelsDefaults()
    {
        Assert.Equal(new ScoreBandThresholds(25, 50, 75), ScoreBandThresholds.From(new ConfigurationBuilder().Build()));
    }

    [Fact]
    public void From_ThresholdsSet_TheSettingsTheGrainsBind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RiskMesh:Model:Scoring:ModerateFrom"] = "30",
            ["RiskMesh:Model:Scoring:HighFrom"] = "55",
            ["RiskMesh:Model:Scoring:VeryHighFrom"] = "80",
        }).Build();

        Assert.Equal(new ScoreBandThresholds(30, 55, 80), ScoreBandThresholds.From(configuration));
    }
}
