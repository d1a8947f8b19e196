using Orleans.Storage;

namespace RiskMesh.Grains.Persistence;

/// <summary>Grain storage that files each state under its grain type as well as its state name.</summary>
/// <remarks>
/// The Orleans ADO.NET provider keys a record by service id, state name and the grain's key, without the
/// grain type: a country grain and a city grain with the same key and the same state name would share one
/// row. Prefixing the state name with the grain type (<c>city/state</c>) keeps every grain type apart.
/// The grain type is therefore part of the stored key: renaming a grain class orphans its state.
/// </remarks>
internal sealed class GrainTypeScopedStorage : IGrainStorage
{
    private readonly IGrainStorage _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public GrainTypeScopedStorage(IGrainStorage inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>The name the inner storage sees for a state of a grain.</summary>
    public static string ScopedName(string stateName, GrainId grainId) => ScopedName(stateName, grainId.Type);

    /// <summary>The name the inner storage sees for a state of the grains of a type.</summary>
    public static string ScopedName(string stateName, GrainType grainType) => $"{grainType}/{stateName}";

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ReadStateAsync(ScopedName(stateName, grainId), grainId, grainState);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.ReadStateAsync(ScopedName(stateName, grainId), grainId, grainState, cancellationToken);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.WriteStateAsync(ScopedName(stateName, grainId), grainId, grainState);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.WriteStateAsync(ScopedName(stateName, grainId), grainId, grainState, cancellationToken);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ClearStateAsync(ScopedName(stateName, grainId), grainId, grainState);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.ClearStateAsync(ScopedName(stateName, grainId), grainId, grainState, cancellationToken);
}
