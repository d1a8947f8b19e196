using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Topologies;

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
/// <remarks>
/// The JSON of a replaced topology is kept in storage only, and read from there when asked for: a 100,000-entity
/// topology is 31.6 MB as a string, and every process keeps its own parsed copy (<see cref="TopologyCatalog"/>), which
/// asks for the JSON only when the version moved (<see cref="GetIfChanged"/>).
/// </remarks>
internal sealed class TopologyGrain(
    [PersistentState("topology", RiskMeshStorage.Name)] IPersistentState<TopologyGrainState> state,
    TopologyCatalog catalog) : Grain, ITopologyGrain
{
    private bool _replaced;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _replaced = state.State.Json is not null;
        state.State.Json = null;
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TopologySnapshot> Get() => new(state.State.Version, await JsonAsync());

    /// <inheritdoc />
    public async Task<TopologySnapshot?> GetIfChanged(long knownVersion) =>
        knownVersion == state.State.Version ? null : await Get();

    /// <inheritdoc />
    public async Task<TopologySnapshot> Replace(string json)
    {
        var previous = state.State.Version;
        state.State.Json = json;
        state.State.Version = previous + 1;
        try
        {
            await state.WriteStateAsync();
            _replaced = true;
        }
        catch
        {
            state.State.Version = previous;
            throw;
        }
        finally
        {
            // Stored, or not replaced at all: either way the JSON is not kept here.
            state.State.Json = null;
        }

        return new TopologySnapshot(state.State.Version, json);
    }

    /// <inheritdoc />
    public async Task<TopologySnapshot?> ReplaceAt(long expectedVersion, string json) =>
        state.State.Version == expectedVersion ? await Replace(json) : null;

    private async Task<string> JsonAsync()
    {
        if (!_replaced)
        {
            return catalog.DefaultJson;
        }

        await state.ReadStateAsync();
        var json = state.State.Json;
        state.State.Json = null;
        return json ?? catalog.DefaultJson;
    }
}
