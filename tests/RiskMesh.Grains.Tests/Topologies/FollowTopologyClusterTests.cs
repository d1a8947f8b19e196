using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Tests.Entities;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Tests.Topologies;

/// <summary>
/// Two silos whose time stands still, so each trusts the topology copy it read for ever: a city re-evaluated after a
/// replacement made through another process brings the silo of its port, not only its own, to the new version before
/// it decides (<c>FollowTopology</c>); otherwise the port would compute its days with the topology replaced.
/// </summary>
public sealed class FollowTopologyClusterTests(FollowTopologyClusterTests.Fixture fixture) : IClassFixture<FollowTopologyClusterTests.Fixture>
{
    [Fact]
    public async Task PortOnAnotherSiloFacesRussiaNow_TheCityEvaluatedForThatVersion_BringsThePortsSiloToIt_AndEscalates()
    {
        // Russia's series (as in ClockVersionTests) scores every port facing it; Hekou's ports face Vietnam, with no data.
        await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n',
            """{"id":"ru-a","type":"country-cases","country":"RU","date":"2020-04-06","cumulativeCases":100000,"source":"gt"}""",
            """{"id":"ru-b","type":"country-cases","country":"RU","date":"2020-04-20","cumulativeCases":250000,"source":"gt"}""")), IngestFormat.NdJson);

        // Hekou on Russia's silo (the ingest activated Russia wherever the cluster placed it), its road port alone on the
        // other: a grain following the topology brings its whole silo's copy along, so nothing else Hekou follows may
        // live there. Each silo reads the topology in force and keeps it.
        var russia = fixture.Client.GetGrain<ICountryGrain>("RU");
        await russia.GetView();
        var citySilo = await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(russia) == fixture.AddressOf(0) ? 0 : 1;
        var city = fixture.Client.GetGrain<ICityGrain>("hekou");
        var port = fixture.Client.GetGrain<IPortGrain>("hekou-road");
        // The port first: a hint flows with the calls a grain makes, and the city's view activates its ports.
        await OnSiloAsync(1 - citySilo, port, port.GetView);
        await OnSiloAsync(citySilo, city, city.GetView);
        var response = fixture.Client.GetGrain<ICityResponseGrain>("hekou");
        await response.EvaluateToToday();
        Assert.DoesNotContain(await response.GetNotices(null, 0), n => n.Kind == NoticeKinds.Escalation);
        var before = await fixture.ServiceOf<TopologyCatalog>(1 - citySilo).CurrentAsync();
        Assert.True(before.TryGetPort("hekou-road", out var oldPort));
        Assert.Equal<string>(["VN"], oldPort.Faces);

        // An API node (another process) makes both Hekou's ports face Russia, the road port with the traffic of a busy
        // crossing; only Hekou's inputs changed, and the one country its ports face now is on the city's silo.
        var apiNode = new TopologyCatalog(fixture.Client, TimeProvider.System);
        var document = JsonNode.Parse((await fixture.Client.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get()).Json)!;
        var road = document["ports"]!.AsArray().Single(p => (string?)p!["id"] == "hekou-road")!;
        road["faces"] = new JsonArray("RU");
        road["nominalInbound"] = 5000;
        document["ports"]!.AsArray().Single(p => (string?)p!["id"] == "hekou-rail")!["faces"] = new JsonArray("RU");
        var replaced = await apiNode.ReplaceAsync(TopologyParser.ParseJson(document.ToJsonString()));

        Assert.Equal((1, 0), (replaced.Evaluation.Cities, replaced.Evaluation.Failed));

        // Hekou decided with the port as the new topology has it (high through Russia), so it escalates at once; the
        // port's silo holds the new version.
        var notices = await response.GetNotices(null, 0);
        Assert.Contains(notices, n => n.Kind == NoticeKinds.Escalation && n.NewLevel >= 2 && n.Date == new DateOnly(2020, 4, 20));
        Assert.Contains(notices, n => n.Kind == NoticeKinds.PortAboveCity && n.Port == "hekou-road");
        Assert.True((await fixture.ServiceOf<TopologyCatalog>(1 - citySilo).CurrentAsync()).TryGetPort("hekou-road", out var followed));
        Assert.Equal<string>(["RU"], followed.Faces);
    }

    // Activates a grain on one silo: the default placement honours the hint for a new activation.
    private async Task OnSiloAsync<T>(int silo, IAddressable grain, Func<Task<T>> activatingCall)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, fixture.AddressOf(silo));
        try
        {
            await activatingCall();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }

        Assert.Equal(fixture.AddressOf(silo), await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain));
    }

    /// <summary>The entity fixture on two silos whose grains' time stands still.</summary>
    public sealed class Fixture : EntityClusterFixture
    {
        /// <inheritdoc />
        protected override short SiloCount => 2;

        /// <inheritdoc />
        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            // No evaluation of every city at start: it would activate each city and its ports wherever the cluster
            // placed them, and the test places Hekou and its port itself.
            silo.Services.Remove(silo.Services.Single(d => d.ImplementationType == typeof(Escalation.DailyEvaluationStarter)));
            silo.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        }
    }
}
