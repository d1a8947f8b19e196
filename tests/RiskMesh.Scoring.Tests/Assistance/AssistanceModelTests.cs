using FsCheck.Xunit;
using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Assistance;

public sealed class AssistanceModelTests
{
    private static readonly AssistanceOptions Options = AssistanceOptions.Default;
    private static readonly ScoringOptions Scoring = ScoringOptions.Default;

    [Fact]
    public void Recommend_CitiesWithDifferentNeeds_RankedByScoreTimesGapDescending()
    {
        var ranked = AssistanceModel.Recommend(
            [
                City("riskyButReady", score: 74, gap: 0.2),
                City("calmButBare", score: 40, gap: 0.8),
                City("middle", score: 60, gap: 0.5),
            ],
            Options,
            Scoring);

        Assert.Equal(["calmButBare", "middle", "riskyButReady"], ranked.Select(c => c.CityId));
        Assert.Equal([1, 2, 3], ranked.Select(c => c.Rank));
        Assert.Equal([0.32, 0.3, 0.148], ranked.Select(c => c.Need!.Value));
    }

    [Fact]
    public void Recommend_CityWithInsufficientData_ListedLastAndAskedForData()
    {
        var silent = City("silent", score: null, gap: 0.5) with { Level = RiskLevel.InsufficientData, DaysSinceLastReport = 20 };
        var ranked = AssistanceModel.Recommend([silent, City("quiet", score: 5, gap: 0.01)], Options, Scoring);

        Assert.Equal(["quiet", "silent"], ranked.Select(c => c.CityId));
        var last = ranked[1];
        Assert.True(last.InsufficientData);
        Assert.Null(last.Need);
        Assert.Equal(2, last.Rank);
        var action = Assert.Single(last.Actions);
        Assert.Equal(AssistanceActions.CollectData, action.Action);
        Assert.Contains("No case or capacity report for 20 days", action.Reason, StringComparison.Ordinal);
        Assert.Equal("Need unknown: the city has too little recent data to be scored.", AssistanceModel.ExplainNeed(last));
    }

    [Fact]
    public void Assess_InsufficientDataButNoLaboratoryOrTechnicianReported_SendsTestingKitsAndAsksForData()
    {
        // Ruili on 10 May 2020 (newcomer try-out 7): no report for 20 days, so its risk cannot be judged, but it reported
        // 0 laboratories and 0 technicians, a shortfall that stands until a new report changes it.
        var ruili = City("ruili", score: null, gap: 0.71) with { Level = RiskLevel.InsufficientData, DaysSinceLastReport = 20, Labs = 0, Technicians = 0 };

        var assessed = AssistanceModel.Assess(ruili, Options, Scoring);

        Assert.Null(assessed.Need);
        Assert.Equal([AssistanceActions.DispatchTestingKits, AssistanceActions.CollectData], assessed.Actions.Select(a => a.Action));
        var dispatch = assessed.Actions[0];
        Assert.Equal(AssistanceScopes.Province, dispatch.Scope);
        Assert.StartsWith("Testing gap as last reported: 0 laboratories for 100,000 people", dispatch.Reason, StringComparison.Ordinal);
        Assert.Contains("0 technicians for 100,000 people", dispatch.Reason, StringComparison.Ordinal);
        Assert.EndsWith("Its risk cannot be judged, so the need is not measured; the shortfall stands until a report changes it.", dispatch.Reason, StringComparison.Ordinal);
        Assert.Contains("No case or capacity report for 20 days", assessed.Actions[1].Reason, StringComparison.Ordinal);
        Assert.Equal(AssistanceGroups.Send, AssistanceModel.GroupIdOf(assessed));
    }

    [Fact]
    public void Recommend_UnjudgedCityShortOfTesting_RanksAfterEveryMeasuredNeedToSendTo_AndBeforeCitiesNeedingNothing()
    {
        var ranked = AssistanceModel.Recommend(
            [
                City("silent", score: null, gap: 0.5) with { Level = RiskLevel.InsufficientData, DaysSinceLastReport = 20 },
                City("quiet", score: 5, gap: 0.01).WellEquipped(),
                City("unjudged-bare", score: null, gap: 0.9) with { Level = RiskLevel.InsufficientData, DaysSinceLastReport = 20, Labs = 0, Technicians = 0 },
                City("measured-bare", score: 10, gap: 0.9) with { Labs = 0, Technicians = 0 },
            ],
            Options,
            Scoring);

        Assert.Equal(["measured-bare", "unjudged-bare", "quiet", "silent"], ranked.Select(c => c.CityId));
        Assert.Equal([AssistanceGroups.Send, AssistanceGroups.Send, AssistanceGroups.KeepMonitoring, AssistanceGroups.InsufficientData], ranked.Select(AssistanceModel.GroupIdOf));
    }

    [Fact]
    public void Recommend_CityNeverReported_ReasonSaysNoReportEver()
    {
        var never = City("never", score: null, gap: 0.5) with { Level = RiskLevel.InsufficientData, DaysSinceLastReport = null };
        var action = Assert.Single(AssistanceModel.Assess(never, Options, Scoring).Actions);
        Assert.Contains("No report has ever been received", action.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Recommend_EqualNeed_HigherScoreThenBusierThenIdFirst()
    {
        var ranked = AssistanceModel.Recommend(
            [
                City("b-quiet", score: 40, gap: 0.5),
                City("lower-score", score: 20, gap: 1),
                City("a-quiet", score: 40, gap: 0.5),
                City("busy", score: 40, gap: 0.5).WithPort("busy-road", 500, 0.1, 1000),
            ],
            Options,
            Scoring);

        // All four need 0.2: score 40 beats 20, then 500 travellers a day beat none, then ids in order.
        Assert.All(ranked, c => Assert.Equal(0.2, c.Need));
        Assert.Equal(["busy", "a-quiet", "b-quiet", "lower-score"], ranked.Select(c => c.CityId));
    }

    [Fact]
    public void Assess_FewLabsAndTechnicians_DispatchesTestingKitsWithTheShortfallInTheReason()
    {
        var ruili = City("ruili", score: 45, gap: 0.9) with { Population = 267_638, Labs = 0, Technicians = 5, IsolationBeds = 100 };

        var result = AssistanceModel.Assess(ruili, Options, Scoring);

        var testing = Assert.Single(result.Actions, a => a.Action == AssistanceActions.DispatchTestingKits);
        Assert.Equal(AssistanceScopes.Province, testing.Scope);
        Assert.Contains("0 laboratories for 267,638 people (0 per 1,000,000, target 2; gap 1, short by 1)", testing.Reason, StringComparison.Ordinal);

        // 5 technicians for 267,638 people is 1.87 per 100,000 against 10: 22 more reach the target.
        Assert.Contains("5 technicians for 267,638 people (1.87 per 100,000, target 10; gap 0.81, short by 22)", testing.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Actions, a => a.Action == AssistanceActions.DispatchBeds);
    }

    [Fact]
    public void Assess_PortTestingFarBelowTraffic_DispatchesTestingKitsNamingThePort()
    {
        var city = City("ready-city", score: 30, gap: 0.1) with
        {
            Population = 100_000,
            Labs = 5,
            Technicians = 50,
            IsolationBeds = 50,
            Ports = [new PortNeedInput("busy-road", 3000, 0.8, 200), new PortNeedInput("unreported", 50, 0.5, null)],
        };

        var testing = Assert.Single(AssistanceModel.Assess(city, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchTestingKits);

        Assert.Equal("Testing gap: port busy-road tests 200 a day for 3,000 inbound travellers a day (testing gap 0.8).", testing.Reason);
    }

    [Fact]
    public void Assess_SevereCasesAndFewBeds_DispatchesBedsAndMedicalMaterials()
    {
        var city = City("hekou", score: 55, gap: 0.6).TestingAboveTarget() with { IsolationBeds = 4, Severe14d = 3 };

        var result = AssistanceModel.Assess(city, Options, Scoring);

        var beds = Assert.Single(result.Actions, a => a.Action == AssistanceActions.DispatchBeds);
        Assert.Equal(
            "3 severe cases in 14 days against 4 isolation beds for 100,000 people (4 per 100,000, target 20; gap 0.8, short by 16).",
            beds.Reason);
    }

    [Fact]
    public void Assess_KeepMonitoring_SaysTheTrafficItCountsIsReportedTraffic()
    {
        // Try-out 5: Suifenhe on 10 May read "… and 0 inbound travellers a day" while its road port's view carried 60 a
        // day forward. The assistance counts reported traffic (7-day mean); the reason now says so.
        var quiet = City("quiet", score: 20, gap: 0.1).WithPort("quiet-road", null, 0.1, null);
        var busy = City("busy", score: 20, gap: 0.1).WithPort("busy-road", 250, 0.1, 300);

        var quietReason = Assert.Single(AssistanceModel.Assess(quiet, Options, Scoring).Actions).Reason;
        var busyReason = Assert.Single(AssistanceModel.Assess(busy, Options, Scoring).Actions).Reason;

        Assert.EndsWith(
            "and no inbound traffic reported through its ports in the last 7 days (a port's score may rest on traffic carried forward or nominal; assistance counts reported traffic only).",
            quietReason,
            StringComparison.Ordinal);
        Assert.DoesNotContain("0 inbound travellers a day", quietReason, StringComparison.Ordinal);
        Assert.EndsWith("and 250 inbound travellers a day reported through its ports in the last 7 days.", busyReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_FewBedsButNoSevereCases_DoesNotDispatchBeds()
    {
        var city = City("calm", score: 30, gap: 0.3).TestingAboveTarget() with { IsolationBeds = 4 };

        var result = AssistanceModel.Assess(city, Options, Scoring);

        Assert.DoesNotContain(result.Actions, a => a.Action == AssistanceActions.DispatchBeds);
        Assert.Equal(AssistanceActions.KeepMonitoring, Assert.Single(result.Actions).Action);
    }

    [Fact]
    public void Assess_VeryHighLevelWithCases_NationalTeamEquipmentAndMakeshiftHospitalsFirst()
    {
        var city = City("suifenhe", score: 82, gap: 0.3) with
        {
            Level = RiskLevel.VeryHigh,
            Population = 100_000,
            Labs = 2,
            Technicians = 20,
            IsolationBeds = 60,
            LocalCases14d = 8,
            Asymptomatic14d = 26,
        };

        var result = AssistanceModel.Assess(city, Options, Scoring);

        Assert.Equal(
            [AssistanceActions.SendExpertTeam, AssistanceActions.DeliverEquipment, AssistanceActions.SupportMakeshiftHospitals],
            result.Actions.Select(a => a.Action));
        Assert.All(result.Actions, a => Assert.Equal(AssistanceScopes.National, a.Scope));
        Assert.Equal("Level very high (score 82).", result.Actions[0].Reason);
        Assert.Equal("8 local cases and 26 asymptomatic infections in 14 days to isolate with their close contacts.", result.Actions[2].Reason);
    }

    [Fact]
    public void Assess_GapAboveHalfWithManyIncomingVisitors_NationalAssistance()
    {
        var busy = City("dongxing", score: 40, gap: 0.7).WithPort("dongxing", 1500, 0.2, 3000);

        var result = AssistanceModel.Assess(busy, Options, Scoring);

        var team = Assert.Single(result.Actions, a => a.Action == AssistanceActions.SendExpertTeam);
        Assert.Equal(
            "Capacity gap 0.7 (above 0.5) with 1,500 inbound travellers a day reported through its ports (many from 1,000).",
            team.Reason);
        Assert.Contains(result.Actions, a => a.Action == AssistanceActions.DeliverEquipment);
        Assert.DoesNotContain(result.Actions, a => a.Action == AssistanceActions.SupportMakeshiftHospitals);
    }

    [Fact]
    public void Assess_GapAboveHalfWithFewVisitors_NoNationalAssistance()
    {
        var quiet = City("quiet", score: 40, gap: 0.7).WithPort("quiet-road", 200, 0.2, 500);

        var result = AssistanceModel.Assess(quiet, Options, Scoring);

        Assert.DoesNotContain(result.Actions, a => a.Scope == AssistanceScopes.National);
    }

    [Fact]
    public void Assess_CapacityNeverReported_AsksForCapacityAndCountsHalfGap()
    {
        var city = City("unknown-capacity", score: 40, gap: null);

        var result = AssistanceModel.Assess(city, Options, Scoring);

        Assert.Equal(0.5, result.CapacityGap);
        Assert.Equal(0.2, result.Need);
        var action = Assert.Single(result.Actions);
        Assert.Equal(AssistanceActions.ReportCapacity, action.Action);
        Assert.Contains("counts as 0.5", action.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainNeed_ScoredCity_ShowsTheArithmetic()
    {
        var result = AssistanceModel.Assess(City("x", score: 62.5, gap: 0.48), Options, Scoring);

        Assert.Equal("Need 0.3 = score 62.5 / 100 × capacity gap 0.48 (capacity per head 0.48).", AssistanceModel.ExplainNeed(result));
    }

    [Fact]
    public void Recommend_CityInCrisisAmongLowRiskCitiesWithoutCapacityReports_CrisisFirst()
    {
        // The try-out: Suifenhe with 2,000 local and 300 severe cases, capacity per head above every target (3 labs,
        // 40 technicians, 600 beds per 100,000), ranked 12th behind cities at 7.5 whose only need was "collect data".
        var suifenhe = City("suifenhe", score: 50.8, gap: 0) with
        {
            Labs = 3,
            Technicians = 40,
            IsolationBeds = 600,
            LocalCases14d = 2000,
            Severe14d = 300,
        };
        var quiet = Enumerable.Range(1, 11).Select(i => City($"quiet-{i:00}", score: 7.5, gap: null)).ToList();

        var ranked = AssistanceModel.Recommend([.. quiet, suifenhe], Options, Scoring);

        var first = ranked[0];
        Assert.Equal("suifenhe", first.CityId);
        Assert.Equal(1, first.CapacityGap);
        Assert.Equal(0.508, first.Need);
        var beds = Assert.Single(first.Actions, a => a.Action == AssistanceActions.DispatchBeds);
        Assert.StartsWith("2,000 cases to isolate in 14 days (local, asymptomatic and imported) against 600 isolation beds", beds.Reason, StringComparison.Ordinal);
        Assert.Contains("isolation load 1 (2,000 cases in 14 days against 600 isolation beds)", AssistanceModel.ExplainNeed(first), StringComparison.Ordinal);
        Assert.All(ranked.Skip(1), c => Assert.Contains(c.Actions, a => a.Action == AssistanceActions.ReportCapacity));
    }

    [Fact]
    public void Recommend_UnreportedCapacity_RankedByRiskAfterEveryMeasuredShortfall()
    {
        var short1 = City("thin-testing", score: 20, gap: 0.9) with { Population = 267_638, Labs = 0, Technicians = 3, IsolationBeds = 100 };
        var blind = City("blind-risky", score: 60, gap: null);
        var blindCalm = City("blind-calm", score: 10, gap: null);
        var ready = City("ready", score: 70, gap: 0) with { Labs = 5, Technicians = 50, IsolationBeds = 100 };

        var ranked = AssistanceModel.Recommend([blindCalm, ready, blind, short1], Options, Scoring);

        // A measured shortfall first however small its score; then blind spots by their risk; then cities that cope.
        Assert.Equal(["thin-testing", "blind-risky", "blind-calm", "ready"], ranked.Select(c => c.CityId));
        Assert.Equal([0, 1, 1, 2], ranked.Select(AssistanceModel.GroupOf));
        Assert.Contains("estimated", AssistanceModel.ExplainNeed(ranked[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void Strain_IsolationLoadAbovePerCapitaGap_BindsTheNeed()
    {
        var city = City("crowded", score: 40, gap: 0.1) with { IsolationBeds = 50, LocalCases14d = 20, Asymptomatic14d = 5, ImportedHosted14d = 5 };

        var strain = AssistanceModel.Strain(city, Scoring);

        Assert.NotNull(strain);
        Assert.Equal(0.6, strain.Value.Gap);
        Assert.Equal("the largest of capacity per head 0.1, isolation load 0.6 (30 cases in 14 days against 50 isolation beds)", strain.Value.Why);
        Assert.Null(AssistanceModel.Strain(City("blind", score: 40, gap: null), Scoring));
    }

    [Fact]
    public void Strain_ReportedPortTestingGapLargest_BindsTheNeed_UnreportedPortIgnored()
    {
        var city = City("border-town", score: 50, gap: 0.1) with
        {
            Ports = [new PortNeedInput("road", 3000, 0.8, 200), new PortNeedInput("unreported", 50, 0.95, null)],
        };

        var strain = AssistanceModel.Strain(city, Scoring);

        // The unreported port's gap is a default, not a measured shortfall: it must not bind the need.
        Assert.NotNull(strain);
        Assert.Equal(0.8, strain.Value.Gap);
        Assert.Equal("the largest of capacity per head 0.1, testing at port road 0.8", strain.Value.Why);
        Assert.Equal(0.4, AssistanceModel.Assess(city, Options, Scoring).Need);
    }

    [Fact]
    public void Strain_ZeroBedsButNoOneToIsolate_IsNoIsolationLoad()
    {
        var city = City("empty-wards", score: 20, gap: 0.2) with { IsolationBeds = 0 };

        var strain = AssistanceModel.Strain(city, Scoring);

        Assert.NotNull(strain);
        Assert.Equal(0.2, strain.Value.Gap);
        Assert.Equal("the largest of capacity per head 0.2, isolation load 0 (0 cases in 14 days against 0 isolation beds)", strain.Value.Why);
    }

    [Fact]
    public void Strain_CasesAndZeroBeds_IsFull()
    {
        var city = City("no-wards", score: 20, gap: 0.2) with { IsolationBeds = 0, LocalCases14d = 3 };

        Assert.Equal(1, AssistanceModel.Strain(city, Scoring)!.Value.Gap);
    }

    [Fact]
    public void Strain_SevereCasesOutnumberingEveryOtherCount_AreTheOnesToIsolate()
    {
        // Severe cases are among the confirmed ones; a feed that reports only severe cases still fills beds with them.
        var city = City("severe-only", score: 20, gap: 0) with { IsolationBeds = 10, Severe14d = 5, LocalCases14d = 2 };

        var strain = AssistanceModel.Strain(city, Scoring);

        Assert.Equal(0.5, strain!.Value.Gap);
        Assert.Contains("isolation load 0.5 (5 cases in 14 days against 10 isolation beds)", strain.Value.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_ZeroBedsAndNoOneToIsolate_DoesNotDispatchBeds()
    {
        var city = City("empty-wards", score: 30, gap: 0.2).TestingAboveTarget() with { IsolationBeds = 0 };

        Assert.DoesNotContain(AssistanceModel.Assess(city, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchBeds);
    }

    [Fact]
    public void Assess_SevereCasesAndNoBedsReported_DispatchesBeds()
    {
        var city = City("no-bed-report", score: 30, gap: 0.2).TestingAboveTarget() with { Severe14d = 2 };

        var beds = Assert.Single(AssistanceModel.Assess(city, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchBeds);
        Assert.Equal("2 severe cases in 14 days and no isolation beds reported.", beds.Reason);
    }

    [Fact]
    public void Assess_SevereCasesFillingEveryBed_DispatchesBedsEvenAtThePerCapitaTarget()
    {
        // 30 beds for 100,000 people beat the target of 20, but 30 severe cases fill them all.
        var city = City("full-wards", score: 30, gap: 0).TestingAboveTarget() with { IsolationBeds = 30, Severe14d = 30 };

        Assert.Contains(AssistanceModel.Assess(city, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchBeds);
        Assert.DoesNotContain(AssistanceModel.Assess(city with { Severe14d = 5 }, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchBeds);
    }

    [Fact]
    public void Assess_IsolationLoadReachingTheThreshold_DispatchesBeds()
    {
        // 40 cases to isolate against 50 beds is the 0.8 threshold itself; 39 is below it.
        var city = City("filling", score: 30, gap: 0).TestingAboveTarget() with { IsolationBeds = 50, LocalCases14d = 40 };

        Assert.Contains(AssistanceModel.Assess(city, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchBeds);
        Assert.DoesNotContain(AssistanceModel.Assess(city with { LocalCases14d = 39 }, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchBeds);
    }

    [Fact]
    public void Assess_IsolationOverloaded_CountsTheBedsShortAgainstTheCasesToIsolate()
    {
        // Ruili (newcomer 24a, H1): 463 cases to isolate against 30 beds for 267,638 people. The per-capita target (20
        // per 100,000, 54 beds) made it "short by 24", about 5 % of what the team must isolate.
        var ruili = City("ruili", score: 85.8, gap: 0.9).TestingAboveTarget() with { Population = 267_638, IsolationBeds = 30, ImportedHosted14d = 460, LocalCases14d = 3 };

        var beds = Assert.Single(AssistanceModel.Assess(ruili, Options, Scoring).Actions, a => a.Action == AssistanceActions.DispatchBeds);
        var shortfall = AssistanceModel.CityIsolationShortfall(ruili.Population, 30, 3, 0, 460, 0, Options, Scoring);

        Assert.NotNull(shortfall);
        Assert.Equal(433, shortfall.BedsShort);
        Assert.Equal("463 cases to isolate in 14 days against 30 isolation beds, 433 beds short", shortfall.Brief);
        Assert.Equal(
            "463 cases to isolate in 14 days (local, asymptomatic and imported) against 30 isolation beds, 433 beds short of the cases to isolate (30 isolation beds for 267,638 people: 11.21 per 100,000, target 20).",
            beds.Reason);
        Assert.Equal(beds.Reason, shortfall.Reason + ".");
    }

    [Fact]
    public void CityIsolationShortfall_LoadAtTheThresholdWithBedsLeft_SaysTheBedsLeft()
    {
        var shortfall = AssistanceModel.CityIsolationShortfall(100_000, 50, 40, 0, 0, 0, Options, Scoring);

        Assert.NotNull(shortfall);
        Assert.Equal(0, shortfall.BedsShort);
        Assert.Contains("against 50 isolation beds, 10 beds left, at least 80 % filled", shortfall.Reason, StringComparison.Ordinal);
        Assert.Null(AssistanceModel.CityIsolationShortfall(100_000, 50, 39, 0, 0, 0, Options, Scoring));
    }

    [Fact]
    public void Assess_NationalThresholds_GapAboveHalfAndFromAThousandTravellers()
    {
        var atThousand = City("at-1000", score: 40, gap: 0.7).WithPort("road", 1000, 0.2, 3000);
        var gapOfHalf = City("gap-half", score: 40, gap: 0.5).WithPort("road", 5000, 0.2, 6000);

        Assert.Contains(AssistanceModel.Assess(atThousand, Options, Scoring).Actions, a => a.Action == AssistanceActions.SendExpertTeam);
        Assert.DoesNotContain(AssistanceModel.Assess(gapOfHalf, Options, Scoring).Actions, a => a.Scope == AssistanceScopes.National);
    }

    [Fact]
    public void Assess_VeryHighWithTenCasesToIsolate_SupportsMakeshiftHospitals()
    {
        var city = City("ten", score: 80, gap: 0) with { Level = RiskLevel.VeryHigh, Labs = 2, Technicians = 20, IsolationBeds = 600, LocalCases14d = 6, Asymptomatic14d = 4 };

        Assert.Contains(AssistanceModel.Assess(city, Options, Scoring).Actions, a => a.Action == AssistanceActions.SupportMakeshiftHospitals);
        Assert.DoesNotContain(AssistanceModel.Assess(city with { Asymptomatic14d = 3 }, Options, Scoring).Actions, a => a.Action == AssistanceActions.SupportMakeshiftHospitals);
    }

    [Fact]
    public void GroupOf_TestingKitsNeededAtAPortOfACityWithoutCapacityReports_IsToAssist()
    {
        // A measured shortfall at a port is a need, even though the city's own capacity is a blind spot.
        var city = City("port-short", score: 30, gap: null).WithPort("road", 3000, 0.8, 200);

        var result = AssistanceModel.Assess(city, Options, Scoring);

        Assert.Contains(result.Actions, a => a.Action == AssistanceActions.ReportCapacity);
        Assert.Equal(0, AssistanceModel.GroupOf(result));
    }

    [Property(MaxTest = 200)]
    public bool Recommend_AnyCities_RanksConsecutiveNeedsNonIncreasing_UnmeasuredNeedsAfterMeasuredOnes_InsufficientDataLast(int seed)
    {
        var random = new Random(seed);
        var cities = Enumerable.Range(0, random.Next(0, 30)).Select(i =>
        {
            var scored = random.NextDouble() < 0.8;
            return City($"c{i}", scored ? Math.Round(random.NextDouble() * 100, 1) : null, random.NextDouble() < 0.1 ? null : Math.Round(random.NextDouble(), 2))
                with
            {
                Level = scored ? RiskLevel.Moderate : RiskLevel.InsufficientData,
                Ports = [new PortNeedInput($"p{i}", random.Next(0, 3000), random.NextDouble(), random.Next(0, 2000))],
            };
        }).ToList();

        var ranked = AssistanceModel.Recommend(cities, Options, Scoring);

        var groups = ranked.Select(AssistanceModel.GroupOf).ToList();
        // In the groups ranked by need, a city whose need could not be measured (insufficient data, but short of
        // testing) comes after every city whose need was.
        bool Ordered(CityAssistance first, CityAssistance second) => AssistanceModel.GroupOf(first) switch
        {
            1 => first.Score >= second.Score,
            3 => true,
            _ => second.Need is null || first.Need >= second.Need,
        };
        var pairs = ranked.Zip(ranked.Skip(1)).ToList();
        return ranked.Length == cities.Count
            && ranked.Select(c => c.Rank).SequenceEqual(Enumerable.Range(1, cities.Count))
            && groups.Zip(groups.Skip(1)).All(p => p.First <= p.Second)
            && pairs.Where(p => AssistanceModel.GroupOf(p.First) == AssistanceModel.GroupOf(p.Second)).All(p => Ordered(p.First, p.Second))
            && ranked.All(c => !c.Actions.IsEmpty)
            && ranked.All(c => c.Need is null || (c.Need >= 0 && c.Need <= 1));
    }

    [Fact]
    public void Assess_PlanStillAtLevel4AfterTheScoreFell_SendsTheNationalTeamItsPlanAsksFor()
    {
        // Suifenhe on 30 April (newcomer try-out 4): the score is back in a lower band, the plan holds level 4 until its
        // dwell runs out on 1 May, and the assistance said "keep monitoring: no assistance needed".
        var city = CityNeeds.SuifenheHoldingLevel4();
        Assert.NotEqual(RiskLevel.VeryHigh, city.Level);

        var atLevel4 = AssistanceModel.Assess(city, Options, Scoring);
        var atLevel3 = AssistanceModel.Assess(city with { ResponseLevel = 3 }, Options, Scoring);

        Assert.Equal(AssistanceGroups.Send, AssistanceModel.GroupIdOf(atLevel4));
        Assert.Equal([AssistanceActions.SendExpertTeam, AssistanceActions.DeliverEquipment], atLevel4.Actions.Select(a => a.Action));
        Assert.All(atLevel4.Actions, a => Assert.Equal(AssistanceScopes.National, a.Scope));
        Assert.Equal(
            $"Response level 4 in force since 2020-04-16: the city's plan asks for a national expert team (score 45, band {RiskNames.Of(city.Level)}; it can step down from 2020-05-01 if the score stays below its exit).",
            atLevel4.Actions[0].Reason);
        Assert.Equal(atLevel3.Need, atLevel4.Need);
        Assert.DoesNotContain(atLevel3.Actions, a => a.Scope == AssistanceScopes.National);
    }

    [Fact]
    public void Assess_PlanAtLevel3_DispatchesTheKitsAndTechniciansItsPlanAsksFor_AndRanksByNeedAboveTheQuietCities()
    {
        // Suifenhe on 14 April (newcomer try-out 5): level 3 in force since 7 April, its plan asking the province for
        // testing kits and technicians, well equipped per head; the assistance said "keep monitoring: no assistance
        // needed" and ranked it 12th of 12, below cities of score 8 whose capacity was never reported.
        var suifenhe = City("suifenhe", score: 74.35, gap: 0.6).WellEquipped().InForce(3, CityNeeds.Level3Since, defaultActions: true);
        Assert.Equal(RiskLevel.High, suifenhe.Level);
        var quiet = Enumerable.Range(1, 11).Select(i => City($"quiet-{i:00}", score: 8.3, gap: null));

        var without = AssistanceModel.Assess(suifenhe with { ResponseLevel = null, ResponseActions = [] }, Options, Scoring);
        var ranked = AssistanceModel.Recommend([.. quiet, suifenhe], Options, Scoring);
        var city = ranked.Single(c => c.CityId == "suifenhe");

        Assert.Equal([AssistanceActions.KeepMonitoring], without.Actions.Select(a => a.Action));
        Assert.Equal(AssistanceGroups.Send, AssistanceModel.GroupIdOf(city));
        Assert.Equal(1, city.Rank);
        Assert.Equal(without.Need, city.Need);
        var kits = Assert.Single(city.Actions);
        Assert.Equal((AssistanceScopes.Province, AssistanceActions.DispatchTestingKits), (kits.Scope, kits.Action));
        Assert.Equal(
            "Response level 3 in force since 2020-04-07: the city's plan says \"Request testing kits and laboratory technicians from the province\" (score 74.3, band high).",
            kits.Reason);

        // A plan of the city's own words without such an action: the default plan's request is named.
        var own = AssistanceModel.Assess(suifenhe with { ResponseActions = ["Close the market."] }, Options, Scoring);
        Assert.StartsWith("Response level 3 in force since 2020-04-07: the city's plan asks the province for testing kits and laboratory technicians (score 74.3", own.Actions.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_PlanAtLevel3WithATestingGap_GivesTheGapAndThePlanInOneReason()
    {
        var city = City("dongning", score: 60, gap: 0.6).InForce(3, defaultActions: true) with { Labs = 0, Technicians = 1 };

        var kits = AssistanceModel.Assess(city, Options, Scoring).Actions.Single(a => a.Action == AssistanceActions.DispatchTestingKits);

        Assert.StartsWith("Testing gap: ", kits.Reason, StringComparison.Ordinal);
        Assert.Contains(". Response level 3 in force: the city's plan says \"Request testing kits and laboratory technicians from the province\" (score 60, band high).", kits.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_PlanAtLevel4_TheEquipmentLineQuotesThePlansEquipmentAction_NotTheTeamsSentence()
    {
        var city = CityNeeds.SuifenheHoldingLevel4() with { ResponseActions = ResponsePlan.Default.ActionsOf(4) };

        var actions = AssistanceModel.Assess(city, Options, Scoring).Actions;
        var team = actions.Single(a => a.Action == AssistanceActions.SendExpertTeam).Reason;
        var equipment = actions.Single(a => a.Action == AssistanceActions.DeliverEquipment).Reason;

        Assert.NotEqual(team, equipment);
        Assert.Equal(
            $"Response level 4 in force since 2020-04-16: the city's plan says \"Bring in medical and protective equipment and diagnosis and treatment equipment\" (score 45, band {RiskNames.Of(city.Level)}; it can step down from 2020-05-01 if the score stays below its exit).",
            equipment);
    }

    [Fact]
    public void Assess_VeryHighBandAndPlanAtLevel4_GivesTheBandsReasonOnce()
    {
        var city = City("ruili", score: 90, gap: 0.1).WellEquipped().InForce(4);

        var reason = AssistanceModel.Assess(city, Options, Scoring).Actions.Single(a => a.Action == AssistanceActions.SendExpertTeam).Reason;

        Assert.Equal("Level very high (score 90).", reason);
    }

    private static CityNeedInput City(string id, double? score, double? gap) => CityNeeds.City(id, score, gap);
}
