using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Topologies;
using Xunit.Abstractions;
using static RiskMesh.Grains.Tests.Entities.CityDayDriver;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// The restart path of the same-day re-decision (CityGrain.SteppedWithoutScoreAsync) reads whether the day's change
/// was a step without a score from the city's notices. A city with many ports told above it issues a port notice for
/// each after that change the same day, so the change is not among its last few notices: it read the last 8 only, did
/// not find the change, and decided the day's report on top of the step (the city held at 2 where the report alone
/// steps 3 -> 1).
/// </summary>
public sealed class SameDayRedecisionManyNoticesTests(EntityClusterFixture fixture, ITestOutputHelper output) : IClassFixture<EntityClusterFixture>
{
    private const string City = "many-ports";
    private const int Ports = 9;
    private static readonly DateOnly Reported = new(2020, 6, 10);

    // Nine ports with 90 imported cases each score 84.4 (level 4), their city 81.3 (level 3). Levels 3 and 4 have the
    // same dwell, so when the cases leave the 14-day window and the scores end (the city's too: it has no report of
    // its own) both step down the same day without a score: the city 3 -> 2, each port 4 -> 3, still above it.
    private static readonly ImmutableArray<PlanLevelView> Plan =
    [
        new(2, "heightened", 20, 15, 3, ["Test at entry points."]),
        new(3, "high", 40, 35, 5, ["Reduce movement."]),
        new(4, "very high", 83, 80, 5, ["National team."]),
    ];

    private readonly CityDayDriver _days = new(fixture, City);

    [Fact]
    public async Task SteppedDownWithoutAScore_ThenMoreThanEightPortNoticesThatDay_CityDeactivated_ThenItsReportForTheDay_StandsAsTheReportAlone()
    {
        await fixture.Service<TopologyCatalog>().ReplaceAsync(await InForceWithAsync(d =>
        {
            d["cities"]!.AsArray().Add(JsonNode.Parse($$"""{"id":"{{City}}","name":"Many Ports","province":"yunnan","population":10000000,"lat":22.5,"lon":103.9}"""));
            for (var i = 0; i < Ports; i++)
            {
                d["ports"]!.AsArray().Add(JsonNode.Parse($$"""{"id":"{{City}}-{{i}}","name":"Many Ports crossing {{i}}","kind":"road","city":"{{City}}","faces":["VN"],"lat":22.5,"lon":103.9}"""));
            }
        }));
        var response = fixture.Client.GetGrain<ICityResponseGrain>(City);
        await _days.SetClockAsync(Reported);
        await response.SetPlan(Plan);
        await _days.IngestAsync([.. Enumerable.Range(0, Ports).SelectMany(i => new[] { 0 }.Select(d =>
            Event(new { id = $"{City}-{i}-{d}", type = "case", location = $"port:{City}-{i}", date = Iso(Reported.AddDays(d)), count = 90, classification = "imported-confirmed", origin = "VN", source = "many-tests" })))]);
        var risen = await response.GetNotices(null, 0);
        Assert.Equal(3, (await fixture.Client.GetGrain<ICityGrain>(City).GetView()).Response?.Level);
        Assert.Equal(Ports, risen.Count(n => n.Kind == NoticeKinds.PortAboveCity && n.NewLevel == 4));

        // The clock a day at a time until the scores end and the city steps down without a score: 3 -> 2.
        var (day, notices) = await _days.StepUntilDeEscalationAsync(Reported, 40);

        output.WriteLine(string.Join("\n", notices.Select(n => $"{n.Sequence} {n.Summary}")));
        var noScoreStep = Assert.Single(notices, n => n.Kind == NoticeKinds.DeEscalation);
        Assert.Equal((3, 2, (double?)null, day), (noScoreStep.PreviousLevel, noScoreStep.NewLevel, noScoreStep.Score, noScoreStep.Date));
        // More than eight notices of the same day after the change: each port's step down, still above the city.
        Assert.True(notices.Count(n => n.Sequence > noScoreStep.Sequence && n.Date == day) > 8, string.Join("\n", notices.Select(n => n.Summary)));

        // The activation that decided the day goes; the next call activates the city afresh from what it stored.
        await fixture.Client.GetGrain<ICityGrain>(City).AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // The city's capacity report for that day: a real, low score, below every exit.
        await _days.IngestAsync(Event(new { id = $"{City}-capacity-late", type = "capacity", subject = $"city:{City}", date = Iso(day), labs = 3, technicians = 60, isolationBeds = 400, source = "many-tests" }));

        var view = await fixture.Client.GetGrain<ICityGrain>(City).GetView();
        Assert.True(view.Score < 15, $"the report's score {view.Score} is meant to be below every exit");

        // Decided from the day before (3, below level 3's exit for its dwell): 3 -> 1, as the report alone decides it;
        // on top of the step without a score (2, its dwell just begun) the city would hold at 2.
        Assert.Equal((1, day), (view.Response?.Level, view.Response?.Since));
        var steps = (await response.GetNotices(null, 0)).Where(n => n.Kind == NoticeKinds.DeEscalation).OrderBy(n => n.Sequence).ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal((3, 1, day), (steps[1].PreviousLevel, steps[1].NewLevel, steps[1].Date));
    }

    private async Task<TopologyDocument> InForceWithAsync(Action<JsonNode> change)
    {
        var document = JsonNode.Parse((await fixture.Client.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get()).Json)!;
        change(document);
        return TopologyParser.ParseJson(document.ToJsonString());
    }
}
