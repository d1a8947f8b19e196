using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Escalation;

public sealed class LocalTransmissionTests
{
    private static readonly int Day = new DateOnly(2020, 4, 30).DayNumber;

    private static long _seq;

    private static SiteLedger Ledger(params (int Day, CaseClassification Classification, int Count)[] cases)
    {
        var ledger = new SiteLedger();
        foreach (var (day, classification, count) in cases)
        {
            var seq = Interlocked.Increment(ref _seq);
            ledger.Apply(new CaseEvent { Id = $"c{seq}", Source = "t", Location = "city:heihe", Date = DateOnly.FromDayNumber(day), Count = count, Classification = classification }, seq);
        }

        return ledger;
    }

    [Fact]
    public void OnsetSeenOn_FirstLocalCasesAfterImportsOnly_IsThatDayWithItsCounts()
    {
        // Heihe, newcomer 16: imported cases for weeks, then 300 local cases and some asymptomatic ones on 30 April.
        var ledger = Ledger(
            (Day - 20, CaseClassification.ImportedConfirmed, 12),
            (Day - 3, CaseClassification.ImportedConfirmed, 5),
            (Day, CaseClassification.LocalConfirmed, 300),
            (Day, CaseClassification.LocalAsymptomatic, 7));

        var onset = LocalTransmission.OnsetSeenOn(ledger, Day);

        Assert.Equal(new LocalTransmissionOnset(Day, 300, 7), onset);
        Assert.Equal(307, onset!.Count);
    }

    [Fact]
    public void OnsetSeenOn_LocalAsymptomaticAlone_StartsAnEpisode()
    {
        Assert.Equal(new LocalTransmissionOnset(Day, 0, 4, FirstReported: true), LocalTransmission.OnsetSeenOn(Ledger((Day, CaseClassification.LocalAsymptomatic, 4)), Day));
    }

    [Fact]
    public void OnsetSeenOn_ACityWithoutReportsBeforeTheQuietPeriod_IsTheFirstReportedNotTheFirstIn14Days()
    {
        // Review 16 L6: a fresh city's first report is not known to follow 14 quiet days; a report on the quiet
        // period's first day (any kind) or before it covers it, one inside it does not.
        Assert.True(LocalTransmission.OnsetSeenOn(Ledger((Day, CaseClassification.LocalConfirmed, 3)), Day)!.FirstReported);
        Assert.True(LocalTransmission.OnsetSeenOn(Ledger((Day - LocalTransmission.QuietDays + 1, CaseClassification.ImportedConfirmed, 1), (Day, CaseClassification.LocalConfirmed, 3)), Day)!.FirstReported);
        Assert.False(LocalTransmission.OnsetSeenOn(Ledger((Day - LocalTransmission.QuietDays, CaseClassification.ImportedConfirmed, 1), (Day, CaseClassification.LocalConfirmed, 3)), Day)!.FirstReported);
    }

    [Fact]
    public void SameEpisode_LateReportsOfEarlierDays_JoinTheEpisodeThroughTheLedger()
    {
        // Review 16 H1: cases on 15, 25 and 30 April are one episode, whichever day was its first when a notice went.
        var ledger = Ledger((Day - 15, CaseClassification.LocalConfirmed, 1), (Day - 5, CaseClassification.LocalAsymptomatic, 2), (Day, CaseClassification.LocalConfirmed, 300));
        Assert.True(LocalTransmission.SameEpisode(ledger, Day - 15, Day));
        Assert.True(LocalTransmission.SameEpisode(ledger, Day, Day - 15));
        Assert.True(LocalTransmission.SameEpisode(ledger, Day - 5, Day));

        // Without the 25 April cases the 14 days between are quiet (a gap of 15 days): two episodes.
        var gap = Ledger((Day - 15, CaseClassification.LocalConfirmed, 1), (Day, CaseClassification.LocalConfirmed, 300));
        Assert.False(LocalTransmission.SameEpisode(gap, Day - 15, Day));
        Assert.True(LocalTransmission.SameEpisode(gap, Day - LocalTransmission.QuietDays, Day));

        // Other classifications do not bridge a gap.
        var imported = Ledger((Day - 15, CaseClassification.LocalConfirmed, 1), (Day - 7, CaseClassification.ImportedConfirmed, 9), (Day - 7, CaseClassification.Severe, 2), (Day, CaseClassification.LocalConfirmed, 3));
        Assert.False(LocalTransmission.SameEpisode(imported, Day - 15, Day));
    }

    [Fact]
    public void SameEpisode_AtTheEdges_AGapOfMoreThan14DaysSeparates_WhateverTheOrderAndTheRecordsAround()
    {
        // Written after mutation testing (sixteenth session): the edges of "no gap longer than 14 days".
        var q = LocalTransmission.QuietDays;
        var empty = Ledger();
        Assert.True(LocalTransmission.SameEpisode(empty, Day - q, Day));
        Assert.False(LocalTransmission.SameEpisode(empty, Day - q - 1, Day));
        Assert.False(LocalTransmission.SameEpisode(empty, Day, Day - 2 * q));

        // A local case bridges two gaps of exactly 14 days; one of 15 on either side separates.
        Assert.True(LocalTransmission.SameEpisode(Ledger((Day - q, CaseClassification.LocalConfirmed, 1)), Day - 2 * q, Day));
        Assert.False(LocalTransmission.SameEpisode(Ledger((Day - q, CaseClassification.LocalConfirmed, 1)), Day - 2 * q - 1, Day));
        Assert.False(LocalTransmission.SameEpisode(Ledger((Day - q - 1, CaseClassification.LocalConfirmed, 1)), Day - 2 * q - 1, Day));

        // A report of no cases bridges nothing; cases outside the two days neither join nor split them.
        Assert.False(LocalTransmission.SameEpisode(Ledger((Day - 10, CaseClassification.LocalConfirmed, 0)), Day - 20, Day));
        var around = Ledger((Day - 60, CaseClassification.LocalConfirmed, 5), (Day - 10, CaseClassification.LocalConfirmed, 1), (Day + 30, CaseClassification.LocalConfirmed, 5));
        Assert.True(LocalTransmission.SameEpisode(around, Day - 20, Day));
        Assert.True(LocalTransmission.SameEpisode(around, Day, Day - 20));
    }

    [Theory]
    [InlineData(CaseClassification.Severe)]
    [InlineData(CaseClassification.Death)]
    [InlineData(CaseClassification.ImportedConfirmed)]
    [InlineData(CaseClassification.ImportedAsymptomatic)]
    public void OnsetSeenOn_OtherClassificationsOnly_IsNone(CaseClassification classification)
    {
        // Severe cases may be imported patients (Suifenhe's were): they are not evidence of local spread.
        Assert.Null(LocalTransmission.OnsetSeenOn(Ledger((Day, classification, 50)), Day));
    }

    [Fact]
    public void OnsetSeenOn_LocalCasesWithinTheQuietPeriod_IsNoNewEpisode()
    {
        // Cases 14 days before (the first day of the quiet period) make the day's cases part of the same episode.
        var ledger = Ledger((Day - LocalTransmission.QuietDays, CaseClassification.LocalConfirmed, 1), (Day, CaseClassification.LocalConfirmed, 30));
        Assert.Null(LocalTransmission.OnsetSeenOn(ledger, Day));
    }

    [Fact]
    public void OnsetSeenOn_LocalCasesJustBeforeTheQuietPeriod_StartsANewEpisode()
    {
        // 15 days before: the 14 days in between were quiet.
        var ledger = Ledger((Day - LocalTransmission.QuietDays - 1, CaseClassification.LocalConfirmed, 1), (Day, CaseClassification.LocalConfirmed, 30));
        Assert.Equal(Day, LocalTransmission.OnsetSeenOn(ledger, Day)?.Day);
    }

    [Fact]
    public void OnsetSeenOn_TheEpisodesLaterDays_AreNoOnset()
    {
        // Day by day: the first day is the onset; the next days with cases belong to it.
        var ledger = Ledger((Day, CaseClassification.LocalConfirmed, 30), (Day + 1, CaseClassification.LocalConfirmed, 40), (Day + 5, CaseClassification.LocalAsymptomatic, 2));
        Assert.Equal(Day, LocalTransmission.OnsetSeenOn(ledger, Day)?.Day);
        Assert.Equal(Day, LocalTransmission.OnsetSeenOn(ledger, Day + 1)?.Day);
        Assert.Equal(Day, LocalTransmission.OnsetSeenOn(ledger, Day + 5)?.Day);
    }

    [Fact]
    public void OnsetSeenOn_ALateReport_IsFoundUpToLateDaysAfterItsDay()
    {
        // Cases dated 10 April reported on 15 April: the day was decided without them, the onset is still found.
        var ledger = Ledger((Day, CaseClassification.LocalConfirmed, 3));
        Assert.Equal(new LocalTransmissionOnset(Day, 3, 0, FirstReported: true), LocalTransmission.OnsetSeenOn(ledger, Day + LocalTransmission.LateDays));
        Assert.Null(LocalTransmission.OnsetSeenOn(ledger, Day + LocalTransmission.LateDays + 1));
    }

    [Fact]
    public void OnsetSeenOn_CasesDatedAfterTheDay_AreNotSeen()
    {
        // The clock moved back: cases dated later are not known on the day.
        Assert.Null(LocalTransmission.OnsetSeenOn(Ledger((Day + 1, CaseClassification.LocalConfirmed, 3)), Day));
    }

    [Fact]
    public void OnsetSeenOn_RawRecordsStartingInsideTheQuietPeriod_FindNothing()
    {
        // Older records were pruned: a quiet period that starts before them cannot be told from pruned cases.
        var ledger = Ledger((Day, CaseClassification.LocalConfirmed, 3));
        ledger.RawFrom = Day - LocalTransmission.QuietDays + 1;
        Assert.Null(LocalTransmission.OnsetSeenOn(ledger, Day));
        ledger.RawFrom = Day - LocalTransmission.QuietDays;
        Assert.Equal(Day, LocalTransmission.OnsetSeenOn(ledger, Day)?.Day);
    }

    [Fact]
    public void Actions_DefaultPlanAtLevel3_LeadWithTracing_TestingAtEntryPointsIsABorderMeasure()
    {
        // Review 16 L5: level 2's "nucleic-acid testing at entry points" is against imported cases, not local spread.
        // Newcomer 24a M4: the measure against local spread comes first, the border's after it.
        var actions = LocalTransmission.Actions(ResponsePlan.Default, 3);

        Assert.Equal<string>(
        [
            "Trace and manage close contacts and asymptomatic cases under medical observation.",
            "Reduce cross-border movement to the minimum.",
            "Open designated quarantine facilities for inbound travellers.",
            "Request testing kits and laboratory technicians from the province.",
        ], actions);
        Assert.Equal(ResponsePlan.Default.ActionsOf(3).Order(StringComparer.Ordinal), actions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Actions_DefaultPlanAtLevel1_AddTracingButNoRequestForSuppliesNorBorderMeasures()
    {
        var actions = LocalTransmission.Actions(ResponsePlan.Default, 1);

        Assert.Equal<string>(
        [
            "Trace and manage close contacts and asymptomatic cases under medical observation (for local transmission, from level 3 (high) of the plan).",
            ResponsePlan.NormalActions[0],
        ], actions);
        Assert.DoesNotContain(actions, a => a.Contains("Request testing kits", StringComparison.Ordinal));
    }

    [Fact]
    public void Actions_APlanWithoutSuchMeasures_IsTheLevelsActionsAlone()
    {
        var plan = new ResponsePlan(
        [
            new PlanLevel(2, "a", 25, 20, 3, ["Patrol the crossings."]),
            new PlanLevel(3, "b", 50, 42, 5, ["Close the market."]),
            new PlanLevel(4, "c", 75, 67, 7, ["Call the army."]),
        ]);

        Assert.Equal<string>(["Close the market."], LocalTransmission.Actions(plan, 3));
    }

    [Fact]
    public void OnsetSeenOn_AsManyAsymptomaticAsConfirmedCases_IsAnOnsetOfBoth()
    {
        // Written after mutation testing (nineteenth session): the day's local cases are confirmed plus asymptomatic
        // ones, whatever their mix; 3 and 3 are 6 local cases, not none.
        var ledger = Ledger((Day, CaseClassification.LocalConfirmed, 3), (Day, CaseClassification.LocalAsymptomatic, 3));

        Assert.Equal(new LocalTransmissionOnset(Day, 3, 3, FirstReported: true), LocalTransmission.OnsetSeenOn(ledger, Day));
    }

    [Fact]
    public void OnsetSeenOn_AsymptomaticInfectionsAloneInTheQuietPeriod_KeepTheEpisodeGoing()
    {
        // Written after mutation testing (nineteenth session): local asymptomatic infections 10 days before the day's
        // confirmed cases are local transmission, and the confirmed cases continue that episode, also when they are
        // looked for 4 days later, when the asymptomatic day is no longer a candidate onset itself.
        var ledger = Ledger((Day - 10, CaseClassification.LocalAsymptomatic, 2), (Day, CaseClassification.LocalConfirmed, 30));

        Assert.Null(LocalTransmission.OnsetSeenOn(ledger, Day + 4));
    }

    [Fact]
    public void OnsetSeenOn_CasesOnTheQuietPeriodsFirstDayOfTheEarliestCandidate_AreNoNewEpisode()
    {
        // Written after mutation testing (nineteenth session): the earliest day an onset is still found is LateDays
        // before the day, and its quiet period starts QuietDays before that; cases on that first quiet day count.
        var earliest = Day - LocalTransmission.LateDays;
        var ledger = Ledger((earliest - LocalTransmission.QuietDays, CaseClassification.LocalConfirmed, 1), (earliest, CaseClassification.LocalConfirmed, 4));

        Assert.Null(LocalTransmission.OnsetSeenOn(ledger, Day));
        Assert.Equal(earliest, LocalTransmission.OnsetSeenOn(Ledger((earliest - LocalTransmission.QuietDays - 1, CaseClassification.LocalConfirmed, 1), (earliest, CaseClassification.LocalConfirmed, 4)), Day)?.Day);
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => LocalTransmission.OnsetSeenOn(null!, Day)).ParamName);
        // Days within QuietDays of each other are one episode without reading the ledger: a null one is refused still.
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => LocalTransmission.SameEpisode(null!, Day - 1, Day)).ParamName);
        Assert.Equal("plan", Assert.Throws<ArgumentNullException>(() => LocalTransmission.Actions(null!, 2)).ParamName);
    }

    [Fact]
    public void Actions_MeasuresFromOtherLevels_ComeInTheOrderOfTheLevels_HoweverThePlanListsThem()
    {
        // Written after mutation testing (nineteenth session): a plan file may list level 4 first; the notice reads the
        // measures from the lower level first, as the plan's levels go.
        var plan = new ResponsePlan(
        [
            new PlanLevel(4, "c", 75, 67, 7, ["Call the army.", "Isolate every case in hospital."]),
            new PlanLevel(2, "a", 25, 20, 3, ["Patrol the crossings."]),
            new PlanLevel(3, "b", 50, 42, 5, ["Trace close contacts."]),
        ]);

        Assert.Equal<string>(
        [
            "Trace close contacts (for local transmission, from level 3 (b) of the plan).",
            "Isolate every case in hospital (for local transmission, from level 4 (c) of the plan).",
            "Patrol the crossings.",
        ], LocalTransmission.Actions(plan, 2));
    }

    [Theory]
    [InlineData("Trace and manage close contacts.", true)]
    [InlineData("Epidemiological investigation of every case.", true)]
    [InlineData("Isolate the cases at home.", true)]
    [InlineData("Request testing kits and laboratory technicians from the province.", false)]
    [InlineData("Increase patrols along main crossings.", false)]
    [InlineData("Contest the budget.", false)]
    [InlineData("Strengthen nucleic-acid testing at entry points.", false)]
    [InlineData("Open designated quarantine facilities for inbound travellers.", false)]
    [InlineData("Test every driver at the border crossing.", false)]
    [InlineData("Quarantine arrivals at the port for 14 days.", false)]
    [InlineData("Test all travellers on arrival.", false)]
    [InlineData("Nucleic-acid testing at points of entry.", false)]
    [InlineData("Test every driver at Suifenhe Port.", false)]
    [InlineData("Quarantine all Inbound travellers.", false)]
    [InlineData("Report test results and support contact tracing in transport hubs.", true)]
    public void IsLocalMeasure_NamesTestingTracingQuarantineNotRequests(string action, bool expected)
    {
        Assert.Equal(expected, LocalTransmission.IsLocalMeasure(action));
    }
}
