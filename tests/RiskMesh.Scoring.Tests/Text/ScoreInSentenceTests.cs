using System.Globalization;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Text;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Text;

/// <summary>
/// A score in a sentence (explanations, assistance reasons) is cut as every shown score is: rounded to two decimals,
/// 49.996 read "puts the port at 50 (moderate)" beside a table's "49.9 moderate" (analyst23, left open).
/// </summary>
public sealed class ScoreInSentenceTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Theory]
    [InlineData(24.996, "24.9")]
    [InlineData(49.9579, "49.9")]
    [InlineData(49.996, "49.9")]
    [InlineData(74.9999, "74.9")]
    [InlineData(25, "25")]
    [InlineData(50, "50")]
    [InlineData(75, "75")]
    [InlineData(42.79, "42.7")]
    [InlineData(0, "0")]
    [InlineData(100, "100")]
    public void InSentence_CutsToOneDecimal_AWholeScoreWithoutItsPointZero(double score, string shown)
    {
        Assert.Equal(shown, ScoreText.InSentence(score));
    }

    [Fact]
    public void EveryStoredScore_InASentence_ReadsInItsOwnBand_AndAsTheTableShowsIt()
    {
        for (var tenThousandths = 0; tenThousandths <= 1_000_000; tenThousandths++)
        {
            var score = Scales.Round(tenThousandths / 10_000.0);
            var shown = ScoreText.InSentence(score);
            var read = double.Parse(shown, CultureInfo.InvariantCulture);
            if (Scales.LevelOf(read, Options) != Scales.LevelOf(score, Options) || read != double.Parse(ScoreText.OneDecimal(score), CultureInfo.InvariantCulture))
            {
                Assert.Fail($"{score} in a sentence reads {shown} ({Scales.LevelOf(read, Options)}), its band is {Scales.LevelOf(score, Options)} and the table shows {ScoreText.OneDecimal(score)}");
            }
        }
    }

    [Theory]
    [InlineData(24.996, "24.9 (low)")]
    [InlineData(49.996, "49.9 (moderate)")]
    [InlineData(74.996, "74.9 (high)")]
    [InlineData(75, "75 (very high)")]
    public void PortExposureSentence_AtABandBoundary_ReadsTheScoresOwnBand(double floor, string said)
    {
        var component = PortModel.ExposureComponent(floor, 10, 1.0, Options);

        Assert.StartsWith($"Exposure alone puts the port at {said}:", component.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FloorBoundarySentence_AFloorJustBelowTheBoundary_IsNotReadAsOnIt()
    {
        var sentence = FloorBoundary.Describe(49.996, 30, 50.31, 30.004, Options);

        Assert.NotNull(sentence);
        Assert.StartsWith("band boundary: the city's score floor went 49.9 → 50.3, crossing 50 where high begins; the weighted evidence went 30 → 30 (", sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(49.9979, "scores 49.9 (moderate)")]
    [InlineData(74.9951, "scores 74.9 (high)")]
    [InlineData(24.9999, "scores 24.9 (low)")]
    public void CitysRiskiestPortSentence_AtABandBoundary_ReadsThePortsOwnBand(double portScore, string said)
    {
        var port = new UpstreamValue(portScore, Scales.LevelOf(portScore, Options), null, null, null, 0);

        var assessment = CityModel.Assess(Ledger(Capacity(19, "city:c", labs: 1)), Day(20), new CityContext(100_000, _ => [("p1", port)]), Options);

        Assert.Contains($"Its riskiest port, p1, {said}.", assessment.Component("highestPort").Explanation, StringComparison.Ordinal);
    }
}
