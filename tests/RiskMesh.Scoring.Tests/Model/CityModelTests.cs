using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class CityModelTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    private static CityContext City(long? population = 100_000, params (string Id, UpstreamValue Value)[] ports) => new(population, _ => ports);

    private static UpstreamValue PortValue(double? score, double? floor = null, double? imported = null) =>
        new(score, score is { } s ? Scales.LevelOf(s, Options) : RiskLevel.InsufficientData, null, imported, null, floor);

    private static Assessment Assess(SiteLedger ledger, CityContext context, int offset = 20) => CityModel.Assess(ledger, Day(offset), context, Options);


    private static CaseEvent CityCase(int offset, int count, CaseClassification classification, string? origin = null) =>
        Case(offset, count, classification, origin, "city:c");

    [Fact]
    public void Assess_LocalCases_Per100kOnTheIncidenceScale()
    {
        var assessment = Assess(Ledger(CityCase(15, 25, CaseClassification.LocalConfirmed), CityCase(2, 99, CaseClassification.LocalConfirmed)), City());

        var local = assessment.Component("localCases");
        Assert.Equal(25, local.Value);
        Assert.Equal(0.25, local.Normalized, 6);
        Assert.Equal(0.25, local.Weight);
        Assert.Equal("25 local cases in the 14 days to 2020-03-21: 25 per 100,000.", local.Explanation);
        Assert.Equal(25, assessment.Metric("localCases14d"));
        Assert.Equal(25, assessment.Metric("localCases14dPer100k"));
    }

    [Fact]
    public void Assess_LargeLocalOutbreakWithSevereCases_VeryHighOnTheIncidenceFloor()
    {
        // The try-out: 2,000 local cases per 100,000 and 300 severe cases scored 40.8 (moderate), the local component
        // capped at its 25 points and the severe one at 10.
        var ledger = Ledger(
            Capacity(1, "city:c", labs: 3, technicians: 40, beds: 600),
            CityCase(18, 2000, CaseClassification.LocalConfirmed),
            CityCase(19, 300, CaseClassification.Severe));

        var assessment = Assess(ledger, City());

        // 2,000 per 100k, twenty times the CDC's level 4 (above 100 in 28 days; a 14-day count is a lower bound of it):
        // 100 or more reaches 100 at ten times the very-high anchor, so the floor is 100 and so is the score.
        var weighted = assessment.Metric("weightedScore");
        Assert.Equal(30, weighted, 2);
        Assert.Equal(100, assessment.Score!.Value, 2);
        Assert.Equal(RiskLevel.VeryHigh, assessment.Level);
        var floor = assessment.Component("localIncidence");
        Assert.Equal(0, floor.Weight);
        Assert.Equal(100, floor.Value!.Value, 2);
        Assert.Equal(assessment.Score!.Value, assessment.Components.Sum(c => c.Contribution), 0.05);
        Assert.StartsWith("2000 local infections per 100,000 in 14 days (2,000 local cases) set the city's floor at 100 (very high)", floor.Explanation, StringComparison.Ordinal);
    }

    // The CDC's travel notices (November 2020, cases per 100,000 in 28 days): level 2 from 5, level 3 above 50, level 4
    // above 100; at the same daily rate over 14 days (model 17, review 16 M4) 2.5, 25 and 50. Heihe's 300 local cases in a
    // day (newcomer 16 F3), 134 per 100,000, were `high` (57) on the ECDC bands the model used for cities before; they
    // are above the CDC's level 4, so very high (78.18 on the 28-day figures, 85.71 now).
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2.5, 25)]
    [InlineData(25, 50)]
    [InlineData(50, 75)]
    [InlineData(134, 85.70)]
    [InlineData(500, 100)]
    [InlineData(9000, 100)]
    public void IncidenceFloor_CdcTravelNoticeBands_MapOntoTheLevels(double per100k, double floor) =>
        Assert.Equal(floor, Scales.IncidenceFloor(per100k, Options), 2);

    [Fact]
    public void Assess_FewLocalCases_FloorBelowTheWeightedEvidenceAddsNothing()
    {
        // 1 local case in 250,000 people: 0.4 per 100,000, a floor of 4, below the unknown capacity's 5 points alone.
        var assessment = Assess(Ledger(CityCase(19, 1, CaseClassification.LocalConfirmed)), City(population: 250_000));

        Assert.Equal(4, assessment.Component("localIncidence").Value);
        Assert.Equal(0, assessment.Component("localIncidence").Contribution);
        Assert.Equal(assessment.Score!.Value, assessment.Components.Sum(c => c.Contribution), 1);
    }

    [Fact]
    public void Assess_NoLocalCases_SaysSo()
    {
        var assessment = Assess(Ledger(Capacity(20, "city:c", labs: 1)), City());

        Assert.Equal("No locally acquired cases in the last 14 days.", assessment.Component("localCases").Explanation);
        Assert.Equal(0, assessment.Component("localCases").Normalized);
    }

    [Fact]
    public void Assess_NoPopulation_FlagsItAndCountsHalfCapacityGap()
    {
        var assessment = Assess(Ledger(CityCase(20, 5, CaseClassification.LocalConfirmed)), City(population: null));

        Assert.Equal("Local incidence unknown: no population for this city.", assessment.Component("localCases").Explanation);
        Assert.Null(assessment.Component("localCases").Value);
        Assert.True(assessment.Quality.MissingPopulation);
        Assert.Contains("population unknown", assessment.Quality.Notes);
        Assert.Equal(0.5, assessment.Component("capacityGap").Normalized);
        Assert.Equal("City capacity gap unknown without a population: assumed to be a half gap, not a reported shortfall.", assessment.Component("capacityGap").Explanation);
        Assert.Null(assessment.Component("importedCases").Value);
    }

    [Fact]
    public void Assess_Asymptomatic_SaturatesAtItsScale()
    {
        var assessment = Assess(Ledger(CityCase(19, 15, CaseClassification.LocalAsymptomatic), CityCase(19, 5, CaseClassification.ImportedAsymptomatic)), City());

        var asymptomatic = assessment.Component("asymptomatic");
        Assert.Equal(20, asymptomatic.Value);
        Assert.Equal(Math.Round(1 - Math.Exp(-1), 4), asymptomatic.Normalized);
        Assert.Equal(0.1, asymptomatic.Weight);
        Assert.Equal("20 asymptomatic infections found in the city in the last 14 days, under medical observation with their close contacts.", asymptomatic.Explanation);
        Assert.Equal("No asymptomatic infections under observation.", Assess(Ledger(Capacity(20, "city:c", labs: 1)), City()).Component("asymptomatic").Explanation);
    }

    [Fact]
    public void Assess_SevereAgainstBeds()
    {
        var assessment = Assess(Ledger(CityCase(19, 5, CaseClassification.Severe), Capacity(10, "city:c", beds: 10)), City());

        var severe = assessment.Component("severeCases");
        Assert.Equal(0.5, severe.Normalized, 6);
        Assert.Equal(5, severe.Value);
        Assert.Equal("5 severe cases against 10 isolation beds.", severe.Explanation);
        Assert.Equal(1, Assess(Ledger(CityCase(19, 50, CaseClassification.Severe), Capacity(10, "city:c", beds: 10)), City()).Component("severeCases").Normalized);
    }

    [Fact]
    public void Assess_SevereWithoutBedsReported_CountsHalfFull()
    {
        var severe = Assess(Ledger(CityCase(19, 3, CaseClassification.Severe)), City()).Component("severeCases");

        Assert.Equal(0.5, severe.Normalized);
        Assert.Equal("3 severe cases and no isolation beds reported: counted as half full.", severe.Explanation);
        Assert.Equal("No severe cases in the last 14 days.", Assess(Ledger(Capacity(20, "city:c", beds: 1)), City()).Component("severeCases").Explanation);
    }

    [Fact]
    public void Assess_ImportedHosted_CountsCityAndPortImports()
    {
        var ledger = Ledger(CityCase(19, 10, CaseClassification.ImportedConfirmed), CityCase(19, 5, CaseClassification.ImportedAsymptomatic), CityCase(19, 4, CaseClassification.Death));
        var assessment = Assess(ledger, City(100_000, ("p1", PortValue(30, imported: 10)), ("p2", PortValue(null, imported: 25))));

        var imported = assessment.Component("importedCases");
        Assert.Equal(50, imported.Value);
        Assert.Equal(0.5, imported.Normalized, 6);
        Assert.Equal("50 imported cases found at its ports or in the city in the 14 days to 2020-03-21, isolated and treated here: 50 per 100,000 residents.", imported.Explanation);
        Assert.Equal(50, assessment.Metric("importedHosted14d"));
        Assert.Equal(10, assessment.Metric("importedCases14d"));
        Assert.Equal(4, assessment.Metric("deaths14d"));
        Assert.Equal("No imported cases found at this city's ports or in the city in the last 14 days.", Assess(Ledger(Capacity(20, "city:c", beds: 1)), City()).Component("importedCases").Explanation);
    }

    [Fact]
    public void Assess_NoAsymptomaticOfItsOwnButItsPortFoundCases_SaysThoseCountUnderImportedCases_NotNoneUnderObservation()
    {
        // Suifenhe in April 2020 (newcomer try-out 7 F2): 26 asymptomatic cases were found at its road port and none in
        // the city's own reports; "No asymptomatic infections under observation" read as false beside them.
        var city = City(100_000, ("road", PortValue(60, imported: 26)));

        var own = Assess(Ledger(CityCase(19, 3, CaseClassification.LocalConfirmed)), city).Component("asymptomatic");
        var some = Assess(Ledger(CityCase(19, 4, CaseClassification.LocalAsymptomatic)), city).Component("asymptomatic");

        Assert.Equal(0, own.Value);
        Assert.Equal("No asymptomatic infections found in the city itself in the last 14 days. Cases found at its ports, asymptomatic or not, are counted under imported cases.", own.Explanation);
        Assert.Equal(4, some.Value);
        Assert.Equal("4 asymptomatic infections found in the city in the last 14 days, under medical observation with their close contacts. Cases found at its ports, asymptomatic or not, are counted under imported cases.", some.Explanation);
    }

    [Fact]
    public void Assess_HighestPort_IsTheRiskiestScoredPort()
    {
        var assessment = Assess(Ledger(), City(100_000, ("p1", PortValue(30)), ("p2", PortValue(60)), ("p3", PortValue(null))));

        var port = assessment.Component("highestPort");
        Assert.Equal(60, port.Value);
        Assert.Equal(0.6, port.Normalized, 6);
        Assert.Equal(0.2, port.Weight);
        Assert.Equal("Its riskiest port, p2, scores 60 (high).", port.Explanation);
        Assert.Equal(60, assessment.Metric("highestPortScore"));
        Assert.Equal("No port of this city has a score.", Assess(Ledger(Capacity(20, "city:c", beds: 1)), City()).Component("highestPort").Explanation);
    }

    [Fact]
    public void Assess_PortsWithTopologyNames_ExplanationsNameThemAsSummariesDo_AndLevelsInWords()
    {
        // Try-out 6 F3: "Exposure at suifenhe-road", "Its riskiest port, suifenhe-road, scores 80.02 (very-high)" under a
        // notice summary naming "Suifenhe road port" and saying "very high".
        var names = new Dictionary<string, string> { ["suifenhe-road"] = "Suifenhe road port", ["suifenhe-rail"] = "Suifenhe rail port" };
        var context = new CityContext(100_000, _ => [("suifenhe-road", PortValue(80.02, floor: 80.02)), ("suifenhe-rail", PortValue(20, floor: 10))], id => names[id]);

        var assessment = Assess(Ledger(), context);

        Assert.Equal("Its riskiest port, Suifenhe road port, scores 80 (very high).", assessment.Component("highestPort").Explanation);
        Assert.Equal("Exposure at Suifenhe road port sets the city's floor at 55 (high); the weighted evidence, 21, places it at 59.2, below the 75 where very high begins: 38.2 points above that evidence alone. The floor decides the level; the rest of the evidence moves the score within it. The city's floor is 25 points below the port's exposure floor of 80.", assessment.Component("portExposure").Explanation);
        // The floor's contribution, a driver's "+N pts", is the figure its sentence gives, rounded once (review 17 L1:
        // "+47.44 pts" beside "47.43 points above").
        Assert.Equal(38.22, assessment.Component("portExposure").Contribution);
        Assert.DoesNotContain(assessment.Components, c => c.Explanation.Contains("suifenhe-", StringComparison.Ordinal) || c.Explanation.Contains("very-high", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_PortFloorLessOneLevel_ValueHasNoFloatNoise()
    {
        // Try-out 6 F10: a notice driver read "value":55.01649999999999 (a port's floor 80.0165 less 25).
        var assessment = Assess(Ledger(), City(100_000, ("p1", PortValue(80.0165, floor: 80.0165))));

        var exposure = assessment.Component("portExposure");
        Assert.Equal("55.0165", exposure.Value!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Assess_StaleCityWithScoredPorts_IsScoredFromThem()
    {
        var assessment = Assess(Ledger(), City(100_000, ("p1", PortValue(40))));

        Assert.NotNull(assessment.Score);
        Assert.False(assessment.Quality.Stale);
        Assert.Contains("scored from its ports' data", assessment.Quality.Notes);
    }

    [Fact]
    public void Assess_StaleCityWithoutScoredPorts_IsInsufficientData()
    {
        var assessment = Assess(Ledger(CityCase(1, 5, CaseClassification.LocalConfirmed)), City(100_000, ("p1", PortValue(null))));

        Assert.Null(assessment.Score);
        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.True(assessment.Quality.Stale);
    }

    [Fact]
    public void Assess_PortExposure_LiftsTheCityOneLevelBelowThePort()
    {
        // The port's exposure alone is high (60): the city's floor is 35, moderate, the plan's level 2, and the weighted
        // evidence (17: the port's 60 × 0.2, the unknown capacity's half gap × 0.1) places it within moderate:
        // 35 + (50 − 35) × 17 / 100 = 37.55.
        var assessment = Assess(Ledger(), City(100_000, ("p1", PortValue(60, floor: 60)), ("p2", PortValue(40, floor: 30))));

        Assert.Equal(37.55, assessment.Score!.Value, 6);
        Assert.Equal(RiskLevel.Moderate, assessment.Level);
        var exposure = assessment.Component("portExposure");
        Assert.Equal(0, exposure.Weight);
        Assert.Equal(35, exposure.Value);
        var weighted = assessment.Components.Where(c => c.Weight > 0).Sum(c => c.Weight * c.Normalized * 100);
        Assert.Equal(37.55 - weighted, exposure.Contribution, 2);
        Assert.StartsWith("Exposure at p1 sets the city's floor at 35 (moderate); the weighted evidence, 17, places it at 37.5, below the 50 where high begins: 20.5 points above that evidence alone.", exposure.Explanation, StringComparison.Ordinal);
        Assert.EndsWith(". The city's floor is 25 points below the port's exposure floor of 60.", exposure.Explanation, StringComparison.Ordinal);
        Assert.Equal(35, assessment.Metric("exposureFloor"));
        Assert.Equal(60, assessment.Metric("portExposureFloor"));
        Assert.Equal(assessment.Score!.Value, assessment.Components.Sum(c => c.Contribution), 1);
    }

    [Fact]
    public void Assess_SmallPortExposure_DoesNotRaiseTheCity()
    {
        var assessment = Assess(Ledger(), City(100_000, ("p1", PortValue(20, floor: 20))));

        var exposure = assessment.Component("portExposure");
        Assert.Equal(0, exposure.Value);
        Assert.Equal(0, exposure.Contribution);
        Assert.Equal("Its most exposed port, p1, has an exposure floor of 20: too low to raise the city.", exposure.Explanation);
    }

    [Fact]
    public void Assess_NoPortExposure_SetsNoFloor()
    {
        var assessment = Assess(Ledger(), City(100_000, ("p1", PortValue(20, floor: 0))));

        Assert.Equal("No infected arrivals expected at its ports: exposure sets no floor.", assessment.Component("portExposure").Explanation);
        Assert.Null(assessment.Metrics["portExposureFloor"]);
    }

    [Fact]
    public void Assess_EvidenceAbovePortExposure_FloorAddsNothing()
    {
        var ledger = Ledger(CityCase(19, 500, CaseClassification.LocalConfirmed), CityCase(19, 40, CaseClassification.Severe));
        var assessment = Assess(ledger, City(100_000, ("p1", PortValue(55, floor: 55))));

        Assert.Equal(0, assessment.Component("portExposure").Contribution);
        Assert.Equal("Exposure at p1 would put the city at 30 (moderate) at least; its local outbreak sets a higher floor. The city's floor is 25 points below the port's exposure floor of 55.", assessment.Component("portExposure").Explanation);
        Assert.True(assessment.Score > 30);
    }

    [Fact]
    public void Assess_WeightsAndLevel()
    {
        var assessment = Assess(Ledger(CityCase(20, 1, CaseClassification.LocalConfirmed)), City());

        Assert.Equal([0.25, 0.2, 0.1, 0.1, 0.2, 0.1, 0.05, 0.0, 0.0, 0.0], assessment.Components.Select(c => c.Weight));
        Assert.Equal(Scales.LevelOf(assessment.Score!.Value, Options), assessment.Level);
        Assert.Contains("city capacity never reported: assumed to be a half gap", assessment.Quality.Notes);
    }

    [Fact]
    public void AssessWithTrend_GrowingLocalOutbreak_IsRising()
    {
        var events = Enumerable.Range(0, 21).Select(d => (RiskEvent)CityCase(d, d * d, CaseClassification.LocalConfirmed)).ToArray();

        var (assessment, trend) = CityModel.AssessWithTrend(Ledger(events), Day(20), City(2_000_000), Options);

        Assert.Equal(Trend.Rising, trend);
        Assert.Equal(Assess(Ledger(events), City(2_000_000)).Score, assessment.Score);
    }

    [Fact]
    public void CapacityGap_AgainstTargets()
    {
        // 100,000 people: 1 lab (10 per million, target 2 → 0), 5 technicians (5 per 100k, target 10 → 0.5), 10 beds (target 20 → 0.5).
        var (gap, text, _) = CityModel.CapacityGap(new CapacityRecord { Labs = 1, Technicians = 5, IsolationBeds = 10 }, 100_000, Options);

        Assert.Equal(1 / 3.0, gap, 9);
        Assert.Equal("City capacity gap 0.33: 1 laboratory (10 per 1,000,000, target 2); 5 technicians (5 per 100,000, target 10); 10 isolation beds (10 per 100,000, target 20).", text);
    }

    [Fact]
    public void CapacityGap_NothingReported_IsHalf()
    {
        var (gap, text, _) = CityModel.CapacityGap(new CapacityRecord(), 100_000, Options);

        Assert.Equal(0.5, gap);
        Assert.Equal("City capacity (laboratories, technicians, beds) not reported: assumed to be a half gap, not a reported shortfall.", text);
        Assert.Equal(0.5, CityModel.CapacityGap(new CapacityRecord { Labs = 1 }, 0, Options).Gap);
    }

    [Fact]
    public void Assess_PopulationZero_IsAnUnknownPopulation_NotADivisionByZero()
    {
        var assessment = Assess(Ledger(CityCase(20, 5, CaseClassification.LocalConfirmed), CityCase(20, 2, CaseClassification.ImportedConfirmed)), City(population: 0));

        Assert.Equal("Local incidence unknown: no population for this city.", assessment.Component("localCases").Explanation);
        Assert.Null(assessment.Metrics["localCases14dPer100k"]);
        Assert.Null(assessment.Component("importedCases").Value);
        Assert.True(assessment.Quality.MissingPopulation);
        Assert.Contains("population unknown", assessment.Quality.Notes);
        Assert.Equal(0, assessment.Component("localIncidence").Contribution);
        Assert.False(double.IsNaN(assessment.Score!.Value));
    }

    [Fact]
    public void Assess_KnownPopulation_NotFlaggedMissing()
    {
        var assessment = Assess(Ledger(CityCase(20, 5, CaseClassification.LocalConfirmed)), City());

        Assert.False(assessment.Quality.MissingPopulation);
        Assert.DoesNotContain("population unknown", assessment.Quality.Notes);
    }

    [Fact]
    public void IncidenceComponent_SaysWhetherTheOutbreakLiftsTheCity()
    {
        var none = Assess(Ledger(Capacity(20, "city:c", labs: 1)), City()).Component("localIncidence");
        var below = Assess(Ledger(CityCase(19, 1, CaseClassification.LocalConfirmed)), City(population: 250_000)).Component("localIncidence");

        Assert.Equal("No local infections or severe cases in the last 14 days: the local outbreak sets no floor.", none.Explanation);
        Assert.StartsWith("0.4 local infections per 100,000 in 14 days (1 local case) would put the city at 4 (low) at least", below.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("; the weighted evidence already scores higher. Bands of the CDC's travel notices at their daily rate over 14 days: from 2.5 moderate, 25 high, 50 very high.", below.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void IncidenceFloor_BetweenBands_IsLogInterpolated()
    {
        // Between the bands the floor rises with the logarithm of the rate: 37.5 is log(37.5/25)/log(50/25) of the way from
        // high (50) to very high (75); 10 is log(10/2.5)/log(25/2.5) of the way from moderate (25) to high.
        Assert.Equal(50 + (25 * Math.Log(1.5) / Math.Log(2)), Scales.IncidenceFloor(37.5, Options), 3);
        Assert.Equal(25 + (25 * Math.Log(4) / Math.Log(10)), Scales.IncidenceFloor(10, Options), 2);
    }

    [Fact]
    public void FloorSetting_LiftInSentence_ThePointsAboveTheEvidenceAreTheContributionCut()
    {
        // Review 24 L5: score 59.20 over weighted evidence 21.19 read "21.1 … places it at 59.2: 38.1 points above that
        // evidence alone" beside a contribution of 38.01.
        var setting = new FloorSetting(CityFloor.PortExposure, Weighted: 21.19, Score: 59.20, Lift: 38.01, Floor: 55);

        Assert.Equal(38.01, setting.ShownLift);
        Assert.Equal(38.0, setting.LiftInSentence);
    }
}
