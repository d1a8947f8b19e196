using Orleans.Storage;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Grain storage that passes writes and clears of an inner storage through the <see cref="SqliteWriteGate"/>, then
/// waits for the <see cref="SqliteGroupCommit"/> that makes them durable (the storage's SQL commits without an fsync).
/// </summary>
/// <remarks>Reads are not gated: in WAL mode readers never wait for the writer.</remarks>
internal sealed class GatedGrainStorage : IGrainStorage
{
    private readonly IGrainStorage _inner;
    private readonly SqliteWriteGate _gate;
    private readonly SqliteGroupCommit _commit;

    /// <summary>Wraps <paramref name="inner"/> so its writes take <paramref name="gate"/> and then wait for <paramref name="commit"/>.</summary>
    public GatedGrainStorage(IGrainStorage inner, SqliteWriteGate gate, SqliteGroupCommit commit)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(commit);
        _inner = inner;
        _gate = gate;
        _commit = commit;
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <remarks>
    /// Microsoft.Data.Sqlite does its I/O synchronously under the async API, so a read is moved to the thread pool:
    /// thousands of activations reading at once must not hold the Orleans scheduler's few threads.
    /// </remarks>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        Task.Run(() => _inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        using (await _gate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            // On the thread pool whether or not the gate was free, for the same reason as reads.
            await Task.Run(() => _inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        // Outside the gate: the next writers commit while this one waits for the shared fsync.
        await _commit.SyncAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        using (await _gate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            await _inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
        }

        await _commit.SyncAsync().ConfigureAwait(false);
    }
}
