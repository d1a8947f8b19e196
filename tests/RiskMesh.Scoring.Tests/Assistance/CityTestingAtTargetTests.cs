using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Assistance;

/// <summary>
/// Which of a city's laboratories and technicians are at or above their targets (newcomer 15: Suifenhe with 3
/// laboratories against a target of 2 and 40 technicians per 100,000 against 10 read "near target").
/// </summary>
public sealed class CityTestingAtTargetTests
{
    private static readonly ScoringOptions Scoring = ScoringOptions.Default;

    [Theory]
    // Suifenhe on 14 April 2020: 30 laboratories per million (target 2), 40 technicians per 100,000 (target 10).
    [InlineData(3.0, 40.0, new[] { "laboratories", "technicians" })]
    // Exactly the targets: at target.
    [InlineData(0.2, 10.0, new[] { "laboratories", "technicians" })]
    // 8 technicians: below target by a gap of 0.2, within the assistance margin, so near and not at target.
    [InlineData(2.0, 8.0, new[] { "laboratories" })]
    [InlineData(0.0, 9.99, new string[0])]
    // Not reported: neither at nor below target.
    [InlineData(5.0, null, new[] { "laboratories" })]
    [InlineData(null, null, new string[0])]
    public void CityTestingAtTarget_NamesEachPartMeasuredAtOrAboveItsTarget(double? labs, double? technicians, string[] atTarget) =>
        Assert.Equal(atTarget, AssistanceModel.CityTestingAtTarget(100_000, labs, technicians, Scoring));

    [Fact]
    public void CityTestingAtTarget_NoPopulation_NothingIsMeasured() =>
        Assert.Empty(AssistanceModel.CityTestingAtTarget(null, 3, 40, Scoring));

    // Mutation testing, fifteenth session: without the check, a null scoring failed on its first target with a
    // NullReferenceException naming nothing (the surviving mutant removed it).
    [Fact]
    public void CityTestingAtTarget_NullScoring_IsRefusedByName() =>
        Assert.Equal("scoring", Assert.Throws<ArgumentNullException>(() => AssistanceModel.CityTestingAtTarget(100_000, 3, 40, null!)).ParamName);
}
