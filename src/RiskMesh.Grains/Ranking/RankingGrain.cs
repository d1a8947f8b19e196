using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Time;

namespace RiskMesh.Grains.Ranking;

/// <summary>A ranked entity's latest summary and the day it was computed for.</summary>
internal sealed class RankingRecord
{
    /// <summary>The entry.</summary>
    public RankingEntry Entry { get; set; } = new("", "", "", null, "insufficient-data", "unknown");

    /// <summary>Day number the entry was computed for.</summary>
    public int Day { get; set; }

    /// <summary>True when the entity changed since the entry was computed.</summary>
    public bool Stale { get; set; }

    /// <summary>
    /// Which fields the entry was taken with: an entry stored before a field was added (0, before a country's weekly
    /// cases; 1, with the growth ratio they replaced; 2, before the day those weeks end on) is taken anew once, since a
    /// missing field and a field that is absent by right read the same.
    /// </summary>
    public int Shape { get; set; }

    /// <summary>The <see cref="Shape"/> of entries taken now.</summary>
    public const int CurrentShape = 3;
}

/// <summary>The ranking's stored form.</summary>
internal sealed class RankingState
{
    /// <summary>Records by entity id.</summary>
    public Dictionary<string, RankingRecord> Entries { get; set; } = [];
}

/// <summary>
/// One per entity kind (and one for provinces, ranked from the city ranking's entries): the latest score each entity reported, so a ranking need not visit every grain. Entries
/// computed for an earlier day than the clock's are refreshed from their grains before they are ranked. The country
/// ranking holds every country of the topology, as the port and city rankings do after the daily evaluation, and any
/// other country an event named.
/// </summary>
internal sealed class RankingGrain(
    [PersistentState("ranking", RiskMeshStorage.Name)] IPersistentState<RankingState> state,
    RiskClock clock,
    TopologyCatalog topology) : Grain, IRankingGrain
{
    private const int RefreshCallsInFlight = 64;

    /// <summary>
    /// Views as known on a past day asked at once by <see cref="TopAsKnownOn"/>: each reads its ledger and its upstream
    /// entities' days as known then, far more than a live view, so fewer than today's refresh, leaving the silo to
    /// today's reads.
    /// </summary>
    private const int PastCallsInFlight = 16;
    private bool _dirty;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(SaveIfDirty, new GrainTimerCreationOptions(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)) { KeepAlive = false });
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await SaveIfDirty(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public Task Report(RankingEntry entry, int dayNumber)
    {
        state.State.Entries[entry.Id] = new RankingRecord { Entry = entry, Day = dayNumber, Shape = RankingRecord.CurrentShape };
        _dirty = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MarkStale(string id)
    {
        Mark(id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task MarkStaleMany(ImmutableArray<string> ids)
    {
        foreach (var id in ids)
        {
            Mark(id);
        }

        return Task.CompletedTask;
    }

    private void Mark(string id)
    {
        if (state.State.Entries.TryGetValue(id, out var record))
        {
            record.Stale = true;
        }
        else
        {
            state.State.Entries[id] = new RankingRecord { Entry = new RankingEntry(id, this.GetPrimaryKeyString(), id, null, "insufficient-data", "unknown"), Stale = true };
        }

        _dirty = true;
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<RankingEntry>> Top(int limit)
    {
        if (this.GetPrimaryKeyString() == RankingEntry.ProvinceKind)
        {
            // Provinces keep no entries of their own: each is its riskiest city, read from the city ranking (refreshed
            // there), so a province never says other than its city (the console ranked them itself: newcomer 23a L1).
            var cities = await GrainFactory.GetGrain<IRankingGrain>("city").Top(int.MaxValue);
            return [.. RankingEntry.RankedProvinces(await topology.CurrentAsync(), cities).Take(limit)];
        }

        var today = (await clock.TodayAsync()).DayNumber;
        if (this.GetPrimaryKeyString() == "country")
        {
            // A country no event named and no port's evaluation reported was not listed: the ranking showed the 3 of 15
            // neighbours with reports and hid the others, where the port ranking lists all 85 (newcomer 19, M5). Each
            // is taken from its grain below, insufficient data until a report reaches it.
            foreach (var country in (await topology.CurrentAsync()).Countries)
            {
                if (!state.State.Entries.ContainsKey(country.Code))
                {
                    Mark(country.Code);
                }
            }
        }

        // An entry stored before entries carried the response level (a city's), the data quality or a country's cases
        // growth has none: it is taken anew once, rather than a score resting on defaults reading as resting on reports.
        var stale = state.State.Entries.Values
            .Where(r => r.Stale || r.Day != today || r.Shape < RankingRecord.CurrentShape || r.Entry.DataQuality is null || (r.Entry.Kind == "city" && r.Entry.ResponseLevel is null))
            .Select(r => r.Entry)
            .ToList();
        var refreshed = await BoundedCalls.SelectAsync(stale, RefreshCallsInFlight, async entry =>
        {
            var view = await ViewOf(entry.Id, null);
            return new RankingRecord { Entry = RankingEntry.Of(view), Day = view.AsOf.DayNumber, Shape = RankingRecord.CurrentShape };
        });
        foreach (var record in refreshed)
        {
            state.State.Entries[record.Entry.Id] = record;
            _dirty = true;
        }

        return [.. RankingEntry.Ranked(state.State.Entries.Values.Select(r => r.Entry)).Take(limit)];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Nothing is kept: a day's answer changes while the clock can still come back to it (a batch accepted on the day
    /// again). The entities are the ones today's ranking lists and every one of the kind in the topology, each asked
    /// for its view as known on the day, <see cref="PastCallsInFlight"/> at a time.
    /// </remarks>
    public async Task<ImmutableArray<RankingEntry>> TopAsKnownOn(int limit, DateOnly knownOn)
    {
        var kind = this.GetPrimaryKeyString();
        var current = await topology.CurrentAsync();
        if (kind == RankingEntry.ProvinceKind)
        {
            // As today's: each province its riskiest city, from the cities as known on the day.
            var cities = await GrainFactory.GetGrain<IRankingGrain>("city").TopAsKnownOn(int.MaxValue, knownOn);
            return [.. RankingEntry.RankedProvinces(current, cities).Take(limit)];
        }

        IEnumerable<string> ofTopology = kind switch
        {
            "country" => current.Countries.Select(c => c.Code),
            "port" => current.Ports.Select(p => p.Id),
            _ => current.Cities.Select(c => c.Id),
        };
        var ids = state.State.Entries.Keys.Union(ofTopology, StringComparer.Ordinal).ToList();
        var entries = await BoundedCalls.SelectAsync(ids, PastCallsInFlight, async id => RankingEntry.Of(await ViewOf(id, knownOn)));
        return [.. RankingEntry.Ranked(entries).Take(limit)];
    }

    private Task<RiskView> ViewOf(string id, DateOnly? knownOn)
    {
        IRiskEntityGrain grain = this.GetPrimaryKeyString() switch
        {
            "country" => GrainFactory.GetGrain<ICountryGrain>(id),
            "port" => GrainFactory.GetGrain<IPortGrain>(id),
            _ => GrainFactory.GetGrain<ICityGrain>(id),
        };
        return knownOn is { } day ? grain.GetViewAsKnownOn(day) : grain.GetView();
    }

    private async Task SaveIfDirty(CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            _dirty = false;
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
