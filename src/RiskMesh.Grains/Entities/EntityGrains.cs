using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Grains.Entities;

/// <summary>Finds the grain of an entity reference, and has entities fold journal entries with a cap on calls in flight.</summary>
internal static class EntityGrains
{
    /// <summary>The grain that folds in an entity's events.</summary>
    public static IRiskEntityGrain Of(IGrainFactory grains, EntityRef entity) => entity.Kind switch
    {
        EntityKind.Country => GrainRefs.Get<ICountryGrain>(grains, entity.Id),
        EntityKind.Port => GrainRefs.Get<IPortGrain>(grains, entity.Id),
        EntityKind.City => GrainRefs.Get<ICityGrain>(grains, entity.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity.Kind, "no grain folds events for this kind"),
    };

    /// <summary>
    /// Has each entity fold its entries, at most <paramref name="inFlight"/> calls at a time; answers how many entries
    /// replaced an earlier report of the same key, and the entities' warnings about entries.
    /// </summary>
    public static async Task<ApplyOutcome> ApplyAsync(IGrainFactory grains, IReadOnlyList<(string Entity, ImmutableArray<JournalEntry> Entries)> work, int inFlight)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var outcomes = await Task.WhenAll(work.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                EntityRef.TryParse(item.Entity, out var entity);
                return await Of(grains, entity).Apply(item.Entries);
            }
            finally
            {
                gate.Release();
            }
        }));
        return new ApplyOutcome(outcomes.Sum(o => o.Replaced), [.. outcomes.SelectMany(o => o.Warnings)]);
    }
}
