using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>The small parts an entity grain composes, each on its own: upstream cache, checkpoint policy, journal ledgers.</summary>
public sealed class EntityPartsTests
{
    [Fact]
    public async Task UpstreamCache_Ensure_PullsOnlyTheMissingDaysOnce()
    {
        var cache = new UpstreamCache();
        var pulls = new List<(string Source, int From, int To)>();
        Task<ImmutableArray<UpstreamDay>> Pull(string source, int from, int to)
        {
            pulls.Add((source, from, to));
            return Task.FromResult(Enumerable.Range(from, to - from + 1).Select(d => new UpstreamDay(d, d, "low", 0.001)).ToImmutableArray());
        }

        await cache.EnsureAsync(["RU"], 10, 20, Pull);
        await cache.EnsureAsync(["RU"], 15, 25, Pull);
        await cache.EnsureAsync(["RU"], 12, 18, Pull);

        Assert.Equal([("RU", 10, 20), ("RU", 21, 25)], pulls);
        Assert.Equal(17, cache.On("RU", 17)!.Value.Score);
        Assert.Null(cache.On("RU", 26));
        Assert.Null(cache.On("MN", 17));
    }

    [Fact]
    public async Task UpstreamCache_Invalidate_ForgetsFromTheDayAndTellsWhetherTodayChanged()
    {
        var cache = new UpstreamCache();
        await cache.EnsureAsync(["RU"], 1, 10, (_, from, to) => Task.FromResult(Enumerable.Range(from, to - from + 1).Select(d => new UpstreamDay(d, 40, "moderate", null)).ToImmutableArray()));
        var version = cache.Version;

        var unchanged = cache.Invalidate("RU", 5, new UpstreamDay(10, 40, "moderate", null));
        var changed = cache.Invalidate("RU", 5, new UpstreamDay(10, 60, "high", null));

        Assert.False(unchanged);
        Assert.True(changed);
        Assert.True(cache.Version > version);
        Assert.NotNull(cache.On("RU", 4));
        Assert.Null(cache.On("RU", 5));
        Assert.Equal(60, cache.On("RU", 10)!.Value.Score);
    }

    [Fact]
    public void CheckpointPolicy_AfterEnoughEventsOrBelowTheFloor_CheckpointsNow()
    {
        var policy = new CheckpointPolicy(afterEvents: 10);
        policy.Loaded(replayFrom: 100);

        Assert.False(policy.Dirty);
        Assert.False(policy.Folded(4, belowFloor: false));
        Assert.True(policy.Dirty);
        Assert.True(policy.Folded(6, belowFloor: false));
        policy.Checkpointed(replayFrom: 120);
        Assert.False(policy.Dirty);
        Assert.Equal(120, policy.PersistedReplayFrom);
        Assert.True(policy.IsBelowFloor(119));
        Assert.False(policy.IsBelowFloor(120));
        Assert.True(policy.Folded(1, belowFloor: true));
    }

    [Fact]
    public void JournalLedgers_Fold_AppliesInSequenceSoTheLaterRevisionWins()
    {
        var first = EventParser.ToCanonical(new CountryCasesEvent { Id = "a", Source = "jhu", Country = "RU", Date = new(2020, 4, 1), CumulativeCases = 100 });
        var revision = EventParser.ToCanonical(new CountryCasesEvent { Id = "b", Source = "jhu", Country = "RU", Date = new(2020, 4, 1), CumulativeCases = 150 });

        var ledger = JournalLedgers<CountryLedger>.Fold([new JournalEntry(1, first), new JournalEntry(2, revision)]);

        Assert.Equal(150, Assert.Single(ledger.Reports.Values).CumulativeCases);
        Assert.True(ledger.Revised);
    }
}
