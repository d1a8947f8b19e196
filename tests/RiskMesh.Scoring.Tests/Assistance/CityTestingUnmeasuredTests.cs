using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Assistance;

/// <summary>
/// Which of a city's laboratories and technicians cannot be measured against their targets (review 14: one of them
/// reported and not short read as both near target).
/// </summary>
public sealed class CityTestingUnmeasuredTests
{
    private static readonly ScoringOptions Scoring = ScoringOptions.Default;

    [Theory]
    [InlineData(5.0, null, new[] { "technicians" })]
    [InlineData(null, 40.0, new[] { "laboratories" })]
    [InlineData(null, null, new[] { "laboratories", "technicians" })]
    [InlineData(0.0, 0.0, new string[0])]
    public void CityTestingUnmeasured_NamesEachPartNotReported(double? labs, double? technicians, string[] unmeasured) =>
        Assert.Equal(unmeasured, AssistanceModel.CityTestingUnmeasured(100_000, labs, technicians, Scoring));

    [Fact]
    public void CityTestingUnmeasured_NoPopulation_NeitherCanBeMeasured() =>
        Assert.Equal(["laboratories", "technicians"], AssistanceModel.CityTestingUnmeasured(null, 3, 40, Scoring));
}
