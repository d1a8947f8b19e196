using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class SparklineTests
{
    [Fact]
    public void Render_RisingSeries_LowestToHighestBlock()
    {
        Assert.Equal("▁▂▃▄▅▆▇█", Sparkline.Render([0, 1, 2, 3, 4, 5, 6, 7]));
    }

    [Fact]
    public void Render_NullScores_ShownAsGaps()
    {
        Assert.Equal("▁·█·", Sparkline.Render([10, null, 30, null]));
    }

    [Fact]
    public void Render_AllNull_AllGaps()
    {
        Assert.Equal("···", Sparkline.Render([null, null, null]));
    }

    [Fact]
    public void Render_FlatSeries_LowestBlockEverywhere()
    {
        Assert.Equal("▁▁▁", Sparkline.Render([42, 42, 42]));
    }

    [Fact]
    public void Render_Empty_EmptyString()
    {
        Assert.Equal("", Sparkline.Render([]));
    }
}
