using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// The rules of <see cref="Scales.TrendUnknownNote"/>, <see cref="Scales.WithTrend"/> and <see cref="Scales.FloorLifted"/>
/// that the fifteenth session's mutation run found untested: each test fails on the Stryker mutant that survived
/// without it (docs/mutation-testing.md).
/// </summary>
public sealed class TrendNoteAndFloorLiftedTests
{
    // 2020-05-15 as a day number: the week runs 2020-05-09 to 2020-05-15.
    private static readonly int Day = DateOnly.Parse("2020-05-15", System.Globalization.CultureInfo.InvariantCulture).DayNumber;

    [Fact]
    public void TrendUnknownNote_FourScoredDays_IsEnoughForATrend_NoNote() =>
        // Exactly the minimum (mutant: scored > 4, or the early return removed).
        Assert.Null(Scales.TrendUnknownNote([null, 1, null, 2, null, 3, 4], Day));

    [Fact]
    public void TrendUnknownNote_NoScoredDay_SaysNone() =>
        Assert.Equal("trend unknown: it needs 4 scored days of the last 7, this week has none", Scales.TrendUnknownNote([null, null, null, null, null, null, null], Day));

    [Fact]
    public void TrendUnknownNote_FirstDayOfTheWeekScored_CountsFromIt() =>
        // The first scored day is the week's first (index 0): later scored days do not move it (mutant: first <= 0).
        Assert.Equal("trend unknown: it needs 4 scored days of the last 7, this week has 3, from 2020-05-09", Scales.TrendUnknownNote([1, null, 2, null, null, null, 3], Day));

    [Fact]
    public void TrendUnknownNote_And_WithTrend_RefuseNull_NamingTheArgument()
    {
        Assert.Equal("scoresOldestFirst", Assert.Throws<ArgumentNullException>(() => Scales.TrendUnknownNote(null!, Day)).ParamName);
        Assert.Equal("assessment", Assert.Throws<ArgumentNullException>(() => Scales.WithTrend(null!, [1, 2, 3, 4, 5, 6, 7], ScoringOptions.Default)).ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void FloorLifted_NoFloor_IsTheWeightedScoreAsItIs(double floor) =>
        // "With no floor it is W": not rounded (Round keeps 4 decimals; the model passes a W already rounded so), and not lifted toward a level's ceiling (mutants: floor >= 0, and the
        // early return removed, which round W and turn a NaN floor into a NaN score).
        Assert.Equal(12.345678, Scales.FloorLifted(12.345678, floor, ScoringOptions.Default));
}
