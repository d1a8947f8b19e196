using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;
using TopologyDocument = RiskMesh.Scoring.Topology.TopologyDocument;

namespace RiskMesh.Grains.Topology;

/// <summary>The durable topology: null until an operator replaces the default.</summary>
[GenerateSerializer, Alias("riskmesh.TopologyGrainState")]
internal sealed class TopologyGrainState
{
    /// <summary>The topology JSON, or null for the shipped default.</summary>
    [Id(0)]
    public string? Json { get; set; }

    /// <summary>Increases on every replacement.</summary>
    [Id(1)]
    public long Version { get; set; }
}

/// <summary>Holds the topology in force.</summary>
internal sealed class TopologyGrain(
    [PersistentState("topology", RiskMeshStorage.Name)] IPersistentState<TopologyGrainState> state,
    TopologyCatalog catalog) : Grain, ITopologyGrain
{
    /// <inheritdoc />
    public Task<TopologySnapshot> Get() =>
        Task.FromResult(new TopologySnapshot(state.State.Version, state.State.Json ?? catalog.DefaultJson));

    /// <inheritdoc />
    public async Task<TopologySnapshot> Replace(string json)
    {
        state.State.Json = json;
        state.State.Version++;
        await state.WriteStateAsync();
        return new TopologySnapshot(state.State.Version, json);
    }
}
