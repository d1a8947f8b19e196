using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// The city's floors on extreme signals (newcomer try-out, model 15): imported cases it hosts lift it as the infected
/// arrivals they stand for, asymptomatic and severe cases count toward its own outbreak, and a signal below the floor
/// still moves the score, within the floor's level.
/// </summary>
public sealed class CityFloorsTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    private static CaseEvent CityCase(int offset, int count, CaseClassification classification) => Case(offset, count, classification, null, "city:c");

    private static UpstreamValue PortValue(double score, double floor, double? imported = null) =>
        new(score, Scales.LevelOf(score, Options), null, imported, null, floor);

    private static Assessment Assess(SiteLedger ledger, long population, params (string Id, UpstreamValue Value)[] ports) =>
        CityModel.Assess(ledger, Day(20), new CityContext(population, _ => ports), Options);

    private static double? Score(SiteLedger ledger, long population, params (string Id, UpstreamValue Value)[] ports) =>
        CityModel.Score(ledger, Day(20), new CityContext(population, _ => ports), Options);

    [Fact]
    public void Ruili_90000ImportedCasesInTheCity_VeryHighOnTheArrivalsTheyStandFor()
    {
        // The try-out: 90,000 imported cases and 60 local ones in Ruili (267,638 people) scored 39.3, moderate, and 21.9
        // (low) with 90,003 imported. 90,000 / 14 / 0.54 = 11,905 infected arrivals a day: 100 on the exposure scale,
        // the city's floor 25 points below, 75, very high.
        var ledger = Ledger(CityCase(18, 90_000, CaseClassification.ImportedConfirmed), CityCase(20, 60, CaseClassification.LocalConfirmed));

        var assessment = Assess(ledger, 267_638);

        Assert.Equal(RiskLevel.VeryHigh, assessment.Level);
        var arrivals = assessment.Component("importedArrivals");
        Assert.Equal(75, arrivals.Value);
        Assert.Equal(0, arrivals.Weight);
        Assert.True(arrivals.Contribution > 0);
        Assert.Equal(90_000 / 14.0 / 0.54, assessment.Metric("observedArrivalsPerDay"), 2);
        Assert.StartsWith("The 90,000 imported cases found at its ports or in the city in 14 days, standing for 11,905 infected arrivals a day (÷ 0.54, the share of infected travellers entry testing finds), set the city's floor at 75, the lowest score of very high;", arrivals.Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score!.Value, assessment.Components.Sum(c => c.Contribution), 0.05);
        Assert.Equal(assessment.Score, Score(ledger, 267_638));
    }

    [Fact]
    public void ImportedCasesAtItsPortsAndInTheCity_AreAddedUp_AsTheArrivalsTheCityHosts()
    {
        // 7 found in the city and 7 at its port (whose own exposure floor is low here): 14 in 14 days stand for 1.85
        // arrivals a day, 59.6 on the exposure scale, so the city's floor is 34.6, moderate; 7 alone would be 13.1, low.
        var both = Assess(Ledger(CityCase(19, 7, CaseClassification.ImportedConfirmed)), 100_000, ("p1", PortValue(10, 10, imported: 7)));
        var cityOnly = Assess(Ledger(CityCase(19, 7, CaseClassification.ImportedConfirmed)), 100_000, ("p1", PortValue(10, 10)));

        Assert.Equal(RiskLevel.Moderate, both.Level);
        Assert.Equal(Scales.ExposureFloor(14 / 14.0 / 0.54, Options) - 25, both.Component("importedArrivals").Value!.Value, 3);
        Assert.Equal(RiskLevel.Low, cityOnly.Level);
    }

    [Fact]
    public void Jinghong_60000LocalAsymptomaticInfections_CountTowardItsOutbreak()
    {
        // The try-out: 60,000 asymptomatic cases put Jinghong (642,000 people) at 35.0. 9,346 local infections per
        // 100,000 in 14 days: past 5,000, the very-high anchor's tenfold, the outbreak floor is 100.
        var ledger = Ledger(CityCase(19, 60_000, CaseClassification.LocalAsymptomatic));

        var assessment = Assess(ledger, 642_000);

        Assert.Equal(RiskLevel.VeryHigh, assessment.Level);
        Assert.Equal(100, assessment.Component("localIncidence").Value);
        Assert.Equal(60_000 / 642_000.0 * 100_000, assessment.Metric("localInfections14dPer100k"), 2);
        Assert.Contains("(0 local cases and 60,000 local asymptomatic infections)", assessment.Component("localIncidence").Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, Score(ledger, 642_000));
    }

    [Fact]
    public void Heihe_300LocalCasesInADay_134Per100k_VeryHighOnItsOwnOutbreak()
    {
        // Newcomer 16 F3: 300 local cases into Heihe (223,832 people), already at level 3 on its river port's exposure,
        // moved it only from 56.6 to 61.0 (high): 134 per 100,000 sat between the ECDC bands 25 and 150. By the CDC's
        // travel notices more than 100 per 100,000 in 28 days is level 4, and a 14-day count is never more than the
        // 28-day one, so the city's own outbreak now makes it very high whatever its ports say: 78.18 on the CDC's 28-day
        // figures, 85.71 on their daily rate over 14 days (model 17, anchors 2.5/25/50).
        var port = ("heihe-river", PortValue(75, 75));
        var ledger = Ledger(CityCase(20, 300, CaseClassification.LocalConfirmed));

        var assessment = Assess(ledger, 223_832, port);

        Assert.Equal(134.03, assessment.Metric("localInfections14dPer100k"), 2);
        Assert.Equal(75 + (25 * Math.Log10(134.029 / 50)), assessment.Component("localIncidence").Value!.Value, 2);
        Assert.Equal(RiskLevel.VeryHigh, assessment.Level);
        Assert.StartsWith("134 local infections per 100,000 in 14 days (300 local cases) set the city's floor at 85.7 (very high)", assessment.Component("localIncidence").Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, Score(ledger, 223_832, port));
    }

    [Fact]
    public void SevereCases_ImplyTheCasesBehindThem_OneLevelBelowTheSameCasesReported()
    {
        // 30 severe cases in a city of 100,000 with no local case reported: ÷ 0.2 = 150 cases, 150 per 100,000, above the
        // CDC's level 4, 75 + 25 × log10(150 / 50) = 86.93 on the bands; an inference counts one level (25 points) lower,
        // 61.93, high (review 16 M3: before, very high on severe cases alone). The same 150 reported as local: very high.
        var ledger = Ledger(CityCase(19, 30, CaseClassification.Severe), Capacity(19, "city:c", beds: 100));
        var reported = Ledger(CityCase(19, 150, CaseClassification.LocalConfirmed), Capacity(19, "city:c", beds: 100));

        var assessment = Assess(ledger, 100_000);

        Assert.Equal(RiskLevel.High, assessment.Level);
        Assert.Equal(61.93, assessment.Component("localIncidence").Value!.Value, 2);
        Assert.Equal(150, assessment.Metric("localInfections14dPer100k"), 6);
        Assert.Contains("the 150 cases its 30 severe cases imply beyond the imported cases it hosts or hosted in the 14 days to 2020-03-14, severe or critical cases being about 20% of all according to the WHO-China Joint Mission", assessment.Component("localIncidence").Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, Score(ledger, 100_000));
        Assert.Equal(RiskLevel.VeryHigh, Assess(reported, 100_000).Level);
        Assert.Equal(86.93, Assess(reported, 100_000).Component("localIncidence").Value!.Value, 2);
    }

    [Fact]
    public void SevereCases_TheImportedCasesItHostsCanExplain_AreNoOutbreakOfItsOwn()
    {
        // Suifenhe, April 2020: its severe cases were imported patients. 30 severe imply 150 cases; 140 imported cases
        // hosted leave 10 (10 per 100,000): 40.05 on the bands (moderate), where 150 per 100,000 would be very high, and
        // an inference one level lower, 15.05 (low).
        var ledger = Ledger(CityCase(19, 30, CaseClassification.Severe), CityCase(18, 140, CaseClassification.ImportedConfirmed), Capacity(19, "city:c", beds: 100));

        var assessment = Assess(ledger, 100_000);

        Assert.Equal(10, assessment.Metric("localInfections14dPer100k"), 6);
        Assert.Equal(Scales.IncidenceFloor(10, ScoringOptions.Default) - 25, assessment.Component("localIncidence").Value!.Value, 2);
        Assert.Equal(15.05, assessment.Component("localIncidence").Value!.Value, 2);
        Assert.Equal(assessment.Score, Score(ledger, 100_000));
    }

    [Fact]
    public void SevereCases_NoMoreThanTheImportedCasesItHosts_AreSaidToBeSo_NotThatThePopulationIsUnknown()
    {
        // Review 15 M3: Hekou (population 101,971) with 20 imported and 2 severe cases read "no population for this city".
        var ledger = Ledger(CityCase(19, 2, CaseClassification.Severe), CityCase(18, 20, CaseClassification.ImportedConfirmed));

        var explanation = Assess(ledger, 101_971).Component("localIncidence").Explanation;

        Assert.DoesNotContain("no population", explanation, StringComparison.Ordinal);
        Assert.Equal("No local infections in the last 14 days, and its 2 severe cases imply no more cases than the imported cases it hosts or hosted in the 14 days to 2020-03-14 (severe patients may be imported ones): the local outbreak sets no floor.", explanation);
    }

    [Fact]
    public void SevereCases_WithoutAPopulation_SayTheIncidenceIsUnknown()
    {
        var ledger = Ledger(CityCase(19, 2, CaseClassification.Severe));

        Assert.Equal("Local incidence unknown: no population for this city, so the local outbreak sets no floor.", CityModel.Assess(ledger, Day(20), new CityContext(null, _ => []), Options).Component("localIncidence").Explanation);
    }

    [Fact]
    public void EqualFloors_TheOtherSaysItSetsTheSameFloor_NotAHigherOne()
    {
        // A port whose exposure comes from the imported cases it found gives the city the same floor as those cases
        // hosted (Suifenhe, 30 April 2020): "a higher floor" was false.
        var assessment = Assess(Ledger(Capacity(19, "city:c", labs: 1)), 100_000, ("p1", PortValue(59.6247, Scales.ExposureFloor(14 / 14.0 / 0.54, Options), imported: 14)));

        Assert.Equal(assessment.Component("portExposure").Value, assessment.Component("importedArrivals").Value);
        Assert.Contains("; its ports' exposure sets the same floor and is named first.", assessment.Component("importedArrivals").Explanation, StringComparison.Ordinal);
        Assert.True(assessment.Component("portExposure").Contribution > 0);
        Assert.Equal(0, assessment.Component("importedArrivals").Contribution);

        // A port floor lower by the last bits of a division is the same floor: the port is still named.
        var hair = Assess(Ledger(Capacity(19, "city:c", labs: 1)), 100_000, ("p1", PortValue(59.6247, Scales.ExposureFloor(14 / 14.0 / 0.54, Options) - 0.0001, imported: 14)));
        Assert.True(hair.Component("portExposure").Contribution > 0);
        Assert.Equal(0, hair.Component("importedArrivals").Contribution);
        Assert.Contains("; its ports' exposure sets the same floor and is named first.", hair.Component("importedArrivals").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Heihe_SevenLocalCasesBelowThePortsFloor_StillMoveTheScore_WithinItsLevel()
    {
        // The try-out: 7 local cases in Heihe (223,832 people) left it at exactly 16.25, the floor 25 points below its
        // river port's exposure floor of 41.25: the score was max(weighted, floor), so nothing under the floor showed.
        // Since model 17 (anchors 2.5/25/50) 7 local cases, 3.13 per 100,000, make Heihe moderate on their own (27.43),
        // so 3 (1.34 per 100,000, an outbreak floor of 13.4) are the cases below the port's floor here.
        (string, UpstreamValue) port = ("heihe-river", PortValue(41.25, 41.25));
        var before = Assess(Ledger(Capacity(18, "city:c", labs: 1, technicians: 10, beds: 20)), 223_832, port);
        var after = Assess(Ledger(Capacity(18, "city:c", labs: 1, technicians: 10, beds: 20), CityCase(19, 3, CaseClassification.LocalConfirmed)), 223_832, port);

        Assert.True(before.Metric("weightedScore") < 16.25, "the weighted evidence lies below the port's floor, as in the try-out");
        Assert.True(after.Score > before.Score, $"3 local cases moved nothing: {before.Score} → {after.Score}");
        Assert.True(before.Score > 16.25, "the weighted evidence lifts the floor");
        Assert.Equal(RiskLevel.Low, after.Level);
        Assert.Equal(Scales.FloorLifted(after.Metric("weightedScore"), 16.25, Options), after.Score!.Value, 6);
        Assert.Contains("places it at", after.Component("portExposure").Explanation, StringComparison.Ordinal);
        Assert.Contains("below the 25 where moderate begins", after.Component("portExposure").Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(30, 0, 30)]
    [InlineData(0, 16.25, 16.25)]
    [InlineData(12, 16.25, 17.3)]
    [InlineData(17, 35, 37.55)]
    [InlineData(60, 35, 60)]
    [InlineData(40, 75, 85)]
    public void FloorLifted_TheFloorDecidesTheLevel_TheWeightedEvidencePlacesTheScoreWithinIt(double weighted, double floor, double expected) =>
        Assert.Equal(expected, Scales.FloorLifted(weighted, floor, Options), 2);

    [Fact]
    public void FloorLifted_NeverCrossesIntoALevelNeitherTheFloorNorTheWeightedEvidenceReaches_AndRisesWithBoth()
    {
        for (var floor = 0.0; floor <= 100; floor += 0.5)
        {
            var previous = -1.0;
            for (var weighted = 0.0; weighted < 100; weighted += 0.5)
            {
                var score = Scales.FloorLifted(weighted, floor, Options);
                Assert.Equal(Scales.LevelOf(Math.Max(weighted, floor), Options), Scales.LevelOf(score, Options));
                Assert.True(score >= Math.Max(weighted, floor), $"{score} below max({weighted}, {floor})");
                Assert.True(score > previous || floor >= 100, $"weighted {weighted} on floor {floor} did not move the score ({score})");
                previous = score;
            }
        }
    }

    [Fact]
    public void Trend_TooFewScoredDays_IsUnknown_AndTheNoteSaysWhy()
    {
        // A city first reported on day 18 (the try-out's Ruili, Hekou, Jinghong) with no scored port: three scored days
        // of the last seven, so no trend, and the data quality says it needs four.
        var ledger = Ledger(CityCase(18, 5, CaseClassification.LocalConfirmed), CityCase(20, 5, CaseClassification.LocalConfirmed));

        var (assessment, trend) = CityModel.AssessWithTrend(ledger, Day(20), new CityContext(100_000, _ => []), Options);

        Assert.Equal(Trend.Unknown, trend);
        Assert.Contains("trend unknown: it needs 4 scored days of the last 7, this week has 3, from 2020-03-19", assessment.Quality.Notes);
        var (later, laterTrend) = CityModel.AssessWithTrend(ledger, Day(21), new CityContext(100_000, _ => []), Options);
        Assert.NotEqual(Trend.Unknown, laterTrend);
        Assert.DoesNotContain(later.Quality.Notes, n => n.StartsWith("trend unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_SevereShareOutsideAShare_IsRefusedByName()
    {
        Assert.Contains("CitySevereShare must be a share above 0 and at most 1", (Options with { CitySevereShare = 0 }).Validate());
        Assert.Contains("CitySevereShare must be a share above 0 and at most 1", (Options with { CitySevereShare = 1.5 }).Validate());
        Assert.Empty(Options.Validate());
    }

    // Mutation testing, fifteenth session: each test below fails on the Stryker mutant of CityModel that survived
    // without it (docs/mutation-testing.md).

    [Fact]
    public void FloorsOf_NoFloorAbove0_NamesNoSetter()
    {
        // CityFloor.None means no floor above 0: all three floors 0 is not "its ports' exposure" sets it (mutant: value >= 0).
        var floors = CityModel.FloorsOf(0, 0, 0, 0, 100_000, Options);

        Assert.Equal(CityFloor.None, floors.Setter);
        Assert.Equal(0, floors.Highest);
    }

    [Theory]
    // Local and severe cases with no population: as many of each (mutant: local + asymptomatic − severe == 0), and as
    // many local as asymptomatic ones (mutant: local − asymptomatic + severe == 0). Nothing is "no local infections".
    [InlineData(2, 0, 2)]
    [InlineData(3, 3, 0)]
    public void IncidenceComponent_NoPopulation_WithLocalOrSevereCases_SaysTheIncidenceIsUnknown(long local14, long asymptomatic14, long severe14)
    {
        var component = CityModel.IncidenceComponent(null, 0, local14, asymptomatic14, severe14, 0, default, Options);

        Assert.Equal("Local incidence unknown: no population for this city, so the local outbreak sets no floor.", component.Explanation);
    }

    [Fact]
    public void IncidenceComponent_SevereCasesImplyAsManyAsTheLocalInfections_CountsTheLocalOnes()
    {
        // The severe cases' implied cases are counted only when more than the local infections (mutant: >=): on a tie
        // the sentence names the 10 local cases the city reported, not 10 cases its 2 severe ones imply.
        var component = CityModel.IncidenceComponent(10, 25, 10, 0, 2, 10, new FloorSetting(CityFloor.Outbreak, 10, 30, 20, 25), Options);

        Assert.Contains("(10 local cases)", component.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("imply", component.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void IncidenceComponent_OneLocalCaseAndOneAsymptomaticInfection_CountsEachInTheSingular()
    {
        // The sentence counts what the outbreak floor rests on, as an analyst checks it against the city's reports: "1
        // local case and 1 local asymptomatic infection", neither left out (mutation testing, eighteenth session: the
        // singular "local asymptomatic infection" of that sentence as "" survived).
        var component = CityModel.IncidenceComponent(2, 20, 1, 1, 0, 0, new FloorSetting(CityFloor.Outbreak, 10, 20, 10, 20), Options);

        Assert.Contains("2 local infections per 100,000 in 14 days (1 local case and 1 local asymptomatic infection)", component.Explanation, StringComparison.Ordinal);
    }
}
