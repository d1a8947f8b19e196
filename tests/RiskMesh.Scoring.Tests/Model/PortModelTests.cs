using System.Collections.Immutable;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class PortModelTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Fact]
    public void Assess_NothingKnown_IsInsufficientDataWithReasons()
    {
        var assessment = AssessPort(Ledger(), 20, Port(Countries()));

        Assert.Null(assessment.Score);
        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.True(assessment.Quality.Stale);
        Assert.False(assessment.Quality.Estimated);
        Assert.Equal(new[] { "no case, traffic or capacity report of its own received", "no traffic reported in the last 7 days", "port testing capacity never reported: assumed to be a half gap" }, assessment.Quality.Notes.ToArray());
        Assert.Equal("Import pressure unknown: no traffic reported in the last 7 days and no nominal traffic for this port.", assessment.Component("importPressure").Explanation);
        Assert.Null(assessment.Component("importPressure").Value);
        Assert.Equal(0, assessment.Metric("exposureFloor"));
        Assert.Equal(0, assessment.ExposureFloor);
    }

    [Fact]
    public void Assess_NominalTrafficButOriginUnknown_IsInsufficientData()
    {
        var assessment = AssessPort(Ledger(), 20, Port(Countries(), nominal: 500));

        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.Equal("Import pressure unknown: origin countries' incidence unknown.", assessment.Component("importPressure").Explanation);
    }

    [Fact]
    public void Assess_OnlyNominalTrafficAndCountryFeed_IsScoredFromEstimatedExposure()
    {
        // 700 a day from RU at 100 per 100,000: 0.7 expected infected arrivals a day.
        var assessment = AssessPort(Ledger(), 20, Port(Countries(("RU", 60, 0.001)), nominal: 700));

        var expectedFloor = Floor(0.7);
        var weighted = (0.25 * (1 - Math.Exp(-0.7))) + (0.15 * 0.6) + (0.2 * 0.5);
        Assert.Equal(expectedFloor, assessment.Score!.Value, 3);
        Assert.Equal(RiskLevel.Moderate, assessment.Level);
        Assert.False(assessment.Quality.Stale);
        Assert.True(assessment.Quality.Estimated);
        Assert.Contains("no traffic reported in the last 7 days: exposure estimated from nominal traffic of 700 a day (the topology's figure for this port)", assessment.Quality.Notes);
        Assert.Contains("no recent report of its own: scored from its exposure (its traffic, estimated, and its origin countries)", assessment.Quality.Notes);
        Assert.Equal(0.7, assessment.Metric("expectedInfectedArrivalsPerDay"), 6);
        Assert.Equal(0.7, assessment.Metric("expectedFromIncidencePerDay"), 6);
        Assert.False(assessment.Metrics.ContainsKey("expectedFromCasesFoundPerDay") && assessment.Metrics["expectedFromCasesFoundPerDay"] is not null);
        Assert.Equal(700, assessment.Metric("nominalInbound"));
        Assert.Equal(1, assessment.Metric("estimatedTraffic"));
        Assert.Null(assessment.Metrics["dailyInbound"]);
        Assert.Equal(Math.Round(expectedFloor, 4), assessment.ExposureFloor);

        var pressure = assessment.Component("importPressure");
        Assert.Equal("Expected infected arrivals 0.7 a day, so a 50% chance of at least one, mostly from RU. About 700 inbound travellers a day (nominal, the topology's figure for this port: no traffic reported in the last 7 days).", pressure.Explanation);
        Assert.Equal(Math.Round(1 - Math.Exp(-0.7), 4), pressure.Normalized);

        var exposure = assessment.Component("exposure");
        Assert.Equal(0, exposure.Weight);
        Assert.Equal(Math.Round(expectedFloor, 4), exposure.Value);
        Assert.Equal(Math.Round(expectedFloor - (weighted * 100), 2), exposure.Contribution, 1);
        Assert.StartsWith("Exposure alone puts the port at 45.4 (moderate): 0.7 expected infected arrivals a day (one a week is moderate, 1 a day high, 5 a day very high), ", exposure.Explanation);
        Assert.Equal(assessment.Score!.Value, assessment.Components.Sum(c => c.Contribution), 1);
    }

    [Fact]
    public void Assess_KindDefaultNominal_SaysSo()
    {
        var assessment = AssessPort(Ledger(), 20, Port(Countries(("RU", 60, 0.001)), nominal: 100, nominalIsDefault: true));

        Assert.Contains("no traffic reported in the last 7 days: exposure estimated from nominal traffic of 100 a day (the default for its kind of port)", assessment.Quality.Notes);
        Assert.Contains(". About 100 inbound travellers a day (nominal, the default for its kind of port: ", assessment.Component("importPressure").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_OneExpectedArrivalADay_IsHigh()
    {
        var assessment = AssessPort(Ledger(), 20, Port(Countries(("RU", 40, 0.001)), nominal: 1000));

        Assert.Equal(50, assessment.Score!.Value, 3);
        Assert.Equal(RiskLevel.High, assessment.Level);
    }

    [Fact]
    public void Assess_FiveExpectedArrivalsADay_IsVeryHigh()
    {
        var assessment = AssessPort(Ledger(), 20, Port(Countries(("RU", 40, 0.005)), nominal: 1000));

        Assert.Equal(75, assessment.Score!.Value, 3);
        Assert.Equal(RiskLevel.VeryHigh, assessment.Level);
    }

    [Fact]
    public void Assess_WeightedEvidenceAboveFloor_FloorAddsNothing()
    {
        // Tiny exposure, but strong intelligence, a risky origin and an unknown capacity: the weighted sum is above the floor.
        var events = Enumerable.Range(10, 5).Select(d => (RiskEvent)Traffic(d, 100))
            .Concat(Enumerable.Range(0, 3).Select(i => (RiskEvent)Intel(14, 5, 1, id: $"i{i}")))
            .ToArray();
        var assessment = AssessPort(Ledger(events), 14, Port(Countries(("RU", 100, 0.00001))));

        var exposure = assessment.Component("exposure");
        Assert.Equal(0, exposure.Contribution);
        Assert.StartsWith("Exposure alone would put the port at ", exposure.Explanation);
        Assert.EndsWith("; the weighted evidence already scores higher.", exposure.Explanation);
        var weighted = assessment.Components.Where(c => c.Weight > 0).Sum(c => c.Weight * c.Normalized * 100);
        Assert.Equal(weighted, assessment.Score!.Value, 2);
    }

    [Fact]
    public void Assess_NoExpectedArrivals_ExposureSetsNoFloor()
    {
        var assessment = AssessPort(Ledger(Traffic(19, 300)), 20, Port(Countries(("RU", 5, 0.0))));

        Assert.Equal("No infected arrivals expected: exposure sets no floor.", assessment.Component("exposure").Explanation);
        Assert.Equal(0, assessment.Component("exposure").Contribution);
        Assert.Equal(0, assessment.Metric("exposureFloor"));
    }

    [Fact]
    public void Assess_ReportedTrafficReplacesNominal()
    {
        var ledger = Ledger(Traffic(18, 100), Traffic(19, 200), Traffic(20, 300));
        var assessment = AssessPort(ledger, 20, Port(Countries(("RU", 50, 0.001)), nominal: 5000));

        Assert.Equal(200, assessment.Metric("dailyInbound"));
        Assert.Equal(0.2, assessment.Metric("expectedInfectedArrivalsPerDay"), 6);
        Assert.Equal(0, assessment.Metric("estimatedTraffic"));
        Assert.False(assessment.Quality.Estimated);
        Assert.DoesNotContain(assessment.Quality.Notes, n => n.Contains("nominal", StringComparison.Ordinal));
        Assert.Equal("Expected infected arrivals 0.2 a day, so an 18% chance of at least one, mostly from RU. About 200 inbound travellers a day.", assessment.Component("importPressure").Explanation);
        Assert.Equal(600, assessment.Metric("inbound14d"));
    }

    [Theory]
    [InlineData(100, 200, 44, 0.001, "Expected infected arrivals 0.11 a day, so an 11% chance of at least one, mostly from RU. About 115 inbound travellers a day.")]
    [InlineData(1, 0, 0, 0.001, "Expected infected arrivals 0.0003 a day, so a 0.03% chance of at least one, mostly from RU. About 0.3 inbound travellers a day.")]
    // Newcomer 7 F5: thousands separated, "an" before a number said with a vowel, one traveller, whole percents.
    [InlineData(1200, 1200, 1200, 0.00165, "Expected infected arrivals 1.98 a day, so an 86% chance of at least one, mostly from RU. About 1,200 inbound travellers a day.")]
    [InlineData(1, 1, 1, 0.001, "Expected infected arrivals 0.001 a day, so a 0.1% chance of at least one, mostly from RU. About 1 inbound traveller a day.")]
    [InlineData(1000, 1000, 1000, 0.00782, "Expected infected arrivals 7.82 a day, so a near-certain chance (above 99.9%) of at least one, mostly from RU. About 1,000 inbound travellers a day.")]
    [InlineData(10000, 10000, 10000, 0.002, "Expected infected arrivals 20 a day, so a near-certain chance (above 99.99%) of at least one, mostly from RU. About 10,000 inbound travellers a day.")]
    public void Assess_TravellersAndChance_WholePeopleAndNoFalseCertainty(long day18, long day19, long day20, double prevalence, string expected)
    {
        // Try-out 6 F12: "About 81.43 inbound travellers a day" and "a 100% chance of at least one".
        var assessment = AssessPort(Ledger(Traffic(18, day18), Traffic(19, day19), Traffic(20, day20)), 20, Port(Countries(("RU", 50, prevalence)), nominal: 5000));

        Assert.Equal(expected, assessment.Component("importPressure").Explanation);
    }

    [Theory]
    // Review 8 F8: the near-certain branch, which starts at 99.5% itself, said "above 99.5%". An assessment rounds the
    // expected arrivals to 4 decimals, so its chance is never exactly 99.5%: 5.2983 a day is 99.49999% (written a whole
    // "99%"), 5.2984 the first to reach the branch (99.50004%). The wording is now true of every chance in it.
    [InlineData(0.0052983, "Expected infected arrivals 5.3 a day, so a 99% chance of at least one, mostly from RU. About 1,000 inbound travellers a day.")]
    [InlineData(0.0052984, "Expected infected arrivals 5.3 a day, so a near-certain chance (99.5% or more) of at least one, mostly from RU. About 1,000 inbound travellers a day.")]
    [InlineData(0.0069, "Expected infected arrivals 6.9 a day, so a near-certain chance (99.5% or more) of at least one, mostly from RU. About 1,000 inbound travellers a day.")]
    public void Assess_ChanceAtTheNearCertainBoundary_SaysWhatIsTrueOfIt(double prevalence, string expected)
    {
        var assessment = AssessPort(Ledger(Traffic(18, 1000), Traffic(19, 1000), Traffic(20, 1000)), 20, Port(Countries(("RU", 50, prevalence)), nominal: 5000));

        Assert.Equal(expected, assessment.Component("importPressure").Explanation);
    }

    [Fact]
    public void Assess_TrafficOlderThanAWeek_LastReportedTrafficCarriedForwardNotNominal()
    {
        // The try-out: Suifenhe's road crossing reported ~80 a day until its feed paused; a week later the nominal
        // 1,100 a day replaced it and the port went from low to moderate, "rising", on no news at all.
        var ledger = Ledger(Traffic(12, 100), Traffic(13, 100));
        var assessment = AssessPort(ledger, 20, Port(Countries(("RU", 50, 0.001)), nominal: 1100));

        Assert.Equal(0.1, assessment.Metric("expectedInfectedArrivalsPerDay"), 6);
        Assert.Equal(100, assessment.Metric("carriedInbound"));
        Assert.Equal(1, assessment.Metric("estimatedTraffic"));
        Assert.Null(assessment.Metrics["dailyInbound"]);
        Assert.True(assessment.Quality.Estimated);
        Assert.False(assessment.Quality.Stale);
        Assert.Contains("no traffic reported in the last 7 days: exposure estimated from the last reported traffic, 100 a day as of 2020-03-14, carried forward for up to 28 days", assessment.Quality.Notes);
        Assert.Contains(". About 100 inbound travellers a day (last reported, as of 2020-03-14: no traffic reported in the last 7 days)", assessment.Component("importPressure").Explanation, StringComparison.Ordinal);
        Assert.Equal(200, assessment.Metric("inbound14d"));

        // The day the carried level ends the week it started, the score has not moved: no gap looks like rising risk.
        var (_, trend) = PortModel.AssessWithTrend(ledger, Day(20), Port(Countries(("RU", 50, 0.001)), nominal: 1100), Options);
        Assert.NotEqual(Trend.Rising, trend);
    }

    [Fact]
    public void Assess_TrafficOlderThanTheCarryForward_NominalStandsInAndTheTrendIsNotJudgedOnTheSwitch()
    {
        var ledger = Ledger(Enumerable.Range(0, 8).Select(d => (RiskEvent)Traffic(d, 80)).ToArray());
        var context = Port(Countries(("RU", 50, 0.001)), nominal: 1100);

        // Last report on day 7: carried through day 34, nominal from day 35.
        Assert.Equal(80, AssessPort(ledger, 34, context).Metric("carriedInbound"));
        var switched = AssessPort(ledger, 35, context);
        Assert.Null(switched.Metrics["carriedInbound"]);
        Assert.Equal(1.1, switched.Metric("expectedInfectedArrivalsPerDay"), 6);
        Assert.True(switched.Quality.Estimated);

        var (assessment, trend) = PortModel.AssessWithTrend(ledger, Day(36), context, Options);
        Assert.Equal(Trend.Unknown, trend);
        Assert.True(assessment.Quality.Estimated);
        Assert.Contains(assessment.Quality.Notes, n => n.StartsWith("trend not judged (rising only as the traffic basis changed this week", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_ImportedCasesFound_ImplyHigherPrevalenceAndRaiseExposure()
    {
        // 1,000 a day from RU at 10 per 100,000 predicts 0.1 a day; 14 cases found in 14 days stand for 1/0.54 a day.
        var events = Enumerable.Range(7, 14).Select(d => (RiskEvent)Traffic(d, 1000)).Append(Case(15, 14, CaseClassification.ImportedConfirmed, "RU")).ToArray();
        var assessment = AssessPort(Ledger(events), 20, Port(Countries(("RU", 30, 0.0001))));

        var found = 1 / 0.54;
        Assert.Equal(found, assessment.Metric("expectedInfectedArrivalsPerDay"), 3);
        Assert.Equal(found, assessment.Metric("expectedFromCasesFoundPerDay"), 3);
        Assert.Equal(0.1, assessment.Metric("expectedFromIncidencePerDay"), 6);
        Assert.Equal(Floor(found), assessment.Metric("exposureFloor"), 2);
        Assert.Equal(Math.Max(Floor(found), assessment.Components.Where(c => c.Weight > 0).Sum(c => c.Weight * c.Normalized * 100)), assessment.Score!.Value, 2);
        Assert.Contains("14 imported cases found from RU in 14 days imply 185 infectious per 100,000 travellers, 18.52 times the prevalence estimated from the cases RU reports", assessment.Component("importPressure").Explanation);
        Assert.Equal("14 imported cases found in the 14 days to 2020-03-21 (10 per 10,000 inbound travellers), from RU (14).", assessment.Component("importedCases").Explanation);
        Assert.Equal(Math.Round(1 - Math.Exp(-1.4), 4), assessment.Component("importedCases").Normalized);
        Assert.Equal(14, assessment.Metric("importedCases14d"));
        Assert.Equal(10, assessment.Metric("importedPer10kInbound"), 6);
    }

    [Fact]
    public void Assess_CasesOfUnknownOrigin_AreSpreadLikeTheTravellers()
    {
        var origins = new Dictionary<string, long> { ["RU"] = 600, ["MN"] = 400 };
        var ledger = Ledger(Traffic(19, 1000, origins), Case(19, 27, CaseClassification.ImportedAsymptomatic));
        var countries = Countries(("RU", 20, 0.0), ("MN", 20, 0.0));

        var exposure = PortModel.Exposure(ledger, Day(20), Port(countries), PortModel.OriginShares(ledger, Day(20), ["RU"]), 1000, Options);

        Assert.Equal(27 / 14.0 / 0.54, exposure.Found!.Value, 3);
        Assert.Equal("RU", exposure.Leading);
        Assert.Contains("16.2 imported cases found from RU in 14 days imply", exposure.Explanation, StringComparison.Ordinal);
        Assert.Contains("10.8 imported cases found from MN in 14 days imply", exposure.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Exposure_TwoOriginsOfCasesFoundStandForAsManyArrivals_TheLeadingIsTheFirstByCode()
    {
        // China's cases reach the ledger before Afghanistan's, as many of each, and neither sends the port's
        // travellers: origins are weighed in code order, so a tie leads with AF whatever order the reports came in.
        var origins = new Dictionary<string, long> { ["RU"] = 1000 };
        var ledger = Ledger(Traffic(19, 1000, origins), Case(18, 4, CaseClassification.ImportedConfirmed, "CN"), Case(19, 4, CaseClassification.ImportedConfirmed, "AF"));

        var exposure = PortModel.Exposure(ledger, Day(20), Port(Countries(("RU", 20, 0.0))), PortModel.OriginShares(ledger, Day(20), ["RU"]), 1000, Options);

        Assert.Equal("AF", exposure.Leading);
        Assert.Equal(8 / 14.0 / 0.54, exposure.Found!.Value, 3);
    }

    [Fact]
    public void Exposure_CasesWithNoTrafficPicture_CountUnattributed()
    {
        var ledger = Ledger(Case(19, 7, CaseClassification.ImportedConfirmed));

        var exposure = PortModel.Exposure(ledger, Day(20), Port(Countries()), ImmutableSortedDictionary<string, double>.Empty, null, Options);

        Assert.Equal(7 / 14.0 / 0.54, exposure.Found!.Value, 3);
        Assert.Equal(exposure.Found, exposure.Expected);
        Assert.Null(exposure.Modelled);
        Assert.Null(exposure.Leading);
        Assert.Equal("", exposure.Explanation);
    }

    [Fact]
    public void Exposure_LocalCasesAndOldImports_DoNotCount()
    {
        var ledger = Ledger(Case(19, 50, CaseClassification.LocalConfirmed, "RU"), Case(5, 50, CaseClassification.ImportedConfirmed, "RU"), Case(21, 50, CaseClassification.ImportedConfirmed, "RU"));

        var exposure = PortModel.Exposure(ledger, Day(20), Port(Countries()), ImmutableSortedDictionary<string, double>.Empty, null, Options);

        Assert.Null(exposure.Expected);
        Assert.Null(exposure.Found);
    }

    [Fact]
    public void Exposure_Ascertainment_IsNamedInTheExplanation()
    {
        UpstreamValue? Russia(string code, int day) => code == "RU" ? new UpstreamValue(40, RiskLevel.Moderate, 0.002, null, 10) : null;

        var exposure = PortModel.Exposure(Ledger(), Day(20), Port(Russia), new Dictionary<string, double> { ["RU"] = 1 }, 300, Options);

        Assert.Equal(0.6, exposure.Expected!.Value, 6);
        Assert.Equal(" The official incidence of RU is scaled by its ascertainment ×10.", exposure.Explanation);
    }

    [Fact]
    public void Exposure_SumsOverOriginsAndNamesTheLargest()
    {
        var countries = Countries(("RU", 40, 0.001), ("MN", 40, 0.004), ("KZ", null, null));
        var shares = new Dictionary<string, double> { ["RU"] = 0.5, ["MN"] = 0.25, ["KZ"] = 0.25 };

        var exposure = PortModel.Exposure(Ledger(), Day(20), Port(countries), shares, 1000, Options);

        Assert.Equal((500 * 0.001) + (250 * 0.004), exposure.Expected!.Value, 6);
        Assert.Equal("MN", exposure.Leading);
    }

    [Fact]
    public void Assess_ThreeEqualOrigins_WholePercentShares()
    {
        // Newcomer 7 F5: "Travellers come from LA (33.33%), MM (33.33%), TH (33.33%)".
        var origins = new Dictionary<string, long> { ["RU"] = 100, ["MN"] = 100, ["KZ"] = 100 };
        var assessment = AssessPort(Ledger(Traffic(20, 300, origins)), 20, Port(Countries(("RU", 80, 0.0), ("MN", 40, 0.0), ("KZ", 60, 0.0))));

        Assert.Equal("Travellers come from KZ (33%), MN (33%), RU (33%); their weighted country score is 60.", assessment.Component("originCountries").Explanation);
    }

    [Fact]
    public void Assess_OriginComponent_IsTrafficWeightedCountryScore()
    {
        var origins = new Dictionary<string, long> { ["RU"] = 300, ["MN"] = 100 };
        var ledger = Ledger(Traffic(20, 400, origins));
        var assessment = AssessPort(ledger, 20, Port(Countries(("RU", 80, 0.0), ("MN", 40, 0.0))));

        var origin = assessment.Component("originCountries");
        Assert.Equal(70, origin.Value!.Value, 6);
        Assert.Equal(0.7, origin.Normalized, 6);
        Assert.Equal("Travellers come from MN (25%), RU (75%); their weighted country score is 70.", origin.Explanation);
        Assert.Equal(70, assessment.Metric("originCountryScore"), 6);
    }

    [Fact]
    public void Assess_OriginScoresUnknown_SaysSo()
    {
        var assessment = AssessPort(Ledger(Traffic(20, 400)), 20, Port(Countries()));

        Assert.Equal("Origin countries' scores unknown.", assessment.Component("originCountries").Explanation);
        Assert.Equal(0, assessment.Component("originCountries").Normalized);
        Assert.Null(assessment.Component("originCountries").Value);
    }

    [Fact]
    public void Assess_OwnReportsButStale_IsInsufficientWithoutExposure()
    {
        var assessment = AssessPort(Ledger(Traffic(1, 400)), 20, Port(Countries()));

        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.Equal("no case, traffic or capacity report of its own for 19 days", assessment.Quality.Notes[0]);
    }

    [Fact]
    public void Assess_FreshReports_AreScoredAndLevelFollowsThresholds()
    {
        var ledger = Ledger(Traffic(20, 400), Capacity(20, testsPerDay: 400, turnaround: 6, kits: 100_000));
        var assessment = AssessPort(ledger, 20, Port(Countries(("RU", 0, 0.0))));

        Assert.Equal(0, assessment.Score);
        Assert.Equal(RiskLevel.Low, assessment.Level);
        Assert.DoesNotContain("testing capacity never reported: counted as a half gap", assessment.Quality.Notes);
        Assert.Equal(400, assessment.Metric("testsPerDay"));
        Assert.Equal(6, assessment.Metric("testTurnaroundHours"));
        Assert.Equal(100_000, assessment.Metric("testKits"));
        Assert.Equal(0, assessment.Metric("capacityGap"));
    }

    [Fact]
    public void Assess_IntelAboutThePort_Counts()
    {
        var ledger = Ledger(Traffic(20, 400), Intel(20, 5, 1));
        var assessment = AssessPort(ledger, 20, Port(Countries(("RU", 0, 0.0))));

        var intel = assessment.Component("intel");
        Assert.Equal(0.1, intel.Weight);
        Assert.Equal(Math.Round(1 - Math.Exp(-1), 4), intel.Normalized);
    }

    [Fact]
    public void Assess_WeightsAreTheOptions()
    {
        var assessment = AssessPort(Ledger(Traffic(20, 400)), 20, Port(Countries(("RU", 0, 0.0))));

        Assert.Equal([0.3, 0.25, 0.15, 0.2, 0.1, 0.0], assessment.Components.Select(c => c.Weight));
        Assert.Equal(["importedCases", "importPressure", "originCountries", "capacityGap", "intel", "exposure"], assessment.Components.Select(c => c.Name));
        Assert.Equal("No imported cases found at this port in the last 14 days.", assessment.Component("importedCases").Explanation);
    }

    [Fact]
    public void AssessWithTrend_RisingExposure_IsRising()
    {
        var events = Enumerable.Range(0, 21).Select(d => (RiskEvent)Traffic(d, 100 + (d * 100))).ToArray();
        var (assessment, trend) = PortModel.AssessWithTrend(Ledger(events), Day(20), Port(Countries(("RU", 50, 0.001))), Options);

        Assert.Equal(Trend.Rising, trend);
        Assert.Equal(PortModel.Assess(Ledger(events), Day(20), Port(Countries(("RU", 50, 0.001))), Options).Score, assessment.Score);
    }

    [Fact]
    public void AssessWithTrend_ReportingStartsAfterNominalDays_FallIsNotJudged()
    {
        // Nominal 1,100 a day until the feed starts at 100 a day: the score drops with the basis, not with the risk.
        var ledger = Ledger(Enumerable.Range(17, 4).Select(d => (RiskEvent)Traffic(d, 100)).ToArray());

        var (assessment, trend) = PortModel.AssessWithTrend(ledger, Day(20), Port(Countries(("RU", 50, 0.001)), nominal: 1100), Options);

        Assert.Equal(Trend.Unknown, trend);
        Assert.Contains(assessment.Quality.Notes, n => n.StartsWith("trend not judged (falling only as the traffic basis changed this week", StringComparison.Ordinal));

        // Today's traffic is reported: the day's score is no estimate (newcomer try-out 5 P9: the port said `estimated`
        // on 4-6 April 2020 while its city, scored from that port, did not).
        Assert.False(assessment.Quality.Estimated);
        Assert.DoesNotContain(DataQualityFlags.Estimated, assessment.Quality.Flags);
        Assert.Equal(0, assessment.Metric("estimatedTraffic"));
    }

    [Fact]
    public void AssessWithTrend_NominalAllWeek_RisingOriginIsJudged()
    {
        // No switch of basis: every day rests on the nominal figure, so a rising origin prevalence is a rising risk.
        UpstreamValue? Russia(string code, int day) => code == "RU" ? new UpstreamValue(50, RiskLevel.High, 0.0001 * (day - Day(0))) : null;

        var (_, trend) = PortModel.AssessWithTrend(Ledger(), Day(20), Port(Russia, nominal: 1000), Options);

        Assert.Equal(Trend.Rising, trend);
    }

    [Fact]
    public void AssessWithTrend_ReportingResumesAfterCarriedDays_RiseIsJudged()
    {
        // Carried-forward traffic is the port's own last report, the same basis as reported traffic: tripled traffic is a rise.
        var events = Enumerable.Range(0, 4).Select(d => (RiskEvent)Traffic(d, 1000))
            .Concat(Enumerable.Range(18, 3).Select(d => (RiskEvent)Traffic(d, 3000)))
            .ToArray();

        var (assessment, trend) = PortModel.AssessWithTrend(Ledger(events), Day(20), Port(Countries(("RU", 50, 0.001)), nominal: 100), Options);

        Assert.Equal(1000, AssessPort(Ledger(events), 17, Port(Countries(("RU", 50, 0.001)), nominal: 100)).Metric("carriedInbound"));
        Assert.Equal(Trend.Rising, trend);
        Assert.DoesNotContain(assessment.Quality.Notes, n => n.StartsWith("trend not judged", StringComparison.Ordinal));
    }

    [Fact]
    public void AssessWithTrend_SteadyExposure_IsSteady()
    {
        var events = Enumerable.Range(0, 21).Select(d => (RiskEvent)Traffic(d, 500)).ToArray();
        var (_, trend) = PortModel.AssessWithTrend(Ledger(events), Day(20), Port(Countries(("RU", 50, 0.001))), Options);

        Assert.Equal(Trend.Steady, trend);
    }

    [Fact]
    public void OriginShares_NoOriginReport_SplitsEvenlyOverFaces()
    {
        var shares = PortModel.OriginShares(Ledger(Traffic(19, 100)), Day(20), ["RU", "MN"]);

        Assert.Equal(new Dictionary<string, double> { ["MN"] = 0.5, ["RU"] = 0.5 }, shares);
    }

    [Fact]
    public void OriginShares_PartlyAttributed_SplitsTheRestOverFaces()
    {
        var ledger = Ledger(Traffic(19, 1000, new Dictionary<string, long> { ["KZ"] = 400 }));

        var shares = PortModel.OriginShares(ledger, Day(20), ["RU", "MN"]);

        Assert.Equal(0.4, shares["KZ"], 9);
        Assert.Equal(0.3, shares["RU"], 9);
        Assert.Equal(0.3, shares["MN"], 9);
    }

    [Fact]
    public void OriginShares_LatestReportWins_AndOldOrFutureReportsAreIgnored()
    {
        var ledger = Ledger(
            Traffic(2, 100, new Dictionary<string, long> { ["KZ"] = 100 }, "old"),
            Traffic(15, 100, new Dictionary<string, long> { ["RU"] = 100 }, "a"),
            Traffic(18, 100, new Dictionary<string, long> { ["MN"] = 100 }, "b"),
            Traffic(25, 100, new Dictionary<string, long> { ["KP"] = 100 }, "future"));

        Assert.Equal(new Dictionary<string, double> { ["MN"] = 1 }, PortModel.OriginShares(ledger, Day(20), ["RU"]));
        Assert.Equal(new Dictionary<string, double> { ["RU"] = 1 }, PortModel.OriginShares(ledger, Day(16), ["RU"]));
        Assert.Equal(new Dictionary<string, double> { ["KP"] = 1 }, PortModel.OriginShares(ledger, Day(29), ["RU"]));
    }

    [Fact]
    public void OriginShares_SameDayReports_LaterSequenceWins()
    {
        var ledger = Ledger(
            Traffic(18, 100, new Dictionary<string, long> { ["MN"] = 100 }, "a"),
            Traffic(18, 100, new Dictionary<string, long> { ["KZ"] = 100 }, "b"));

        Assert.Equal(new Dictionary<string, double> { ["KZ"] = 1 }, PortModel.OriginShares(ledger, Day(20), ["RU"]));
    }

    [Fact]
    public void OriginShares_EmptyOriginsOrZeroInbound_AreIgnored()
    {
        var ledger = Ledger(Traffic(18, 0, new Dictionary<string, long> { ["MN"] = 0 }, "a"), Traffic(19, 100, new Dictionary<string, long>(), "b"));

        Assert.Equal(new Dictionary<string, double> { ["RU"] = 1 }, PortModel.OriginShares(ledger, Day(20), ["RU"]));
        Assert.Empty(PortModel.OriginShares(ledger, Day(20), default));
    }

    [Fact]
    public void OriginCountries_UnitesFacesTrafficOriginsAndCaseOrigins()
    {
        var ledger = Ledger(Traffic(1, 10, new Dictionary<string, long> { ["KZ"] = 5 }), Traffic(2, 10), Case(3, 1, CaseClassification.ImportedConfirmed, "MN"), Case(3, 1, CaseClassification.ImportedConfirmed));

        Assert.Equal<string>(["KZ", "MN", "RU"], PortModel.OriginCountries(ledger, ["RU"]));
        Assert.Equal<string>(["KZ", "MN"], PortModel.OriginCountries(ledger, default));
    }

    [Fact]
    public void CapacityGap_Unknown_IsHalf()
    {
        var (gap, text, _) = PortModel.CapacityGap(new CapacityRecord(), 100, Options);

        Assert.Equal(0.5, gap);
        Assert.Equal("Port testing capacity unknown (not reported, or no traffic to compare it with): assumed to be a half gap, not a reported shortfall.", text);
    }

    [Fact]
    public void CapacityGap_OneTestOneTraveller_SingularAndWholePercents()
    {
        // Newcomer 7 F5: "for 1 inbound travellers" and "28.93% covered".
        Assert.Equal("Port testing gap 0: 1 test a day for 1 inbound traveller (all covered).", PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 1 }, 1, Options).Explanation);
        Assert.Contains("2,893 tests a day for 10,000 inbound travellers (29% covered)", PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 2893 }, 10000, Options).Explanation, StringComparison.Ordinal);
        Assert.Contains("(over 99% covered)", PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 9996 }, 10000, Options).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void CapacityGap_TestsAgainstTravellers()
    {
        var (gap, text, _) = PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 250 }, 1000, Options);

        Assert.Equal(0.75, gap, 9);
        Assert.Equal("Port testing gap 0.75: 250 tests a day for 1,000 inbound travellers (25% covered).", text);
        Assert.Equal(0, PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 2000 }, 1000, Options).Gap);
        Assert.Contains("(all covered, capacity 20 times the inbound)", PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 20000 }, 1000, Options).Explanation, StringComparison.Ordinal);
        Assert.Equal(0.5, PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 10 }, null, Options).Gap);
        Assert.Equal(0.5, PortModel.CapacityGap(new CapacityRecord { TestsPerDay = 10 }, 0, Options).Gap);
    }

    [Fact]
    public void CapacityGap_TurnaroundBetweenGoodAndBad()
    {
        Assert.Equal(0, PortModel.CapacityGap(new CapacityRecord { TestTurnaroundHours = 6 }, null, Options).Gap);
        Assert.Equal(0.5, PortModel.CapacityGap(new CapacityRecord { TestTurnaroundHours = 27 }, null, Options).Gap, 9);
        Assert.Equal(1, PortModel.CapacityGap(new CapacityRecord { TestTurnaroundHours = 72 }, null, Options).Gap);
        Assert.Equal("Port testing gap 0.5: results in 27 hours.", PortModel.CapacityGap(new CapacityRecord { TestTurnaroundHours = 27 }, null, Options).Explanation);
    }

    [Fact]
    public void CapacityGap_KitsInDaysOfCover()
    {
        // 700 kits at 100 tests a day: 7 days of cover against a target of 14.
        var (gap, text, _) = PortModel.CapacityGap(new CapacityRecord { TestKits = 700, TestsPerDay = 100 }, 100, Options);

        Assert.Equal(0.25, gap, 9);
        Assert.Equal("Port testing gap 0.25: 100 tests a day for 100 inbound travellers (all covered); test kits for 7 days.", text);
        Assert.Equal(0.5, PortModel.CapacityGap(new CapacityRecord { TestKits = 700 }, 100, Options).Gap, 9);
        Assert.Equal(0, PortModel.CapacityGap(new CapacityRecord { TestKits = 7000 }, 100, Options).Gap, 9);
        Assert.Equal(0.5, PortModel.CapacityGap(new CapacityRecord { TestKits = 700 }, null, Options).Gap);
    }

    [Fact]
    public void Assess_OriginWithoutAScore_DoesNotDiluteTheWeightedCountryScore()
    {
        // Half the travellers come from a country with no score: the score is that of the origins known, not halved.
        var origins = new Dictionary<string, long> { ["RU"] = 200, ["MN"] = 200 };
        var assessment = AssessPort(Ledger(Traffic(20, 400, origins)), 20, Port(Countries(("RU", 60, 0.0))));

        Assert.Equal(60, assessment.Component("originCountries").Value!.Value, 6);
    }

    [Fact]
    public void Assess_Port_HasNoPopulationAndNoFlatSeriesFlag()
    {
        var assessment = AssessPort(Ledger(Traffic(20, 400)), 20, Port(Countries(("RU", 60, 0.001))));

        Assert.False(assessment.Quality.MissingPopulation);
        Assert.False(assessment.Quality.FlatSeries);
    }

    [Fact]
    public void Exposure_ImportedCasesOfTheLast14DaysOnly_TodayIncluded()
    {
        var shares = new Dictionary<string, double> { ["RU"] = 1 };
        var countries = Countries(("RU", 40, 0.0));

        var today = PortModel.Exposure(Ledger(Case(20, 14, CaseClassification.ImportedConfirmed, "RU")), Day(20), Port(countries), shares, 1000, Options);
        var thirteenDaysAgo = PortModel.Exposure(Ledger(Case(7, 14, CaseClassification.ImportedConfirmed, "RU")), Day(20), Port(countries), shares, 1000, Options);
        var fourteenDaysAgo = PortModel.Exposure(Ledger(Case(6, 14, CaseClassification.ImportedConfirmed, "RU")), Day(20), Port(countries), shares, 1000, Options);

        Assert.NotNull(today.Found);
        Assert.Equal(today.Found, thirteenDaysAgo.Found);
        Assert.Null(fourteenDaysAgo.Found);
    }

    [Fact]
    public void Exposure_ModelledPartSumsOverOrigins()
    {
        var countries = Countries(("RU", 40, 0.001), ("MN", 40, 0.004));
        var shares = new Dictionary<string, double> { ["RU"] = 0.5, ["MN"] = 0.5 };

        var exposure = PortModel.Exposure(Ledger(), Day(20), Port(countries), shares, 1000, Options);

        Assert.Equal((500 * 0.001) + (500 * 0.004), exposure.Modelled!.Value, 6);
    }

    [Fact]
    public void CapacityGap_KitsWithoutTestsPerDay_CoverDaysOfInboundTravellers()
    {
        // 1,000 kits for 200 travellers a day is 5 days of cover, against a target of KitCoverDaysTarget days.
        var (gap, text, _) = PortModel.CapacityGap(new CapacityRecord { TestKits = 1000 }, 200, Options);

        Assert.Equal(1 - Math.Min(1, 5 / Options.KitCoverDaysTarget), gap, 6);
        Assert.Contains("test kits for 5 days", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_ImportedCasesFromSeveralOrigins_ExplainedByOriginMostFirst_OldAndLocalLeftOut()
    {
        var ledger = Ledger(
            Traffic(20, 1000),
            Case(18, 1, CaseClassification.ImportedConfirmed, "MN"),
            Case(19, 2, CaseClassification.ImportedConfirmed, "RU"),
            Case(20, 2, CaseClassification.ImportedAsymptomatic, "RU"),
            Case(2, 50, CaseClassification.ImportedConfirmed, "KZ"),
            Case(20, 30, CaseClassification.LocalConfirmed, "CN"));

        var explanation = AssessPort(ledger, 20, Port(Countries(("RU", 40, 0.001)))).Component("importedCases").Explanation;

        Assert.EndsWith(", from RU (4), MN (1).", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_ImportedCasesWithoutTraffic_NoRatePerTravellers()
    {
        var assessment = AssessPort(Ledger(Case(20, 3, CaseClassification.ImportedConfirmed, "RU")), 20, Port(Countries(("RU", 40, 0.001))));

        Assert.Null(assessment.Metrics["importedPer10kInbound"]);
        Assert.Equal("3 imported cases found in the 14 days to 2020-03-21, from RU (3).", assessment.Component("importedCases").Explanation);
    }
}
