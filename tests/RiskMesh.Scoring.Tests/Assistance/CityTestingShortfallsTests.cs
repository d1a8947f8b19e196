using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Assistance;

/// <summary>
/// The rule a city's notices and its team's inbox word testing capacity by (newcomer 14, finding 5): laboratories or
/// technicians short by at least the testing threshold, the same rule by which the province is told to dispatch testing
/// kits and technicians, described in the assistance ranking's words.
/// </summary>
public sealed class CityTestingShortfallsTests
{
    private static readonly AssistanceOptions Rules = AssistanceOptions.Default;
    private static readonly ScoringOptions Scoring = ScoringOptions.Default;

    [Fact]
    public void CityTestingShortfalls_TechniciansShortByTheThreshold_DescribesThemAndLeavesOutLaboratoriesAboveTarget()
    {
        // Suifenhe on 7 April 2020: 1 laboratory and 6 technicians for 100,000 people (a mean capacity gap of 0.13 with 40 beds).
        var shortfalls = AssistanceModel.CityTestingShortfalls(100_000, labs: 1, technicians: 6, Rules, Scoring);

        Assert.Equal(["6 technicians for 100,000 people (6 per 100,000, target 10; gap 0.4, short by 4)"], shortfalls);
    }

    [Fact]
    public void CityTestingShortfalls_GapsBelowTheThreshold_AreNoShortfall()
    {
        // 8 technicians: gap 0.2, under the 0.25 from which the province dispatches.
        Assert.Empty(AssistanceModel.CityTestingShortfalls(100_000, labs: 2, technicians: 8, Rules, Scoring)!);
        Assert.Single(AssistanceModel.CityTestingShortfalls(100_000, labs: 2, technicians: 8, Rules with { TestingGapThreshold = 0.15 }, Scoring)!);
    }

    [Fact]
    public void CityTestingShortfalls_OneOfEach_IsNamedInTheSingular()
    {
        var shortfalls = AssistanceModel.CityTestingShortfalls(1_000_000, labs: 1, technicians: 1, Rules, Scoring)!;

        Assert.Collection(
            shortfalls,
            labs => Assert.StartsWith("1 laboratory for 1,000,000 people", labs, StringComparison.Ordinal),
            technicians => Assert.StartsWith("1 technician for 1,000,000 people", technicians, StringComparison.Ordinal));
    }

    [Fact]
    public void CityTestingShortfalls_AGapAtTheThreshold_IsAShortfall()
    {
        // 1 laboratory for a million people against a target of 2: a gap of 0.5, which reaches a threshold of 0.5.
        var shortfalls = AssistanceModel.CityTestingShortfalls(1_000_000, labs: 1, technicians: null, Rules with { TestingGapThreshold = 0.5 }, Scoring)!;

        Assert.Equal(["1 laboratory for 1,000,000 people (1 per 1,000,000, target 2; gap 0.5, short by 1)"], shortfalls);
    }

    [Fact]
    public void CityTestingShortfalls_NothingToMeasure_IsNull_NotNearTarget()
    {
        Assert.Null(AssistanceModel.CityTestingShortfalls(100_000, labs: null, technicians: null, Rules, Scoring));
        Assert.Null(AssistanceModel.CityTestingShortfalls(null, labs: 0, technicians: 3, Rules, Scoring));
        Assert.Empty(AssistanceModel.CityTestingShortfalls(100_000, labs: 5, technicians: null, Rules, Scoring)!);
    }

    [Fact]
    public void Assess_ProvinceDispatchReason_QuotesTheSameShortfallsAsTheCitysOwnRule()
    {
        // Ruili as reported on 10 April 2020: no laboratory, 8 technicians for 267,638 people.
        var city = CityNeeds.City("ruili", 30, 0.71) with { Population = 267_638, Labs = 0, Technicians = 8, IsolationBeds = 30 };

        var dispatch = AssistanceModel.Assess(city, Rules, Scoring).Actions.Single(a => a.Action == AssistanceActions.DispatchTestingKits);
        var shortfalls = AssistanceModel.CityTestingShortfalls(city.Population, city.Labs, city.Technicians, Rules, Scoring)!;

        Assert.Equal(2, shortfalls.Count);
        Assert.Equal($"Testing gap: {string.Join("; ", shortfalls)}.", dispatch.Reason);
    }
}
