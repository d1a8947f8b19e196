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
    /// replaced an earlier report of the same key, and the entities' warnings about entries. Cities fold theirs after
    /// the batch's countries and ports have folded and pushed what changed to them (each push is awaited within its
    /// entity's call), so a city decides its own reports with its ports' new scores: a batch of a port's cases and its
    /// city's capacity report told the testing shortfall at level 1 and, a moment later, escalated the city to level 3
    /// for the same day (newcomer 22a, M2). Every notice the city's own reports issue now states the level the batch
    /// leaves it at.
    /// </summary>
    public static async Task<ApplyOutcome> ApplyAsync(IGrainFactory grains, IReadOnlyList<(string Entity, ImmutableArray<JournalEntry> Entries)> work, int inFlight)
    {
        var upstream = new List<(EntityRef Entity, ImmutableArray<JournalEntry> Entries)>(work.Count);
        var cities = new List<(EntityRef Entity, ImmutableArray<JournalEntry> Entries)>();
        foreach (var (id, entries) in work)
        {
            EntityRef.TryParse(id, out var entity);
            (entity.Kind == EntityKind.City ? cities : upstream).Add((entity, entries));
        }

        using var gate = new SemaphoreSlim(inFlight);
        var first = await ApplyEachAsync(grains, upstream, gate);
        var then = cities.Count == 0 ? [] : await ApplyEachAsync(grains, cities, gate);
        var outcomes = first.Concat(then).ToList();
        return new ApplyOutcome(outcomes.Sum(o => o.Replaced), [.. outcomes.SelectMany(o => o.Warnings)]);
    }

    private static Task<ApplyOutcome[]> ApplyEachAsync(IGrainFactory grains, List<(EntityRef Entity, ImmutableArray<JournalEntry> Entries)> work, SemaphoreSlim gate) =>
        Task.WhenAll(work.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await Of(grains, item.Entity).Apply(item.Entries);
            }
            finally
            {
                gate.Release();
            }
        }));
}
