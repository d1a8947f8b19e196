using System.Collections.Immutable;
using Orleans.Concurrency;

namespace RiskMesh.Abstractions;

/// <summary>What every risk-bearing entity answers: its view, its history, and the journal events that concern it.</summary>
[Alias("riskmesh.IRiskEntityGrain")]
public interface IRiskEntityGrain : IGrainWithStringKey
{
    /// <summary>
    /// Folds in journal events (idempotent by sequence number) and propagates the change downstream; answers how many
    /// of them replaced an earlier report of the same key (entity, type, date, source), and warnings about them.
    /// </summary>
    [Alias("Apply")]
    Task<ApplyOutcome> Apply(ImmutableArray<JournalEntry> entries);

    /// <summary>The entity's risk as of the clock's day.</summary>
    [Alias("GetView")]
    Task<RiskView> GetView();

    /// <summary>
    /// The same view as the HTTP API's JSON, in UTF-8: the bytes the grain keeps while nothing the view depends on
    /// moves, so a read of an unchanged entity costs neither an assessment nor a serialisation.
    /// </summary>
    [Alias("GetViewJson")]
    Task<RiskViewJson> GetViewJson();

    /// <summary>One point a day between two dates, inclusive.</summary>
    [Alias("GetHistory")]
    Task<ImmutableArray<HistoryPointView>> GetHistory(DateOnly from, DateOnly to);

    /// <summary>Per-day summaries for downstream entities, inclusive range of day numbers. Interleaves, because a downstream entity may ask while this one is waiting on it.</summary>
    [Alias("GetUpstreamDays"), AlwaysInterleave]
    Task<ImmutableArray<UpstreamDay>> GetUpstreamDays(int fromDay, int toDay);

    /// <summary>The view RiskMesh gave at the end of a day, from the events known then (their batch accepted on or before it).</summary>
    [Alias("GetViewAsKnownOn")]
    Task<RiskView> GetViewAsKnownOn(DateOnly knownOn);

    /// <summary>One point a day between two dates, inclusive, from the events known on a day.</summary>
    [Alias("GetHistoryAsKnownOn")]
    Task<ImmutableArray<HistoryPointView>> GetHistoryAsKnownOn(DateOnly from, DateOnly to, DateOnly knownOn);

    /// <summary>Per-day summaries for downstream entities from the events known on a day (day numbers).</summary>
    [Alias("GetUpstreamDaysAsKnownOn"), AlwaysInterleave]
    Task<ImmutableArray<UpstreamDay>> GetUpstreamDaysAsKnownOn(int fromDay, int toDay, int knownOnDay);

    /// <summary>
    /// Makes the topology this entity's silo reads at least <paramref name="topologyVersion"/>, so that a city
    /// re-evaluated after a replacement reads, through it, values computed with the new topology (each process trusts
    /// its copy for a few seconds). Interleaves: it changes no state, and the city asks while this entity may be waiting on it.
    /// </summary>
    [Alias("FollowTopology"), AlwaysInterleave]
    Task FollowTopology(long topologyVersion);
}

/// <summary>
/// What the silo's checkpoint schedule asks of an entity grain (country, port or city) that has something unsaved: a
/// grain-level call, not part of the API.
/// </summary>
[Alias("riskmesh.IEntityCheckpoint")]
public interface IEntityCheckpoint : IGrainWithStringKey
{
    /// <summary>Writes the entity's state if it holds anything unsaved; one-way, since nobody waits for it.</summary>
    [Alias("Checkpoint"), OneWay]
    Task Checkpoint();
}

/// <summary>A bordering (or any) country, keyed by its ISO 3166-1 alpha-2 code.</summary>
[Alias("riskmesh.ICountryGrain")]
public interface ICountryGrain : IRiskEntityGrain
{
    /// <summary>A port asks to be told when this country's risk changes (for instance because travellers arrive from it).</summary>
    [Alias("Subscribe"), OneWay]
    Task Subscribe(string portId);
}

/// <summary>A port of entry, keyed by its slug.</summary>
[Alias("riskmesh.IPortGrain")]
public interface IPortGrain : IRiskEntityGrain
{
    /// <summary>
    /// An origin country's risk changed from a day on; today's summary is included. Awaited, not one-way: the change
    /// reaches the port (and its city) before the ingest that caused it is acknowledged, so a read right after sees it.
    /// </summary>
    [Alias("OnCountryChanged")]
    Task OnCountryChanged(string countryCode, int fromDay, UpstreamDay today);

    /// <summary>
    /// The port's current view, answered even while the port waits on its city: the city asks for it while evaluating
    /// (a port-above-city notice speaks of the port), possibly during the port's own push to that city.
    /// </summary>
    [Alias("GetViewInterleaved"), AlwaysInterleave]
    Task<RiskView> GetViewInterleaved();

    /// <summary>
    /// The port's score today and its drivers, as its current view has them, answered while the port waits on its
    /// city (as <see cref="GetViewInterleaved"/>). One assessment of today, not the view's week: a city asks for it
    /// with each port-above-city notice, in the middle of an ingest.
    /// </summary>
    [Alias("GetStandingInterleaved"), AlwaysInterleave]
    Task<Standing> GetStandingInterleaved();
}

/// <summary>A border city, keyed by its slug.</summary>
[Alias("riskmesh.ICityGrain")]
public interface ICityGrain : IRiskEntityGrain
{
    /// <summary>One of the city's ports changed from a day on; today's summary is included. Awaited, like <see cref="IPortGrain.OnCountryChanged"/>.</summary>
    [Alias("OnPortChanged")]
    Task OnPortChanged(string portId, int fromDay, UpstreamDay today);

}

/// <summary>Validates, journals and applies ingest batches; one per silo, stateless.</summary>
[Alias("riskmesh.IIngestGrain")]
public interface IIngestGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Validates the whole batch, appends the new events to the durable journal and applies them; answers only when both
    /// are done. The body is never changed by either side, so a call within a silo hands over the array instead of
    /// copying it (a batch is about 200 KB).
    /// </summary>
    [Alias("Ingest")]
    Task<IngestResult> Ingest([Immutable] byte[] body, IngestFormat format);

    /// <summary>
    /// Validates the batch as <see cref="Ingest"/> does (topology, dates against the clock, duplicates and conflicts
    /// against the ids already journaled) and answers what an ingest would accept, writing nothing.
    /// </summary>
    [Alias("Check")]
    Task<IngestResult> Check([Immutable] byte[] body, IngestFormat format);
}

/// <summary>The one clock of the system: live (wall clock) or replay (set by an operator), durable.</summary>
[Alias("riskmesh.IClockGrain")]
public interface IClockGrain : IGrainWithIntegerKey
{
    /// <summary>The clock's state.</summary>
    [Alias("Get")]
    Task<ClockState> Get();

    /// <summary>Enters replay mode at a date, or returns to live mode when the date is null.</summary>
    [Alias("Set")]
    Task<ClockState> Set(DateOnly? replayDate);

    /// <summary>
    /// Registers an observer told each time the clock is set (an API node's notice streams, so their subscribers learn
    /// that the clock's day moved); call again within five minutes to stay subscribed.
    /// </summary>
    [Alias("SubscribeMoves")]
    Task SubscribeMoves(IClockObserver observer);

    /// <summary>Removes an observer.</summary>
    [Alias("UnsubscribeMoves")]
    Task UnsubscribeMoves(IClockObserver observer);
}

/// <summary>Told when the clock is set (the API tier's notice hub).</summary>
[Alias("riskmesh.IClockObserver")]
public interface IClockObserver : IGrainObserver
{
    /// <summary>The clock was set; its state now (the day may be the one it had before).</summary>
    [Alias("OnClockSet"), OneWay]
    Task OnClockSet(ClockState state);
}

/// <summary>The clock's mode and current day.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.ClockState")]
public sealed record ClockState(string Mode, DateOnly Date, long Version);

/// <summary>The topology in force, durable and editable.</summary>
[Alias("riskmesh.ITopologyGrain")]
public interface ITopologyGrain : IGrainWithIntegerKey
{
    /// <summary>The topology as JSON with its version; the default on first use.</summary>
    [Alias("Get")]
    Task<TopologySnapshot> Get();

    /// <summary>
    /// The topology as <see cref="Get"/> answers it, or null when its version is still <paramref name="knownVersion"/>:
    /// what a process asks every few seconds, so a current copy costs no transfer of a topology that may be megabytes.
    /// </summary>
    [Alias("GetIfChanged")]
    Task<TopologySnapshot?> GetIfChanged(long knownVersion);

    /// <summary>Replaces the topology (already validated by the caller).</summary>
    [Alias("Replace")]
    Task<TopologySnapshot> Replace(string json);

    /// <summary>
    /// Replaces the topology only if it is still at <paramref name="expectedVersion"/>, the version the caller checked
    /// the replacement against (what it removes, which cities it changes); null, replacing nothing, when another
    /// replacement came first.
    /// </summary>
    [Alias("ReplaceAt")]
    Task<TopologySnapshot?> ReplaceAt(long expectedVersion, string json);
}

/// <summary>A version of the topology, as JSON.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.TopologySnapshot")]
public sealed record TopologySnapshot(long Version, string Json);

/// <summary>Keeps every entity's latest score so rankings need not visit every grain.</summary>
[Alias("riskmesh.IRankingGrain")]
public interface IRankingGrain : IGrainWithStringKey
{
    /// <summary>Records an entity's latest summary.</summary>
    [Alias("Report"), OneWay]
    Task Report(RankingEntry entry, int dayNumber);

    /// <summary>Notes that an entity changed, so its entry is recomputed from its grain before the next ranking.</summary>
    [Alias("MarkStale"), OneWay]
    Task MarkStale(string id);

    /// <summary>Notes that entities changed (<see cref="MarkStale"/> for each, in one call).</summary>
    [Alias("MarkStaleMany"), OneWay]
    Task MarkStaleMany(ImmutableArray<string> ids);

    /// <summary>The top entries by score, highest first; entities without a score come last.</summary>
    [Alias("Top")]
    Task<ImmutableArray<RankingEntry>> Top(int limit);

    /// <summary>
    /// The top entries as RiskMesh would have ranked them at the end of <paramref name="knownOn"/>: every entity of the
    /// kind (the topology's and any other the ranking lists) evaluated as known on that day, in the order of
    /// <see cref="Top"/>. Slower than <see cref="Top"/> (every entity is asked), and interleaved with it, so today's
    /// rankings never wait for a past day's.
    /// </summary>
    [Alias("TopAsKnownOn"), AlwaysInterleave]
    Task<ImmutableArray<RankingEntry>> TopAsKnownOn(int limit, DateOnly knownOn);
}

/// <summary>Names of singleton grains.</summary>
public static class GrainKeys
{
    /// <summary>The key of every singleton grain.</summary>
    public const long Singleton = 0;
}
