using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Tests.Entities;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Tests.Topologies;

/// <summary>The entity cluster, counting the re-evaluations after a topology replacement each city is asked for.</summary>
public sealed class TopologyReevaluationClusterFixture : EntityClusterFixture
{
    /// <summary>Every <c>EvaluateForTopology</c> call a city received, by city.</summary>
    public ConcurrentDictionary<string, int> Reevaluated { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.AddIncomingGrainCallFilter(context =>
        {
            if (context.MethodName == nameof(ICityResponseGrain.EvaluateForTopology))
            {
                Reevaluated.AddOrUpdate(context.TargetId.Key.ToString()!, 1, (_, n) => n + 1);
            }

            return context.Invoke();
        });
}

/// <summary>
/// A topology replacement makes the cities whose inputs it changed decide today again, so the notices that follow from
/// the operator's change are issued at once, not at the next event or the daily evaluation; other cities are left alone.
/// </summary>
public sealed class TopologyReevaluationTests(TopologyReevaluationClusterFixture fixture) : IClassFixture<TopologyReevaluationClusterFixture>
{
    [Fact]
    public async Task HighPortJoinsACity_TheCityEscalatesAndReportsThePort_WithoutAnotherEvent()
    {
        // Wanding (Ruili) finds imported cases every day: high on its own. Hekou's ports face Vietnam, with no data.
        await IngestAsync(
            """{"id":"wd-1","type":"case","location":"port:wanding","date":"2020-04-16","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"}""",
            """{"id":"wd-2","type":"case","location":"port:wanding","date":"2020-04-18","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"}""",
            """{"id":"wd-3","type":"case","location":"port:wanding","date":"2020-04-20","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"}""");
        var port = await fixture.Client.GetGrain<IPortGrain>("wanding").GetView();
        Assert.True(port.Score >= 50, $"wanding scores {port.Score} ({port.Level})");
        var hekou = fixture.Client.GetGrain<ICityResponseGrain>("hekou");
        Assert.Empty(await hekou.GetNotices(null, 0));
        Assert.Equal(1, (await fixture.Client.GetGrain<ICityGrain>("hekou").GetView()).Response?.Level);
        var asked = Asked("hekou", "ruili");
        var ruiliNoticesBefore = (await fixture.Client.GetGrain<ICityResponseGrain>("ruili").GetNotices(null, 0)).Length;

        var replaced = await fixture.Service<TopologyCatalog>().ReplaceAsync(await InForceWithAsync(d => Port(d, "wanding")["city"] = "hekou"));

        // No event since: the replacement alone escalated Hekou and reported the port above it.
        var notices = await hekou.GetNotices(null, 0);
        var escalation = Assert.Single(notices, n => n.Kind == NoticeKinds.Escalation);
        Assert.True(escalation.NewLevel >= 2, $"Hekou escalated to {escalation.NewLevel}");
        Assert.Equal(new DateOnly(2020, 4, 20), escalation.Date);
        Assert.Contains(notices, n => n.Kind == NoticeKinds.PortAboveCity && n.Port == "wanding");
        Assert.Equal(escalation.NewLevel, (await fixture.Client.GetGrain<ICityGrain>("hekou").GetView()).Response?.Level);

        // The replacement answers with what it had evaluated: the city the port joined and the one it left.
        Assert.Equal((2, 0), (replaced.Evaluation.Cities, replaced.Evaluation.Failed));
        var ruiliNoticesAfter = (await fixture.Client.GetGrain<ICityResponseGrain>("ruili").GetNotices(null, 0)).Length;
        Assert.Equal(notices.Length + ruiliNoticesAfter - ruiliNoticesBefore, replaced.Evaluation.NoticesIssued);
        Assert.Null(replaced.Evaluation.Unanswered);
        Assert.Equal(asked.Select(a => a + 1), Asked("hekou", "ruili"));
    }

    [Fact]
    public async Task ChangeOfOneCitysInputs_ReevaluatesThatCityOnly_AndNamesOrProvinceReevaluateNobody()
    {
        var asked = Asked("suifenhe", "tengchong", "dongning");

        // A population is an input of the city's score; a name and a province are not.
        var replaced = await fixture.Service<TopologyCatalog>().ReplaceAsync(await InForceWithAsync(d =>
        {
            City(d, "suifenhe")["population"] = 120_000;
            City(d, "tengchong")["name"] = "Tengchong City";
            City(d, "dongning")["province"] = "jilin";
        }));

        Assert.Equal(1, replaced.Evaluation.Cities);
        Assert.Equal([asked[0] + 1, asked[1], asked[2]], Asked("suifenhe", "tengchong", "dongning"));
    }

    [Fact]
    public async Task ReplacedThroughAnApiNode_WhileTheSiloStillTrustsTheOldTopology_TheCityDecidesWithTheNewOne()
    {
        await IngestAsync(
            """{"id":"yj-1","type":"case","location":"port:yingjiang","date":"2020-04-16","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"}""",
            """{"id":"yj-2","type":"case","location":"port:yingjiang","date":"2020-04-18","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"}""",
            """{"id":"yj-3","type":"case","location":"port:yingjiang","date":"2020-04-20","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"}""");

        // The silo has just read the topology, so it trusts its copy for a few seconds; an API node is another
        // process, with a catalog of its own, that makes the replacement.
        await fixture.Service<TopologyCatalog>().CurrentAsync();
        var apiNode = new TopologyCatalog(fixture.Client, TimeProvider.System);
        var replaced = await apiNode.ReplaceAsync(await InForceWithAsync(d => Port(d, "yingjiang")["city"] = "jinping"));

        Assert.Equal(2, replaced.Evaluation.Cities);
        var notices = await fixture.Client.GetGrain<ICityResponseGrain>("jinping").GetNotices(null, 0);
        Assert.Contains(notices, n => n.Kind == NoticeKinds.Escalation && n.NewLevel >= 2);
        Assert.Contains(notices, n => n.Kind == NoticeKinds.PortAboveCity && n.Port == "yingjiang");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NewCityOfANewPortFacingAnOutbreak_EscalatesAtTheReplacement_UnlessNewCitiesAreLeftOut(bool newCities)
    {
        // Russia's series (as in ClockVersionTests) scores every port facing it; the city and its one port are new.
        await IngestAsync(
            """{"id":"ru-new-a","type":"country-cases","country":"RU","date":"2020-04-06","cumulativeCases":100000,"source":"t-new"}""",
            """{"id":"ru-new-b","type":"country-cases","country":"RU","date":"2020-04-20","cumulativeCases":250000,"source":"t-new"}""");
        var city = newCities ? "new-border-town" : "new-border-village";
        var inForce = fixture.Service<TopologyCatalog>();
        var snapshot = await fixture.Client.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get();
        var document = await InForceWithAsync(d =>
        {
            d["cities"]!.AsArray().Add(JsonNode.Parse($$"""{"id":"{{city}}","name":"New border town","province":"heilongjiang","population":60000,"lat":44.0,"lon":131.0}"""));
            d["ports"]!.AsArray().Add(JsonNode.Parse($$"""{"id":"{{city}}-road","name":"New road port","kind":"road","city":"{{city}}","faces":["RU"],"lat":44.0,"lon":131.1,"nominalInbound":5000}"""));
        });

        var replaced = await inForce.ReplaceAsync(document, snapshot.Version, Topology.Parse(snapshot.Json), newCities);

        var notices = await fixture.Client.GetGrain<ICityResponseGrain>(city).GetNotices(null, 0);
        if (newCities)
        {
            // A port facing Russia in an outbreak, with the traffic of a busy crossing: high on its first day.
            Assert.Equal(1, replaced.Evaluation.Cities);
            Assert.Contains(notices, n => n.Kind == NoticeKinds.Escalation && n.NewLevel >= 2 && n.Date == new DateOnly(2020, 4, 20));
        }
        else
        {
            // A bulk install leaves it to its first event or the daily evaluation.
            Assert.Equal(0, replaced.Evaluation.Cities);
            Assert.Empty(notices);
        }
    }

    private int[] Asked(params string[] cities) => [.. cities.Select(c => fixture.Reevaluated.GetValueOrDefault(c))];

    private static JsonNode Port(JsonNode document, string id) => document["ports"]!.AsArray().Single(p => (string?)p!["id"] == id)!;

    private static JsonNode City(JsonNode document, string id) => document["cities"]!.AsArray().Single(c => (string?)c!["id"] == id)!;

    // The topology in force with a change: the tests of this class share one cluster, so each changes only its own entities.
    private async Task<TopologyDocument> InForceWithAsync(Action<JsonNode> change)
    {
        var document = JsonNode.Parse((await fixture.Client.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get()).Json)!;
        change(document);
        return TopologyParser.ParseJson(document.ToJsonString());
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
