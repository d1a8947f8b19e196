using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class SparklineTests
{
    [Fact]
    public void Render_RisingSeries_LowestToHighestBlock()
    {
        Assert.Equal("▁▂▃▄▅▆▇█", Sparkline.Render([0, 1, 2, 3, 4, 5, 6, 7], 0, 7));
    }

    [Fact]
    public void Render_NullScores_ShownAsGaps()
    {
        Assert.Equal("▁·█·", Sparkline.Render([10, null, 30, null], 10, 30));
    }

    [Fact]
    public void Render_AllNull_AllGaps()
    {
        Assert.Equal("···", Sparkline.Render([null, null, null], 0, 100));
    }

    [Fact]
    public void Render_FlatSeries_OneBlockWhereTheScalePutsIt()
    {
        Assert.Equal("▄▄▄", Sparkline.Render([42, 42, 42], 0, 100));
    }

    [Fact]
    public void Render_SmallDrift_StaysFlatOnTheFixedScale()
    {
        // Suifenhe at the end of the year 2020: 42.5 to 42.7 was drawn ▁▃▄▅▆▇▇█████, a full rise (newcomer 21a L3).
        Assert.Equal("▄▄▄▄▄▄▄▄▄▄▄▄", Sparkline.Render([42.5, 42.5, 42.6, 42.6, 42.6, 42.6, 42.7, 42.7, 42.7, 42.7, 42.7, 42.7], 0, 100));
    }

    [Fact]
    public void Render_OutsideTheScale_ClampedToTheEndBlocks()
    {
        Assert.Equal("▁█", Sparkline.Render([-5, 120], 0, 100));
    }

    [Fact]
    public void Render_ScaleWithoutSpan_RefusedNamingIt()
    {
        Assert.Equal("high", Assert.Throws<ArgumentException>(() => Sparkline.Render([1], 5, 5)).ParamName);
    }

    [Fact]
    public void Render_Empty_EmptyString()
    {
        Assert.Equal("", Sparkline.Render([], 0, 100));
    }
}
