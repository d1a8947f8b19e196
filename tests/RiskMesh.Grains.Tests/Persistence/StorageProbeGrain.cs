using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>A test grain whose only job is to persist a little state through RiskMesh's grain storage.</summary>
[Alias("RiskMesh.Grains.Tests.Persistence.IStorageProbeGrain")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    /// <summary>Sets the text, counts the write and persists.</summary>
    [Alias("Write")]
    Task<ProbeSnapshot> WriteAsync(string text);

    /// <summary>What this activation holds.</summary>
    [Alias("Read")]
    Task<ProbeSnapshot> ReadAsync();

    /// <summary>Clears the persisted state.</summary>
    [Alias("Clear")]
    Task<ProbeSnapshot> ClearAsync();

    /// <summary>Asks the runtime to deactivate this grain once the call returns.</summary>
    [Alias("Deactivate")]
    Task DeactivateAsync();
}

/// <summary>The probe's state as seen by one activation.</summary>
[GenerateSerializer, Immutable, Alias("RiskMesh.Grains.Tests.Persistence.ProbeSnapshot")]
public sealed record ProbeSnapshot(string Text, int Writes, bool RecordExists, string? ETag, Guid ActivationId);

/// <summary>Persisted state of the probe grain.</summary>
[GenerateSerializer, Alias("RiskMesh.Grains.Tests.Persistence.StorageProbeState")]
public sealed class StorageProbeState
{
    /// <summary>Last text written.</summary>
    [Id(0)]
    public string Text { get; set; } = "";

    /// <summary>How many writes this state has seen.</summary>
    [Id(1)]
    public int Writes { get; set; }
}

/// <summary>Probe grain on <see cref="RiskMeshStorage.Name"/> storage.</summary>
public sealed class StorageProbeGrain(
    [PersistentState("probe", RiskMeshStorage.Name)] IPersistentState<StorageProbeState> state) : Grain, IStorageProbeGrain
{
    // Distinguishes activations, so a test can tell a read from storage from a read from memory.
    private readonly Guid _activationId = Guid.NewGuid();

    /// <inheritdoc />
    public async Task<ProbeSnapshot> WriteAsync(string text)
    {
        state.State.Text = text;
        state.State.Writes++;
        await state.WriteStateAsync();
        return Snapshot();
    }

    /// <inheritdoc />
    public Task<ProbeSnapshot> ReadAsync() => Task.FromResult(Snapshot());

    /// <inheritdoc />
    public async Task<ProbeSnapshot> ClearAsync()
    {
        await state.ClearStateAsync();
        return Snapshot();
    }

    /// <inheritdoc />
    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private ProbeSnapshot Snapshot() =>
        new(state.State.Text, state.State.Writes, state.RecordExists, state.Etag, _activationId);
}
