using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topology;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;

namespace RiskMesh.Grains.Entities;

/// <summary>Services every entity grain needs, bundled so the grains' constructors stay short.</summary>
public sealed class EntityServices(
    IngestJournal journal,
    RiskClock clock,
    TopologyCatalog topology,
    IOptions<RiskMeshGrainOptions> options,
    ILoggerFactory loggers)
{
    /// <summary>The ingest journal.</summary>
    public IngestJournal Journal { get; } = journal;

    /// <summary>The clock.</summary>
    public RiskClock Clock { get; } = clock;

    /// <summary>The topology.</summary>
    public TopologyCatalog Topology { get; } = topology;

    /// <summary>Options.</summary>
    public RiskMeshGrainOptions Options { get; } = options.Value;

    /// <summary>Loggers.</summary>
    public ILoggerFactory Loggers { get; } = loggers;
}

/// <summary>
/// The shared life of an entity grain: fold journal events into the ledger, checkpoint now and then, replay the
/// journal tail on activation, answer views and history through the pure model, and tell downstream entities.
/// </summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
public abstract partial class RiskEntityGrain<TLedger> : Grain, IRiskEntityGrain
    where TLedger : Ledger, new()
{
    private readonly IPersistentState<EntityState<TLedger>> _state;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Dictionary<int, UpstreamValue>> _upstream = new(StringComparer.Ordinal);
    private long _persistedReplayFrom;
    private bool _dirty;
    private int _foldedSinceCheckpoint;
    private long _upstreamVersion;
    private (long Ledger, long Upstream, int Day, long Topology, RiskView View)? _viewCache;
    private (double? Score, string Level, int Day)? _lastRanked;

    /// <summary>Creates the grain.</summary>
    protected RiskEntityGrain(IPersistentState<EntityState<TLedger>> state, EntityServices services)
    {
        _state = state;
        Services = services;
        _logger = services.Loggers.CreateLogger(GetType());
    }

    /// <summary>Shared services.</summary>
    protected EntityServices Services { get; }

    /// <summary>The model's options.</summary>
    protected ScoringOptions Model => Services.Options.Scoring;

    /// <summary>The entity kind.</summary>
    protected abstract EntityKind Kind { get; }

    /// <summary>The grain's key: ISO code or slug.</summary>
    protected string Id => this.GetPrimaryKeyString();

    /// <summary>The ledger.</summary>
    protected TLedger Ledger => _state.State.Ledger;

    /// <summary>The persisted state.</summary>
    protected EntityState<TLedger> State => _state.State;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _persistedReplayFrom = _state.State.ReplayFrom;
        var tail = await Services.Journal.ReadEntityAsync(new EntityRef(Kind, Id).ToString(), _persistedReplayFrom, cancellationToken);
        RiskMeshMetrics.EntityActivations.Add(1, RiskMeshMetrics.Tag("kind", Kind.ToString()));
        RiskMeshMetrics.JournalReplayed.Record(tail.Length);
        if (tail.Length > 0)
        {
            Fold(tail, out _, out _);
            _dirty = true;
            LogReplayed(_logger, new EntityRef(Kind, Id).ToString(), tail.Length, _persistedReplayFrom);
        }

        var interval = Services.Options.CheckpointInterval;
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next((int)Math.Max(1, interval.TotalMilliseconds)));
        this.RegisterGrainTimer(CheckpointIfDirty, new GrainTimerCreationOptions(interval + jitter, interval) { KeepAlive = false });
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            try
            {
                // No retention work here: while a silo shuts down, other grains (the clock) may be gone already.
                await Checkpoint(maintainRetention: false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckpointFailed(_logger, ex, new EntityRef(Kind, Id).ToString());
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public async Task Apply(ImmutableArray<JournalEntry> entries)
    {
        var changed = Fold(entries, out var fromDay, out var belowFloor);
        if (!changed)
        {
            return;
        }

        _dirty = true;
        _foldedSinceCheckpoint += entries.Length;

        // An entry below the persisted replay floor would not be replayed after a crash: make it durable now.
        if (belowFloor || _foldedSinceCheckpoint >= Services.Options.CheckpointAfterEvents)
        {
            await Checkpoint();
        }

        await OnChangedAsync(fromDay);
    }

    /// <inheritdoc />
    public async Task<RiskView> GetView()
    {
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        await EnsureUpstreamAsync(topology, today - 6, today);
        if (_viewCache is { } cached && cached.Ledger == Ledger.Version && cached.Upstream == _upstreamVersion && cached.Day == today && cached.Topology == topology.GetHashCode())
        {
            return cached.View;
        }

        var (assessment, trend) = AssessWithTrend(topology, today);
        var view = ViewMapper.ToView(Id, Kind, NameOf(topology), assessment, trend);
        _viewCache = (Ledger.Version, _upstreamVersion, today, topology.GetHashCode(), view);
        ReportRanking(view, today);
        return view;
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<HistoryPointView>> GetHistory(DateOnly from, DateOnly to)
    {
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        var first = Math.Max(from.DayNumber, today - Model.HistoryDays);
        var last = Math.Min(to.DayNumber, today);
        var rawFrom = today - Model.RetentionDays;
        if (first > last)
        {
            return [];
        }

        await EnsureUpstreamAsync(topology, Math.Max(first, rawFrom), last);
        var points = ImmutableArray.CreateBuilder<HistoryPointView>();
        for (var day = first; day <= last; day++)
        {
            if (day < rawFrom)
            {
                if (Ledger.Archive.TryGetValue(day, out var archived))
                {
                    points.Add(new HistoryPointView(DateOnly.FromDayNumber(day), archived.Score, RiskNames.Of(archived.Level), archived.Metrics.ToImmutableDictionary()));
                }

                continue;
            }

            var assessment = Assess(topology, day);
            points.Add(new HistoryPointView(assessment.Date, assessment.Score, RiskNames.Of(assessment.Level), assessment.Metrics));
        }

        return points.ToImmutable();
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<UpstreamDay>> GetUpstreamDays(int fromDay, int toDay)
    {
        var topology = await Services.Topology.CurrentAsync();
        await EnsureUpstreamAsync(topology, fromDay, toDay);
        var days = ImmutableArray.CreateBuilder<UpstreamDay>(Math.Max(0, toDay - fromDay + 1));
        for (var day = fromDay; day <= toDay; day++)
        {
            days.Add(ToUpstream(Assess(topology, day)));
        }

        return days.MoveToImmutable();
    }

    /// <summary>Assesses the entity on a day (upstream values already ensured).</summary>
    protected abstract Assessment Assess(ScoringTopology topology, int day);

    /// <summary>Assesses the entity on a day with the week's trend (upstream values already ensured).</summary>
    protected abstract (Assessment Assessment, Trend Trend) AssessWithTrend(ScoringTopology topology, int day);

    /// <summary>The entity's display name.</summary>
    protected abstract string NameOf(ScoringTopology topology);

    /// <summary>The upstream entities whose per-day values this entity reads, for <see cref="PullUpstreamAsync"/>.</summary>
    protected virtual IEnumerable<string> UpstreamSources(ScoringTopology topology) => [];

    /// <summary>Reads an upstream source's values for a range of days.</summary>
    protected virtual Task<ImmutableArray<UpstreamDay>> PullUpstreamAsync(string source, int fromDay, int toDay) =>
        Task.FromResult(ImmutableArray<UpstreamDay>.Empty);

    /// <summary>Tells downstream entities that this one changed from a day on.</summary>
    protected abstract Task OnChangedAsync(int fromDay);

    /// <summary>A cached upstream value, or null.</summary>
    protected UpstreamValue? UpstreamOn(string source, int day) =>
        _upstream.TryGetValue(source, out var days) && days.TryGetValue(day, out var value) ? value : null;

    /// <summary>An upstream entity changed from a day on: forget what is stale, and tell downstream if today moved.</summary>
    protected async Task OnUpstreamChangedAsync(string source, int fromDay, UpstreamDay today)
    {
        if (InvalidateUpstream(source, fromDay, today))
        {
            await OnChangedAsync(fromDay);
        }
    }

    /// <summary>
    /// Forgets an upstream source's values from a day on and records today's; true when today's value changed, which
    /// is all this entity's own today depends on (so an unchanged today need not travel further downstream).
    /// </summary>
    private bool InvalidateUpstream(string source, int fromDay, UpstreamDay today)
    {
        var before = UpstreamOn(source, today.DayNumber);
        if (_upstream.TryGetValue(source, out var days))
        {
            foreach (var day in days.Keys.Where(d => d >= fromDay).ToList())
            {
                days.Remove(day);
            }
        }
        else
        {
            days = [];
            _upstream[source] = days;
        }

        var value = FromUpstream(today);
        days[today.DayNumber] = value;
        _upstreamVersion++;
        return before != value;
    }

    /// <summary>Writes the state now (for changes that are not journal events).</summary>
    protected Task WriteStateAsync() => _state.WriteStateAsync();

    /// <summary>The current day and this entity's summary on it.</summary>
    protected async Task<(int Today, UpstreamDay Summary, ScoringTopology Topology)> TodaySummaryAsync()
    {
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        await EnsureUpstreamAsync(topology, today, today);
        var assessment = Assess(topology, today);
        return (today, ToUpstream(assessment), topology);
    }

    /// <summary>Reports the entity's current score to the ranking of its kind when it has moved.</summary>
    protected void ReportRanking(RiskView view, int today)
    {
        if (_lastRanked is { } last && last.Score == view.Score && last.Level == view.Level && last.Day == today)
        {
            return;
        }

        _lastRanked = (view.Score, view.Level, today);
        GrainFactory.GetGrain<IRankingGrain>(view.Kind)
            .Report(new RankingEntry(view.Id, view.Kind, view.Name, view.Score, view.Level, view.Trend), today)
            .Ignore();
    }

    /// <summary>Tells the ranking of this kind that the entity changed; it recomputes the entry when next asked.</summary>
    protected void MarkRankingStale()
    {
        _lastRanked = null;
        GrainFactory.GetGrain<IRankingGrain>(EntityRef.Prefix(Kind)).MarkStale(Id).Ignore();
    }

    private static UpstreamDay ToUpstream(Assessment assessment) =>
        new(assessment.Day, assessment.Score, RiskNames.Of(assessment.Level), assessment.PrevalencePerPerson, assessment.Metrics.GetValueOrDefault("importedCases14d"), assessment.Ascertainment, assessment.ExposureFloor);

    private static UpstreamValue FromUpstream(UpstreamDay day) =>
        new(day.Score, RiskNames.ParseLevel(day.Level), day.PrevalencePerPerson, day.ImportedCases14d, day.Ascertainment, day.ExposureFloor);

    private bool Fold(ImmutableArray<JournalEntry> entries, out int fromDay, out bool belowFloor)
    {
        var changed = false;
        fromDay = int.MaxValue;
        belowFloor = false;
        foreach (var entry in entries)
        {
            var riskEvent = EventParser.FromCanonical(entry.Payload);
            if (Ledger.Apply(riskEvent, entry.Seq))
            {
                changed = true;
                fromDay = Math.Min(fromDay, riskEvent.Date.DayNumber);
                belowFloor |= entry.Seq < _persistedReplayFrom;
            }
        }

        return changed;
    }

    /// <summary>Makes sure upstream values for a range of days are cached, pulling what is missing.</summary>
    protected async Task EnsureUpstreamAsync(ScoringTopology topology, int fromDay, int toDay)
    {
        foreach (var source in UpstreamSources(topology))
        {
            if (!_upstream.TryGetValue(source, out var days))
            {
                days = [];
                _upstream[source] = days;
            }

            var missingFrom = fromDay;
            while (missingFrom <= toDay && days.ContainsKey(missingFrom))
            {
                missingFrom++;
            }

            if (missingFrom > toDay)
            {
                continue;
            }

            var missingTo = toDay;
            while (missingTo > missingFrom && days.ContainsKey(missingTo))
            {
                missingTo--;
            }

            foreach (var value in await PullUpstreamAsync(source, missingFrom, missingTo))
            {
                days[value.DayNumber] = FromUpstream(value);
            }

            _upstreamVersion++;
        }
    }

    private async Task CheckpointIfDirty(CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await Checkpoint();
        }
    }

    private async Task Checkpoint(bool maintainRetention = true)
    {
        if (maintainRetention)
        {
            try
            {
                await MaintainRetentionAsync();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Archiving can wait for the next checkpoint; the state write must not.
                LogRetentionDeferred(_logger, ex, new EntityRef(Kind, Id).ToString());
            }
        }

        // The floor is read before the state is written: everything below it is already in this ledger.
        var floor = await Services.Journal.ReplayFloorAsync();
        _state.State.ReplayFrom = floor;
        await _state.WriteStateAsync();
        RiskMeshMetrics.EntityCheckpoints.Add(1, RiskMeshMetrics.Tag("kind", Kind.ToString()));
        _persistedReplayFrom = floor;
        _dirty = false;
        _foldedSinceCheckpoint = 0;
    }

    /// <summary>Archives one point a day for days leaving the retention horizon, then drops their raw records.</summary>
    private async Task MaintainRetentionAsync()
    {
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var cutoff = today - Model.RetentionDays;
        var oldestRaw = Ledger.LastReportDay(int.MaxValue) is null ? (int?)null : OldestRawDay();
        if (oldestRaw is not { } oldest || oldest >= cutoff - 28)
        {
            return;
        }

        var topology = await Services.Topology.CurrentAsync();
        var archiveFrom = Ledger.Archive.Count == 0 ? oldest : Math.Max(oldest, Ledger.Archive.Keys.Max() + 1);
        await EnsureUpstreamAsync(topology, archiveFrom, cutoff - 1);
        for (var day = archiveFrom; day < cutoff; day++)
        {
            var assessment = Assess(topology, day);
            Ledger.Archive[day] = new HistoryPoint { Score = assessment.Score, Level = assessment.Level, Metrics = assessment.Metrics.ToDictionary() };
        }

        foreach (var day in Ledger.Archive.Keys.Where(d => d < today - Model.HistoryDays).ToList())
        {
            Ledger.Archive.Remove(day);
        }

        // Windows reach 28 days back, so raw records are kept that much beyond the horizon.
        Ledger.PruneBefore(cutoff - 28);
    }

    private int OldestRawDay() => Ledger switch
    {
        CountryLedger country => country.Reports.Values.Select(r => r.Day).Concat(country.Intel.Values.Select(r => r.Day)).DefaultIfEmpty(int.MaxValue).Min(),
        SiteLedger site => site.Cases.Values.Select(r => r.Day).Concat(site.Traffic.Values.Select(r => r.Day)).Concat(site.Intel.Values.Select(r => r.Day)).DefaultIfEmpty(int.MaxValue).Min(),
        _ => int.MaxValue,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Entity} could not checkpoint on deactivation; the journal still holds its events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} deferred archiving old days to its next checkpoint")]
    private static partial void LogRetentionDeferred(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} replayed {Count} journal entries from seq {From}")]
    private static partial void LogReplayed(ILogger logger, string entity, int count, long from);
}
