using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A notice's testing capacity (newcomer 14, finding 5: a plan's actions follow its level alone, and Suifenhe's team was
/// told to request kits and technicians whatever its shortage): the risk model's own explanation of the capacity gap,
/// then whether laboratories or technicians fall short by the assistance rule; stored without its worded line.
/// </summary>
public sealed class NoticeTestingCapacityTests
{
    private static readonly DateOnly Day = new(2020, 4, 7);

    private static Assessment CityAssessed(double? labs, double? technicians, double? beds, long? population = 100_000)
    {
        var ledger = new SiteLedger();
        if (labs is not null || technicians is not null || beds is not null)
        {
            ledger.Apply(new CapacityEvent { Id = "capacity", Source = "test", Date = Day.AddDays(-6), Subject = "city:c", Labs = labs, Technicians = technicians, IsolationBeds = beds }, 1);
        }

        return CityModel.Assess(ledger, Day.DayNumber, new CityContext(population, _ => []), ScoringOptions.Default);
    }

    private static TestingCapacity Of(Assessment assessment) =>
        TestingCapacity.OfCity(assessment, AssistanceOptions.Default, ScoringOptions.Default)!;

    [Fact]
    public void OfCity_TechniciansShort_QuotesTheCapacityGapComponentAndSaysTheShortfall()
    {
        var assessment = CityAssessed(labs: 1, technicians: 6, beds: 40);
        var component = assessment.Components.Single(c => c.Name == "capacityGap");

        var capacity = Of(assessment);

        // The component's own value and explanation (what `explain` shows), not a second wording of them.
        Assert.Equal(component.Value, capacity.Gap);
        Assert.Equal(component.Explanation, capacity.Explanation);
        Assert.Equal(TestingCapacity.Short, capacity.Standing);
        Assert.Equal(
            "City capacity gap 0.13: 1 laboratory (10 per 1,000,000, target 2); 6 technicians (6 per 100,000, target 10); 40 isolation beds (40 per 100,000, target 20). "
            + "Short of target, so requests for testing kits and technicians are pressing: 6 technicians for 100,000 people (6 per 100,000, target 10; gap 0.4, short by 4).",
            capacity.Line);
    }

    [Fact]
    public void OfCity_AtOrAboveTarget_SaysSo_NotNearTarget_AndNothingReported_SaysItIsNotKnown()
    {
        // Newcomer 15: Suifenhe with 3 laboratories against 2 and 40 technicians per 100,000 against 10 read "near target".
        var suifenhe = Of(CityAssessed(labs: 3, technicians: 40, beds: 600));
        Assert.Equal(TestingCapacity.MeetsTarget, suifenhe.Standing);
        Assert.Equal(["laboratories", "technicians"], suifenhe.AtTarget.AsEnumerable());
        Assert.Equal(
            "City capacity gap 0: 3 laboratories (30 per 1,000,000, target 2); 40 technicians (40 per 100,000, target 10); 600 isolation beds (600 per 100,000, target 20). "
            + "Laboratories and technicians at or above target: no testing shortfall for the province to fill.",
            suifenhe.Line);

        var unreported = Of(CityAssessed(labs: null, technicians: null, beds: null));
        Assert.Equal(TestingCapacity.NotMeasured, unreported.Standing);
        Assert.Equal(
            "City capacity (laboratories, technicians, beds) not reported: assumed to be a half gap, not a reported shortfall. Laboratories and technicians not reported: whether testing falls short is not known.",
            unreported.Line);
        Assert.Equal(TestingCapacity.NotMeasured, Of(CityAssessed(labs: 0, technicians: 1, beds: 1, population: null)).Standing);
    }

    [Theory]
    // 8 technicians for 100,000 people: a gap of 0.2, below target within the assistance threshold of 0.25.
    [InlineData(2.0, 8.0, "Technicians near target; laboratories at or above target: no testing shortfall for the province to fill.")]
    [InlineData(0.18, 8.0, "Laboratories and technicians near target: no testing shortfall for the province to fill.")]
    public void OfCity_BelowTargetWithinTheAssistanceMargin_IsNearTarget_NamingWhatIsAtTarget(double labs, double technicians, string says)
    {
        var capacity = Of(CityAssessed(labs, technicians, beds: 600));

        Assert.Equal(TestingCapacity.NearTarget, capacity.Standing);
        Assert.Empty(capacity.Shortfalls);
        Assert.EndsWith(says, capacity.Line, StringComparison.Ordinal);
    }

    [Fact]
    public void OfCity_OnlyOneOfLaboratoriesAndTechniciansReported_IsPartlyMeasured_NotNearTarget()
    {
        // Review 14: Heihe with 5 laboratories and no technicians reported read "Laboratories and technicians near target".
        var labsOnly = Of(CityAssessed(labs: 5, technicians: null, beds: null));

        Assert.Equal(TestingCapacity.PartlyMeasured, labsOnly.Standing);
        Assert.Equal(["technicians"], labsOnly.Unmeasured.ToArray());
        Assert.EndsWith("Laboratories at or above target; technicians not reported: whether testing falls short is not fully known.", labsOnly.Line, StringComparison.Ordinal);

        var techniciansOnly = Of(CityAssessed(labs: null, technicians: 40, beds: null));
        Assert.Equal(TestingCapacity.PartlyMeasured, techniciansOnly.Standing);
        Assert.EndsWith("Technicians at or above target; laboratories not reported: whether testing falls short is not fully known.", techniciansOnly.Line, StringComparison.Ordinal);

        var nearOnly = Of(CityAssessed(labs: null, technicians: 8, beds: null));
        Assert.Equal(TestingCapacity.PartlyMeasured, nearOnly.Standing);
        Assert.EndsWith("Technicians near target; laboratories not reported: whether testing falls short is not fully known.", nearOnly.Line, StringComparison.Ordinal);

        // Short on the one reported: short, and the other named as unknown.
        var shortOnOne = Of(CityAssessed(labs: 0, technicians: null, beds: null));
        Assert.Equal(TestingCapacity.Short, shortOnOne.Standing);
        Assert.EndsWith("; technicians not reported.", shortOnOne.Line, StringComparison.Ordinal);

        // Both reported: no unmeasured part, and none written.
        var both = Of(CityAssessed(labs: 3, technicians: 40, beds: 600));
        Assert.Equal(TestingCapacity.MeetsTarget, both.Standing);
        Assert.True(both.Unmeasured.IsDefault);
    }

    [Fact]
    public void NoticeActions_CityShortOfTesting_AddTheRequestToTheProvince_UnlessThePlansActionsAskForIt()
    {
        // Newcomer 15: Hekou's level-2 notice said requests for kits and technicians were pressing and listed none.
        ImmutableArray<string> level2 = [.. ResponsePlan.Default.ActionsOf(2)];
        var hekou = Of(CityAssessed(labs: 0, technicians: 3, beds: 30));

        Assert.Equal([.. level2, NoticeActions.TestingRequest], NoticeActions.Of(level2, hekou).AsEnumerable());
        // Level 3 of the default plan asks for them already: not twice.
        Assert.Equal(ResponsePlan.Default.ActionsOf(3).AsEnumerable(), NoticeActions.Of(ResponsePlan.Default.ActionsOf(3), hekou).AsEnumerable());
        // Not short, or not known: the plan's actions alone.
        Assert.Equal(level2.AsEnumerable(), NoticeActions.Of(level2, Of(CityAssessed(labs: 3, technicians: 40, beds: 600))).AsEnumerable());
        Assert.Equal(level2.AsEnumerable(), NoticeActions.Of(level2, Of(CityAssessed(labs: 2, technicians: 8, beds: 600))).AsEnumerable());
        Assert.Equal(level2.AsEnumerable(), NoticeActions.Of(level2, Of(CityAssessed(labs: null, technicians: null, beds: null))).AsEnumerable());
        Assert.Equal(level2.AsEnumerable(), NoticeActions.Of(level2, null).AsEnumerable());
    }

    [Fact]
    public void NoticeActions_ARequestAmongTheLowerLevelsContinuing_NotAddedAgain()
    {
        // At level 4 of the default plan, level 3's request continues beside level 4's actions (newcomer 20b F1).
        var hekou = Of(CityAssessed(labs: 0, technicians: 3, beds: 30));
        var level4 = ResponsePlan.Default.ActionsOf(4);

        Assert.Equal(level4.AsEnumerable(), NoticeActions.Of(level4, hekou, ResponsePlan.Default.ContinuedActionsOf(4)).AsEnumerable());
        Assert.Equal([.. level4, NoticeActions.TestingRequest], NoticeActions.Of(level4, hekou, (ResponsePlan.Default with { LevelsStandAlone = true }).ContinuedActionsOf(4)).AsEnumerable());
    }

    [Fact]
    public void NoticeActions_APlansActionAsksOnlyWhenItIsARequest_NotWhenItNamesTechnicians()
    {
        // Review 15 L3: "technician" anywhere in an action took it for the request.
        var hekou = Of(CityAssessed(labs: 0, technicians: 3, beds: 30));
        ImmutableArray<string> naming = ["Technicians disinfect vehicles at the crossing.", "Hand out masks to lab technicians and kit them out."];
        ImmutableArray<string> reagents = ["Request testing reagents from the provincial CDC."];
        ImmutableArray<string> asking = ["Ask the province for laboratory technicians."];

        Assert.Equal([.. naming, NoticeActions.TestingRequest], NoticeActions.Of(naming, hekou).AsEnumerable());
        Assert.Equal(reagents.AsEnumerable(), NoticeActions.Of(reagents, hekou).AsEnumerable());
        Assert.Equal(asking.AsEnumerable(), NoticeActions.Of(asking, hekou).AsEnumerable());
    }

    [Fact]
    public void OfCity_FromTheCitysView_ReadsTheFiguresItsAssessmentHas()
    {
        // The inbox's testing capacity is read from today's view, a notice's from the assessment: both by the metric
        // keys the city model writes (CityMetricKeys), so a key renamed on one side only would tell them apart here.
        var assessment = CityAssessed(labs: 0, technicians: 6, beds: 40);
        var view = RiskMesh.Grains.Entities.ViewMapper.ToView("c", EntityKind.City, "C", assessment, Trend.Steady);

        var fromView = TestingCapacity.OfCity(view, AssistanceOptions.Default, ScoringOptions.Default)!;

        Assert.Equal(TestingCapacity.Short, fromView.Standing);
        Assert.Equal(2, fromView.Shortfalls.Length);
        Assert.Equal(Of(assessment).Line, fromView.Line);
    }

    [Fact]
    public void OfCity_AssessedWithoutExplanations_IsNull_RatherThanABareNumber()
    {
        var ledger = new SiteLedger();
        var quiet = CityModel.Assess(ledger, Day.DayNumber, new CityContext(100_000, _ => []), ScoringOptions.Default, explain: true);
        var unexplained = new Assessment(quiet.Day, quiet.Score, quiet.Level, [.. quiet.Components.Select(c => c with { Explanation = "" })], [("population", 100_000)], null, quiet.Quality);

        Assert.Null(TestingCapacity.OfCity(unexplained, AssistanceOptions.Default, ScoringOptions.Default));
    }

    [Fact]
    public void Notice_StoredWithItsTestingCapacity_KeepsTheFiguresAndWordsTheLineWhenRead_AndAnOlderNoticeHasNone()
    {
        var notice = new NoticeView(
            "c-1", "c", 1, NoticeKinds.Escalation, 2, 3, 55, null, [], ["Request testing kits and laboratory technicians from the province."],
            Day, new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero), NoticeStatuses.Open, null, null)
        {
            TestingCapacity = Of(CityAssessed(labs: 0, technicians: 3, beds: 10)),
        };

        var stored = System.Text.Json.JsonSerializer.Serialize(notice, NoticeJson.StoredOptions);
        var read = NoticeJson.Read(stored);

        Assert.DoesNotContain("\"line\"", stored, StringComparison.Ordinal);
        Assert.Contains("\"standing\":\"short\"", stored, StringComparison.Ordinal);
        Assert.Equal(NoticeJson.Write(notice), NoticeJson.Write(read));
        Assert.Contains("\"line\":\"City capacity gap ", NoticeJson.Write(read), StringComparison.Ordinal);
        Assert.Equal(["0 laboratories for 100,000 people (0 per 1,000,000, target 2; gap 1, short by 1)", "3 technicians for 100,000 people (3 per 100,000, target 10; gap 0.7, short by 7)"], read.TestingCapacity!.Shortfalls.AsEnumerable());

        // What is at target is kept with the notice (the line is worded from it when read); a notice stored before it
        // was kept reads "near target" as it did.
        var met = notice with { TestingCapacity = Of(CityAssessed(labs: 3, technicians: 40, beds: 600)) };
        var storedMet = System.Text.Json.JsonSerializer.Serialize(met, NoticeJson.StoredOptions);
        Assert.Contains("\"standing\":\"meets-target\",", storedMet, StringComparison.Ordinal);
        Assert.Contains("\"atTarget\":[\"laboratories\",\"technicians\"]", storedMet, StringComparison.Ordinal);
        Assert.Equal(NoticeJson.Write(met), NoticeJson.Write(NoticeJson.Read(storedMet)));
        var earlier = NoticeJson.Read(storedMet.Replace("meets-target", "near-target", StringComparison.Ordinal).Replace(",\"atTarget\":[\"laboratories\",\"technicians\"]", "", StringComparison.Ordinal));
        Assert.EndsWith("Laboratories and technicians near target: no testing shortfall for the province to fill.", earlier.TestingCapacity!.Line, StringComparison.Ordinal);

        // Stored before the field existed: nothing is made up for it.
        var older = NoticeJson.Read(System.Text.Json.JsonSerializer.Serialize(notice with { TestingCapacity = null }, NoticeJson.StoredOptions));
        Assert.Null(older.TestingCapacity);
        Assert.DoesNotContain("testingCapacity", NoticeJson.Write(older), StringComparison.Ordinal);
    }
}
