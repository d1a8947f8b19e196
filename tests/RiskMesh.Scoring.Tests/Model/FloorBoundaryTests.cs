using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Newcomer 21a M1: Suifenhe's score went 74.9 → 84.8 on 16 April 2020 and back four days later while its evidence
/// hardly moved: the exposure floor went 74.77 → 75, crossing into very high, where the weighted evidence places the
/// score within 75–100 instead of 74.77–75. <c>explain --since</c> says so.
/// </summary>
public sealed class FloorBoundaryTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Fact]
    public void FloorCrossingIntoVeryHigh_SaysTheJumpIsTheBoundary_AndHowMuchTheEvidenceMoved()
    {
        var note = FloorBoundary.Describe(74.77, 39.05, 75, 39.22, Options);

        Assert.NotNull(note);
        Assert.StartsWith("band boundary: the city's score floor went 74.7 → 75, crossing 75 where very high begins; the weighted evidence went 39 → 39.2 (0 points with the floor where it was), and the other +9.9", note, StringComparison.Ordinal);
        Assert.Equal(84.8, Scales.FloorLifted(39.22, 75, Options), 1);
        Assert.Equal(74.86, Scales.FloorLifted(39.05, 74.77, Options), 2);
    }

    [Fact]
    public void FloorCrossingDownIntoHigh_SaysSo()
    {
        var note = FloorBoundary.Describe(75, 39.22, 74.797, 39.1, Options);

        Assert.NotNull(note);
        Assert.Contains("crossing 75 where very high begins", note, StringComparison.Ordinal);
        Assert.Contains("the other -9.", note, StringComparison.Ordinal);
        Assert.Contains("within the band below the boundary", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60.0, 70.0)]
    [InlineData(0.0, 80.0)]
    [InlineData(74.0, 74.9)]
    [InlineData(80.0, 0.0)]
    public void FloorWithinOneBand_OrNoFloorThenOrNow_SaysNothing(double then, double now) =>
        Assert.Null(FloorBoundary.Describe(then, 39, now, 40, Options));

    [Fact]
    public void FloorAndEvidenceBothRising_TheFloorsPartIsTheChangeLessTheEvidencesPart()
    {
        // Floor 60 → 80 (high's band ends at 75, very high's at 100), evidence 40 → 60: 60 + 15 × 0.4 = 66, then
        // 80 + 20 × 0.6 = 92. With the floor where it was the evidence alone gives 60 + 15 × 0.6 = 69: +3; the floor the other +23.
        Assert.Equal(
            "band boundary: the city's score floor went 60 → 80, crossing 75 where very high begins; the weighted evidence went 40 → 60 " +
            "(+3 points with the floor where it was), and the other +23 points come from the floor, which places that evidence within the band " +
            "above the boundary: an effect of the formula at the boundary, not new evidence of that size",
            FloorBoundary.Describe(60, 40, 80, 60, Options));
    }

    [Fact]
    public void NullOptions_AreRefusedByName_EvenWithoutAFloor() =>
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => FloorBoundary.Describe(null, null, null, null, null!)).ParamName);
}
