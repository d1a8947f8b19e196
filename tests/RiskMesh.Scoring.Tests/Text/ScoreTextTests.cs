using System.Globalization;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Tests.Text;

/// <summary>Newcomer 23a M1: "50.0 moderate" beside a README saying High starts at 50. A shown score is cut, never rounded up.</summary>
public sealed class ScoreTextTests
{
    [Theory]
    [InlineData(49.9579, "49.9")]
    [InlineData(49.96, "49.9")]
    [InlineData(24.99, "24.9")]
    [InlineData(74.9999, "74.9")]
    [InlineData(50, "50.0")]
    [InlineData(75, "75.0")]
    [InlineData(67.94, "67.9")]
    [InlineData(0, "0.0")]
    [InlineData(100, "100.0")]
    public void OneDecimal_CutsRatherThanRounds(double score, string shown)
    {
        Assert.Equal(shown, ScoreText.OneDecimal(score));
    }

    [Fact]
    public void EveryStoredScore_ShownWithOneDecimal_ReadsInItsOwnBand()
    {
        // Scores are stored to four decimals (Scales.Round): every one from 0 to 100, against the default bands.
        var options = ScoringOptions.Default;
        for (var tenThousandths = 0; tenThousandths <= 1_000_000; tenThousandths++)
        {
            var score = Scales.Round(tenThousandths / 10_000.0);
            var band = Scales.LevelOf(score, options);
            var shown = ScoreText.OneDecimal(score);
            var read = double.Parse(shown, CultureInfo.InvariantCulture);
            if (Scales.LevelOf(read, options) != band)
            {
                Assert.Fail($"{score} shown as {shown} reads {Scales.LevelOf(read, options)}, its band is {band}");
            }
        }
    }
}
