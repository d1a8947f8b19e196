using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Assistance.CityNeeds;

namespace RiskMesh.Scoring.Tests.Assistance;

/// <summary>
/// A city's incoming visitors are those of all its ports together; among cities whose capacity was never reported,
/// equal risk ranks the larger estimated need first.
/// </summary>
public sealed class AssistanceTrafficAndTiesTests
{
    private static readonly AssistanceOptions Options = AssistanceOptions.Default;
    private static readonly ScoringOptions Scoring = ScoringOptions.Default;

    [Fact]
    public void Assess_TwoPortsOf600TravellersADay_Are1200IncomingVisitors_AndBringNationalAssistanceToAnUnpreparedCity()
    {
        // Neither port alone reaches the 1,000 a day of "many incoming visitors"; the city receives both.
        var city = City("two-crossings", score: 30, gap: 0.6) with
        {
            Ports = [new PortNeedInput("road", 600, null, null), new PortNeedInput("rail", 600, null, null)],
        };

        var assessed = AssistanceModel.Assess(city, Options, Scoring);

        Assert.Equal(1200, assessed.DailyInbound);
        Assert.Equal(
            [AssistanceActions.SendExpertTeam, AssistanceActions.DeliverEquipment],
            assessed.Actions.Where(a => a.Scope == AssistanceScopes.National).Select(a => a.Action));
    }

    [Fact]
    public void Recommend_CapacityNeverReported_EqualScores_LargerEstimatedNeedFirst()
    {
        // Both score 40 with no laboratories, technicians or beds reported. One port's testing was reported with a gap
        // of 0.3 (below the 0.5 that dispatches kits), so that city's need is 40 / 100 × 0.3 = 0.12; the other has
        // nothing reported and counts the half gap, 0.2. The busier city does not jump the larger need.
        var measuredPort = City("measured-port", score: 40, gap: null).WithPort("road", 500, 0.3, 400);
        var nothingReported = City("nothing-reported", score: 40, gap: null);

        var ranked = AssistanceModel.Recommend([measuredPort, nothingReported], Options, Scoring);

        Assert.Equal(["nothing-reported", "measured-port"], ranked.Select(c => c.CityId));
        Assert.Equal([0.2, 0.12], ranked.Select(c => c.Need!.Value));
        Assert.All(ranked, c => Assert.Equal(AssistanceGroups.CapacityNotReported, AssistanceModel.GroupIdOf(c)));
    }
}
