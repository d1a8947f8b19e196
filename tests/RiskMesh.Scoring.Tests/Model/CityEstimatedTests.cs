using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// A city inherits <c>estimated</c> (its score rests on a port's nominal or carried-forward traffic) from the port its
/// score comes from: the port whose exposure floor sets it, or its riskiest port when it has no report of its own. It
/// did not: a city scored entirely from a port's estimated exposure showed no flag while the port did.
/// </summary>
public sealed class CityEstimatedTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Fact]
    public void Assess_NoOwnReports_ScoredFromAnEstimatedPort_IsEstimatedAndSaysWhy()
    {
        var assessment = Assess(Ledger(), ("p1", Port(60, floor: 60, estimated: true)), ("p2", Port(20, floor: 10)));

        Assert.True(assessment.Quality.Estimated);
        Assert.Contains("estimated", assessment.Quality.Flags);
        Assert.Contains("estimated: set by the exposure of p1, whose traffic is estimated (nominal or carried forward)", assessment.Quality.Notes);
    }

    [Fact]
    public void Assess_NoOwnReports_PortTrafficReported_IsNotEstimated()
    {
        var assessment = Assess(Ledger(), ("p1", Port(60, floor: 60)), ("p2", Port(20, floor: 10, estimated: true)));

        Assert.False(assessment.Quality.Estimated);
        Assert.DoesNotContain("estimated", assessment.Quality.Flags);
    }

    [Fact]
    public void Assess_ExactTieOfAnEstimatedAndAReportedPort_NotEstimatedWhicheverComesFirst()
    {
        // Review: on an exact tie the first port listed won, so the flag followed the order the ports arrived in. The
        // score is the same either way and a port on reported traffic gives it: not an estimate, in both orders.
        (string, UpstreamValue) estimated = ("p1", Port(60, floor: 60, estimated: true));
        (string, UpstreamValue) reported = ("p2", Port(60, floor: 60));
        (string, UpstreamValue) estimatedNoFloor = ("p1", Port(20, floor: 0, estimated: true));
        (string, UpstreamValue) reportedNoFloor = ("p2", Port(20, floor: 0));

        foreach (var ports in new[] { new[] { estimated, reported }, [reported, estimated], [estimatedNoFloor, reportedNoFloor], [reportedNoFloor, estimatedNoFloor] })
        {
            var assessment = Assess(Ledger(), ports);
            Assert.False(assessment.Quality.Estimated, string.Join(", ", ports.Select(p => p.Item1)) + ": " + string.Join(" / ", assessment.Quality.Notes));
            Assert.Contains("Its riskiest port, p2,", assessment.Component("highestPort").Explanation, StringComparison.Ordinal);
        }

        // Two estimated ports tied: estimated, and named by the lower id whatever the order.
        (string, UpstreamValue) other = ("p0", Port(60, floor: 60, estimated: true));
        foreach (var ports in new[] { new[] { estimated, other }, [other, estimated] })
        {
            var assessment = Assess(Ledger(), ports);
            Assert.Contains("estimated: set by the exposure of p0, whose traffic is estimated (nominal or carried forward)", assessment.Quality.Notes);
        }
    }

    [Fact]
    public void Assess_NoOwnReports_NoFloorFromTheRiskiestEstimatedPort_IsEstimated()
    {
        var assessment = Assess(Ledger(), ("p1", Port(20, floor: 0, estimated: true)));

        Assert.True(assessment.Quality.Estimated);
        Assert.Contains("estimated: scored from its riskiest port, p1, whose traffic is estimated (nominal or carried forward)", assessment.Quality.Notes);
    }

    [Fact]
    public void Assess_OwnOutbreakAboveAnEstimatedPortsFloor_IsNotEstimated()
    {
        // 500 local cases per 100,000: the city's own incidence sets its score, not the port's estimated exposure.
        var ledger = Ledger(Case(19, 500, CaseClassification.LocalConfirmed, location: "city:c"));
        var assessment = Assess(ledger, ("p1", Port(55, floor: 55, estimated: true)));

        Assert.True(assessment.Score > 55 - Options.CityExposureOffset);
        Assert.False(assessment.Quality.Estimated);
    }

    [Fact]
    public void Assess_WeightedEvidenceAboveAnEstimatedPortsFloor_IsNotEstimated()
    {
        // The port's exposure floor (40 − 25 = 15) is the city's highest, yet the weighted evidence (its riskiest port's
        // score of 100 beside one local case) already scores higher, so the floor does not lift it: the score is not
        // "set by the exposure of p1" while its sentence says "the weighted evidence already scores higher". Found by
        // the surviving mutant `lifted > weightedScore` (mutation testing, fifteenth session): `>=` is always true.
        var ledger = Ledger(Case(19, 1, CaseClassification.LocalConfirmed, location: "city:c"));
        var assessment = Assess(ledger, ("p1", Port(100, floor: 40, estimated: true)));

        Assert.Equal(assessment.Metric("weightedScore"), assessment.Score);
        Assert.Contains("the weighted evidence already scores higher", assessment.Component("portExposure").Explanation, StringComparison.Ordinal);
        Assert.False(assessment.Quality.Estimated);
        Assert.DoesNotContain(assessment.Quality.Notes, note => note.StartsWith("estimated", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_OwnReportsButTheEstimatedPortsFloorSetsTheScore_IsEstimated()
    {
        var ledger = Ledger(Case(19, 1, CaseClassification.LocalConfirmed, location: "city:c"));
        var assessment = Assess(ledger, ("p1", Port(70, floor: 70, estimated: true)));

        // The floor (70 − 25) decides the level; the weighted evidence places the city within it.
        Assert.Equal(Scales.FloorLifted(assessment.Metric("weightedScore"), 70 - Options.CityExposureOffset, Options), assessment.Score!.Value, 6);
        Assert.Equal(RiskLevel.Moderate, assessment.Level);
        Assert.True(assessment.Score > 70 - Options.CityExposureOffset);
        Assert.True(assessment.Quality.Estimated);
    }

    private static Assessment Assess(SiteLedger ledger, params (string Id, UpstreamValue Value)[] ports) =>
        CityModel.Assess(ledger, Day(20), new CityContext(100_000, _ => ports), Options);

    private static UpstreamValue Port(double score, double floor, bool estimated = false) =>
        new(score, Scales.LevelOf(score, Options), null, null, null, floor, estimated);
}
