using System.Reflection;
using System.Text;
using Orleans.Runtime;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Topologies;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>What Orleans keeps for an active entity beyond the grain: its stored states without a lifecycle per activation.</summary>
public sealed class EntityActivationTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task Entities_ReadTheirStoredStatesThemselves_SoOrleansKeepsNoLifecyclePerActivation_AndPortsNoEmptySets()
    {
        var topology = await fixture.Service<TopologyCatalog>().CurrentAsync();
        var port = topology.PortsFacing("MN")[0];
        await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(
            Encoding.UTF8.GetBytes($$"""{"id":"shape-1","type":"case","location":"city:{{port.City}}","date":"2020-04-19","count":3,"classification":"local-confirmed","source":"t"}"""),
            IngestFormat.NdJson);
        var plan = (await fixture.Client.GetGrain<ICityResponseGrain>(port.City).SetPlan(
            [new PlanLevelView(2, "watch", 30, 20, 2, ["look"]), new PlanLevelView(3, "act", 60, 50, 3, ["act"]), new PlanLevelView(4, "all", 90, 80, 4, ["all"])])).Levels;
        var city = await fixture.Client.GetGrain<ICityGrain>(port.City).GetView();
        await fixture.Client.GetGrain<IPortGrain>(port.Id).GetView();
        await fixture.Client.GetGrain<ICountryGrain>("MN").GetView();

        // A [PersistentState] facet subscribes to the activation's lifecycle, which Orleans then keeps for the
        // activation's life (about 300 bytes); the entities' states are read by the grains as they activate.
        foreach (var grain in new IAddressable[]
        {
            fixture.Client.GetGrain<ICityGrain>(port.City), fixture.Client.GetGrain<IPortGrain>(port.Id), fixture.Client.GetGrain<ICountryGrain>("MN"),
        })
        {
            var activation = Activation(grain.GetGrainId());
            var lifecycle = activation.GetType().GetField("_lifecycle", BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException("Orleans' activation no longer has the field this test reads: look again at what it keeps.");
            Assert.Null(lifecycle.GetValue(activation));
        }

        // A port that subscribed to no origin beyond the countries it faces keeps no set of them.
        var portGrain = Activation(fixture.Client.GetGrain<IPortGrain>(port.Id).GetGrainId()).GetType().GetProperty("GrainInstance")!
            .GetValue(Activation(fixture.Client.GetGrain<IPortGrain>(port.Id).GetGrainId()))!;
        Assert.Null((portGrain.GetType().GetField("_subscribedTo", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("PortGrain no longer has _subscribedTo: look again at what it keeps.")).GetValue(portGrain));

        // Both of a city's stored states (ledger and response side) are read back by its next activation.
        var cityId = fixture.Client.GetGrain<ICityGrain>(port.City).GetGrainId();
        var first = Activation(cityId);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(plan), System.Text.Json.JsonSerializer.Serialize((await fixture.Client.GetGrain<ICityResponseGrain>(port.City).GetPlan()).Levels));
        var again = await fixture.Client.GetGrain<ICityGrain>(port.City).GetView();
        Assert.Equal(city.Score, again.Score);
        Assert.Equal(city.Metrics, again.Metrics);
        Assert.NotSame(first, Activation(cityId));
    }

    // The silo's own record of an activation (Orleans' internal ActivationDirectory), found through its services.
    private object Activation(GrainId id)
    {
        var directoryType = Type.GetType("Orleans.Runtime.ActivationDirectory, Orleans.Runtime")
            ?? throw new InvalidOperationException("Orleans has no ActivationDirectory type any more");
        var directory = fixture.Service<IServiceProvider>().GetService(directoryType) ?? throw new InvalidOperationException("no ActivationDirectory service");
        var find = directoryType.GetMethod("FindTarget", [typeof(GrainId)]) ?? throw new InvalidOperationException("no FindTarget");
        return find.Invoke(directory, [id]) ?? throw new InvalidOperationException($"{id} is not active");
    }
}
