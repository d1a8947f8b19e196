using Microsoft.Extensions.DependencyInjection;
using Orleans.Core;
using Orleans.Storage;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// An entity grain's stored state, read and written by Orleans' own <see cref="StateStorageBridge{TState}"/> (the same
/// provider, serializer, etags, errors and storage metrics as a <c>[PersistentState]</c> facet), read by the grain as it
/// activates instead of by a lifecycle observer.
/// </summary>
/// <remarks>
/// A <c>[PersistentState]</c> facet subscribes to its activation's lifecycle and registers itself for migration, so
/// Orleans keeps a lifecycle for every activation: the lifecycle with its lock, its observer list and array, a migration
/// participant list and array, an observer per facet (cities have two), and the facet itself beside the bridge. A heap
/// dump at 100,000 entities charged about 330 bytes an activation to them, 33 MB. Entities never migrate (no activation
/// rebalancing is configured, and a silo going down hands nothing over: the next activation reads the stored state and
/// replays the journal), so what the facet adds is only the read at activation, which the grain does itself.
/// </remarks>
internal static class EntityStorage
{
    /// <summary>The state stored under <paramref name="stateName"/> for the activation; nothing is read yet.</summary>
    public static IStorage<TState> Open<TState>(IGrainContext context, string stateName) =>
        Open<TState>(context, stateName, RiskMeshStorage.Name);

    /// <summary>The state stored under <paramref name="stateName"/> in the named grain storage; nothing is read yet.</summary>
    public static IStorage<TState> Open<TState>(IGrainContext context, string stateName, string storageName)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new StateStorageBridge<TState>(stateName, context, context.ActivationServices.GetRequiredKeyedService<IGrainStorage>(storageName));
    }
}
