using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// <see cref="Scales.GapMean"/> replaced a list of (gap, text) parts and their <c>Average(p =&gt; p.Gap)</c>: the mean
/// must be that Average's, bit for bit, and the texts are kept and joined only when explained.
/// </summary>
public sealed class GapMeanTests
{
    [Theory]
    [InlineData(new[] { 0.5 })]
    [InlineData(new[] { -0.0 })]
    [InlineData(new[] { 0.1, 0.2, 0.7 })]
    [InlineData(new[] { 1.0, 0.0, 0.3333333333333333, 0.9999 })]
    public void Mean_IsAveragesBitForBit(double[] gaps)
    {
        var mean = new Scales.GapMean(explain: false);
        foreach (var gap in gaps)
        {
            mean.Add(gap, "");
        }

        // As the parts were averaged: Average with a selector starts from the first gap, so a lone −0 stays −0 (0 + −0
        // would be +0; Average of a plain double array, summed from 0, gives +0).
        var parts = gaps.Select(g => (Gap: g, Text: "")).ToList();
        Assert.Equal(BitConverter.DoubleToInt64Bits(parts.Average(p => p.Gap)), BitConverter.DoubleToInt64Bits(mean.Mean));
        Assert.Equal(gaps.Length, mean.Count);
    }

    [Fact]
    public void JoinedTexts_Explained_JoinsTheTextsInOrder_NotExplained_IsEmpty()
    {
        var explained = new Scales.GapMean(explain: true);
        var silent = new Scales.GapMean(explain: false);
        foreach (var (gap, text) in new[] { (0.4, "1 laboratory"), (0.6, "6 technicians") })
        {
            explained.Add(gap, text);
            silent.Add(gap, text);
        }

        Assert.Equal("1 laboratory; 6 technicians", explained.JoinedTexts());
        Assert.Equal("", silent.JoinedTexts());
        Assert.Equal("", new Scales.GapMean(explain: false).JoinedTexts());
    }
}
