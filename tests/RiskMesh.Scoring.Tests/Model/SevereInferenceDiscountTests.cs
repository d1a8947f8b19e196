using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Review 16 M3: the cases a city's severe cases imply count one level (25 points) below the same number of local
/// infections reported, as the infected arrivals its imported cases stand for count one level below a port's exposure.
/// 20 severe cases in Fuyuan with no local case reported took it from level 1 to level 4 ("Request a national expert
/// team") in one day; severe patients may be transferred in, and an inference is not a report.
/// </summary>
public sealed class SevereInferenceDiscountTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    private static CaseEvent CityCase(int offset, int count, CaseClassification classification) => Case(offset, count, classification, null, "city:c");

    private static Assessment Assess(SiteLedger ledger, long population) =>
        CityModel.Assess(ledger, Day(20), new CityContext(population, _ => []), Options);

    private static double? Score(SiteLedger ledger, long population) =>
        CityModel.Score(ledger, Day(20), new CityContext(population, _ => []), Options);

    [Fact]
    public void Fuyuan_20SevereCasesNoLocalCase_EscalatesToLevel3NotLevel4_AndSaysTheInferenceWasDiscounted()
    {
        // 20 severe ÷ 0.2 = 100 cases in 90,000 people: 111 per 100,000, 83.67 on the CDC's bands (very high) if they had
        // been reported; inferred, 58.67 (high). (76.14 and 51.14 on the anchors before model 17: the same levels.)
        var ledger = Ledger(CityCase(20, 20, CaseClassification.Severe));

        var assessment = Assess(ledger, 90_000);
        var incidence = assessment.Component("localIncidence");

        var band = Scales.IncidenceFloor(100 / 90_000.0 * 100_000, Options);
        Assert.Equal(83.67, band, 2);
        Assert.Equal(band - 25, incidence.Value!.Value, 2);
        Assert.Equal(RiskLevel.High, assessment.Level);
        Assert.Equal(assessment.Score, Score(ledger, 90_000));
        Assert.StartsWith("111 local infections per 100,000 in 14 days inferred from severe cases and discounted one level, not reported (the 100 cases its 20 severe cases imply beyond the imported cases it hosts", incidence.Explanation, StringComparison.Ordinal);
        Assert.Contains("an inference counts 25 points below the 83.6 (very high) the same figure reported would give. These set the city's floor at 58.6 (high);", incidence.Explanation, StringComparison.Ordinal);
        // A notice's one-line summary quotes the explanation up to its first ", ": the discount is in it.
        Assert.EndsWith("inferred from severe cases and discounted one level", incidence.Explanation[..incidence.Explanation.IndexOf(", ", StringComparison.Ordinal)], StringComparison.Ordinal);

        // The default plan: level 1 to level 3 (testing kits, close contacts), not level 4 (a national expert team).
        var change = EscalationPolicy.Evaluate(new EscalationState(), ResponsePlan.Default, Day(20), assessment.Score);
        Assert.NotNull(change);
        Assert.Equal(3, change.NewLevel);

        // The same 100 cases reported as local ones are very high, as the CDC's level 4 says.
        Assert.Equal(RiskLevel.VeryHigh, Assess(Ledger(CityCase(20, 100, CaseClassification.LocalConfirmed)), 90_000).Level);
    }

    [Fact]
    public void ReportedLocalCases_OutweighADiscountedInference_AndTheFloorNamesThem()
    {
        // 100 local cases and 30 severe in 100,000 people: the severe cases imply 150 (86.93 on the bands, 61.93 inferred),
        // the reported 100 give 82.53. The reported cases set the floor, and the sentence names them, not the inference.
        var ledger = Ledger(CityCase(19, 100, CaseClassification.LocalConfirmed), CityCase(19, 30, CaseClassification.Severe));

        var assessment = Assess(ledger, 100_000);
        var incidence = assessment.Component("localIncidence");

        Assert.Equal(82.53, incidence.Value!.Value, 2);
        Assert.Equal(100, assessment.Metric("localInfections14dPer100k"), 6);
        Assert.StartsWith("100 local infections per 100,000 in 14 days (100 local cases) set the city's floor at 82.5", incidence.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("inferred", incidence.Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, Score(ledger, 100_000));

        // 10 local cases and the same 30 severe: 40.05 reported, 61.93 inferred; the inference sets it, discounted.
        var few = Ledger(CityCase(19, 10, CaseClassification.LocalConfirmed), CityCase(19, 30, CaseClassification.Severe));
        var fewIncidence = Assess(few, 100_000).Component("localIncidence");
        Assert.Equal(61.93, fewIncidence.Value!.Value, 2);
        Assert.StartsWith("150 local infections per 100,000 in 14 days inferred from severe cases and discounted one level", fewIncidence.Explanation, StringComparison.Ordinal);
        Assert.Equal(Assess(few, 100_000).Score, Score(few, 100_000));
    }

    [Fact]
    public void ASmallInference_SetsNoFloor_AndSaysWhy()
    {
        // 1 severe case in 200,000 people: 5 cases implied, 2.5 per 100,000, 25 on the bands (the lowest of moderate if
        // reported); 25 points lower nothing is left, so the weighted evidence alone scores the city.
        var ledger = Ledger(CityCase(19, 1, CaseClassification.Severe));

        var assessment = Assess(ledger, 200_000);
        var incidence = assessment.Component("localIncidence");

        Assert.Equal(0, incidence.Value);
        Assert.Equal(0, incidence.Contribution);
        Assert.Equal(assessment.Metric("weightedScore"), assessment.Score);
        Assert.Equal(RiskLevel.Low, assessment.Level);
        Assert.StartsWith("2.5 local infections per 100,000 in 14 days inferred from severe cases and discounted one level, not reported (the 5 cases its 1 severe case implies", incidence.Explanation, StringComparison.Ordinal);
        Assert.Contains("set no floor: an inference counts 25 points below the 25 (moderate) the same figure reported would give, and nothing is left.", incidence.Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, Score(ledger, 200_000));
        Assert.Equal(RiskLevel.Moderate, Assess(Ledger(CityCase(19, 5, CaseClassification.LocalConfirmed)), 200_000).Level);
    }

    // Mutation testing, eighteenth session: each test below fails on a Stryker mutant of CityModel that survived the
    // whole file's run without it (docs/mutation-testing.md).

    [Fact]
    public void AnInferenceGivingTheSameFloorAsTheReportedLocalCases_TheFloorNamesTheReportedCases()
    {
        // 25 local cases in 100,000 people give 50 on the CDC's bands (high begins); the 50 cases the 10 severe ones imply
        // would give 75, discounted one level to 50: the same floor. A report is evidence and an inference is not, so on
        // equal floors the sentence, the metric and a notice's summary name the 25 reported cases; the inference is
        // named only when it gives more (it was named on the tie with discounted >= reported).
        var ledger = Ledger(CityCase(19, 25, CaseClassification.LocalConfirmed), CityCase(19, 10, CaseClassification.Severe));

        var assessment = Assess(ledger, 100_000);
        var incidence = assessment.Component("localIncidence");

        Assert.Equal(50, incidence.Value!.Value, 2);
        Assert.Equal(25, assessment.Metric("localInfections14dPer100k"), 6);
        Assert.StartsWith("25 local infections per 100,000 in 14 days (25 local cases) set the city's floor at 50, the lowest score of high", incidence.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("inferred", incidence.Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, Score(ledger, 100_000));
    }

    [Fact]
    public void APopulationOf0_IsNoPopulation_SevereCasesThenImplyNoIncidenceAndSetNoFloor()
    {
        // The topology refuses a population of 0; the model, given one, takes it as unknown, as for a city missing from
        // the topology ("population unknown"), and works out no rate per 100,000 from it. 20 severe cases then set no
        // outbreak floor (with population is >= 0 the 100 cases they imply were divided by 0: an infinite incidence,
        // a floor of 75 and a very high city on a population no one knows).
        var ledger = Ledger(CityCase(20, 20, CaseClassification.Severe));

        var assessment = Assess(ledger, 0);
        var incidence = assessment.Component("localIncidence");

        Assert.Equal(0, incidence.Value);
        Assert.Equal("Local incidence unknown: no population for this city, so the local outbreak sets no floor.", incidence.Explanation);
        Assert.Contains("population unknown", assessment.Quality.Notes);
        Assert.Equal(CityModel.Assess(ledger, Day(20), new CityContext(null, _ => []), Options).Score, assessment.Score);
        Assert.Equal(assessment.Score, Score(ledger, 0));
        Assert.True(assessment.Score < Options.ModerateFrom);
    }
}
