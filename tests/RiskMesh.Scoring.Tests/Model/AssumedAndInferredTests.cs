using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// What the model assumed or inferred is said to be so (newcomer 16): an unreported testing capacity is an assumed half
/// gap, never reported evidence; local infections worked out from severe cases are inferred, not reported; a city's
/// "no report for N days" names which reports count; and the port's and the city's capacity gaps have their own names.
/// </summary>
public sealed class AssumedAndInferredTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Fact]
    public void PortCapacityGap_Unreported_IsAssumedAndSaysSo_Reported_IsEvidenceNamedAsThePorts()
    {
        var unknown = AssessPort(Ledger(Traffic(19, 1_000)), 20, Port(Countries(("RU", 50, 0.001)), faces: "RU")).Component("capacityGap");
        var reported = AssessPort(Ledger(Traffic(19, 1_000), Capacity(18, testsPerDay: 300)), 20, Port(Countries(("RU", 50, 0.001)), faces: "RU")).Component("capacityGap");

        Assert.True(unknown.Assumed);
        Assert.Equal(0.5, unknown.Normalized);
        Assert.Contains("assumed to be a half gap, not a reported shortfall", unknown.Explanation, StringComparison.Ordinal);
        Assert.False(reported.Assumed);
        Assert.StartsWith("Port testing gap 0.7: 300 tests a day for 1,000 inbound travellers", reported.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void CityCapacityGap_Unreported_IsAssumed_Reported_IsTheCitysOwnMeasure()
    {
        var context = new CityContext(100_000, _ => []);
        var unknown = CityModel.Assess(Ledger(Case(19, 1, CaseClassification.LocalConfirmed, location: "city:c")), Day(20), context, Options).Component("capacityGap");
        var reported = CityModel.Assess(Ledger(Capacity(18, "city:c", labs: 1)), Day(20), context, Options).Component("capacityGap");

        Assert.True(unknown.Assumed);
        Assert.Contains("assumed to be a half gap", unknown.Explanation, StringComparison.Ordinal);
        Assert.False(reported.Assumed);
        Assert.StartsWith("City capacity gap 0: 1 laboratory", reported.Explanation, StringComparison.Ordinal);
        Assert.Equal("Port testing gap", ComponentLabels.Of("capacityGap", "port"));
        Assert.Equal("City capacity gap", ComponentLabels.Of("capacityGap", "city"));
        Assert.Equal("Import pressure", ComponentLabels.Of("importPressure", "port"));
    }

    [Fact]
    public void CityCapacityGap_WithoutAPopulation_IsAssumed_EvenWithItsCapacityReported()
    {
        // One laboratory means nothing per million without a population: the gap is the assumed half gap, and marked
        // assumed, so that the view lists it after the evidence among the drivers and the ranking flags the capacity as
        // not reported, rather than an analyst reading 0.5 as a reported shortfall (mutation testing, eighteenth
        // session: the population check's Assumed = false survived).
        var component = CityModel.Assess(Ledger(Capacity(18, "city:c", labs: 1)), Day(20), new CityContext(null, _ => []), Options).Component("capacityGap");

        Assert.True(component.Assumed);
        Assert.Equal(0.5, component.Normalized);
        Assert.Equal("City capacity gap unknown without a population: assumed to be a half gap, not a reported shortfall.", component.Explanation);
    }

    [Fact]
    public void LocalIncidence_FromSevereCasesOnly_IsLabelledInferred_FromLocalCases_IsNot()
    {
        // 6 severe cases and no local case in a city of 100,000: 30 cases implied, an inference, not reported spread.
        var context = new CityContext(100_000, _ => []);
        var inferred = CityModel.Assess(Ledger(Case(19, 6, CaseClassification.Severe, location: "city:c")), Day(20), context, Options).Component("localIncidence");
        var reported = CityModel.Assess(Ledger(Case(19, 30, CaseClassification.LocalConfirmed, location: "city:c")), Day(20), context, Options).Component("localIncidence");

        Assert.Contains("30 local infections per 100,000 in 14 days inferred from severe cases and discounted one level, not reported (the 30 cases its 6 severe cases imply", inferred.Explanation, StringComparison.Ordinal);
        Assert.Contains("; an inference counts 25 points below the 56.5 (high) the same figure reported would give. These set the city's floor at 31.5 (moderate);", inferred.Explanation, StringComparison.Ordinal);
        Assert.Contains("30 local infections per 100,000 in 14 days (30 local cases)", reported.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("inferred", reported.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void CityWithoutOwnReportFor20Days_SaysWhichReportsCount_IntelligenceTenDaysOldDoesNot()
    {
        // Ruili at 30 April 2020: capacity reported on 10 April, intelligence about it on 20 April.
        var ledger = Ledger(Capacity(0, "city:c", labs: 1), Intel(10, 3, 0.8, subject: "city:c"));
        var assessment = CityModel.Assess(ledger, Day(20), new CityContext(100_000, _ => []), Options);

        Assert.Equal(20, assessment.Quality.DaysSinceLastReport);
        Assert.Equal("no case or capacity report from the city for 20 days (intelligence reports and its ports' traffic are not counted)", assessment.Quality.Notes[0]);
    }
}
