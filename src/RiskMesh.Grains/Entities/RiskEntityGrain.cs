using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// The shared life of an entity grain, composed of small parts: it folds journal events into its ledger, checkpoints
/// when <see cref="CheckpointPolicy"/> says so (summarising old days first, <see cref="HistoryArchive"/>), replays the
/// journal tail on activation, reads upstream values through an <see cref="UpstreamCache"/>, and answers views,
/// history and upstream days from the live ledger or, as known on a day, from <see cref="JournalLedgers{TLedger}"/>.
/// </summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
public abstract partial class RiskEntityGrain<TLedger> : Grain, IRiskEntityGrain
    where TLedger : Ledger, new()
{
    private readonly IPersistentState<EntityState<TLedger>> _state;
    private readonly ILogger _logger;
    private readonly UpstreamCache _upstream = new();
    private readonly CheckpointPolicy _checkpoints;
    private JournalLedgers<TLedger>? _journalLedgers;
    private (long Ledger, long Upstream, int Day, ScoringTopology Topology, RiskView View)? _viewCache;
    private (double? Score, string Level, int Day)? _lastRanked;

    /// <summary>Creates the grain.</summary>
    protected RiskEntityGrain(IPersistentState<EntityState<TLedger>> state, EntityServices services)
    {
        _state = state;
        Services = services;
        _logger = services.Loggers.CreateLogger(GetType());
        _checkpoints = new CheckpointPolicy(services.Options.CheckpointAfterEvents);
    }

    /// <summary>Shared services.</summary>
    protected EntityServices Services { get; }

    /// <summary>The model's options.</summary>
    protected ScoringOptions Model => Services.Options.Scoring;

    /// <summary>The entity kind.</summary>
    protected abstract EntityKind Kind { get; }

    /// <summary>The grain's key: ISO code or slug.</summary>
    protected string Id => this.GetPrimaryKeyString();

    /// <summary>The live ledger: everything known now.</summary>
    protected TLedger Ledger => _state.State.Ledger;

    /// <summary>The persisted state.</summary>
    protected EntityState<TLedger> State => _state.State;

    private string Entity => new EntityRef(Kind, Id).ToString();

    private EntityReading<TLedger> Live => new(Ledger, _upstream, null);

    private JournalLedgers<TLedger> Journaled => _journalLedgers ??= new(Services.Journal, Entity);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Ledger.Upgrade();
        _checkpoints.Loaded(State.ReplayFrom);
        var tail = await Services.Journal.ReadEntityAsync(Entity, State.ReplayFrom, cancellationToken);
        RiskMeshMetrics.EntityActivations.Add(1, RiskMeshMetrics.Tag("kind", Kind.ToString()));
        RiskMeshMetrics.JournalReplayed.Record(tail.Length);
        if (tail.Length > 0)
        {
            await FoldAsync(tail);
            _checkpoints.MarkDirty();
            LogReplayed(_logger, Entity, tail.Length, State.ReplayFrom);
        }

        var interval = Services.Options.CheckpointInterval;
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next((int)Math.Max(1, interval.TotalMilliseconds)));
        this.RegisterGrainTimer(_ => _checkpoints.Dirty ? Checkpoint() : Task.CompletedTask, new GrainTimerCreationOptions(interval + jitter, interval) { KeepAlive = false });
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_checkpoints.Dirty)
        {
            try
            {
                // Nothing summarised here: while a silo shuts down, other grains (the clock, upstream) may be gone already.
                await Checkpoint(summarise: false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCheckpointFailed(_logger, ex, Entity);
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public async Task Apply(ImmutableArray<JournalEntry> entries)
    {
        var (changed, fromDay, belowFloor) = await FoldAsync(entries);
        if (!changed)
        {
            return;
        }

        if (_checkpoints.Folded(entries.Length, belowFloor))
        {
            await Checkpoint();
        }

        await OnChangedAsync(fromDay);
    }

    /// <inheritdoc />
    public Task<RiskView> GetView() => ViewAsync(null);

    /// <inheritdoc />
    public Task<RiskView> GetViewAsKnownOn(DateOnly knownOn) => ViewAsync(knownOn.DayNumber);

    /// <inheritdoc />
    public Task<ImmutableArray<HistoryPointView>> GetHistory(DateOnly from, DateOnly to) => HistoryAsync(from, to, null);

    /// <inheritdoc />
    public Task<ImmutableArray<HistoryPointView>> GetHistoryAsKnownOn(DateOnly from, DateOnly to, DateOnly knownOn) => HistoryAsync(from, to, knownOn.DayNumber);

    /// <inheritdoc />
    public Task<ImmutableArray<UpstreamDay>> GetUpstreamDays(int fromDay, int toDay) => UpstreamDaysAsync(fromDay, toDay, null);

    /// <inheritdoc />
    public Task<ImmutableArray<UpstreamDay>> GetUpstreamDaysAsKnownOn(int fromDay, int toDay, int knownOnDay) => UpstreamDaysAsync(fromDay, toDay, knownOnDay);

    /// <summary>Assesses the entity on a day from a reading (its upstream values already ensured).</summary>
    protected abstract Assessment Assess(EntityReading<TLedger> reading, ScoringTopology topology, int day);

    /// <summary>Assesses the entity on a day with the week's trend (upstream values already ensured).</summary>
    protected abstract (Assessment Assessment, Trend Trend) AssessWithTrend(EntityReading<TLedger> reading, ScoringTopology topology, int day);

    /// <summary>The entity's display name.</summary>
    protected abstract string NameOf(ScoringTopology topology);

    /// <summary>The upstream entities whose per-day values this entity reads with a ledger.</summary>
    protected virtual IEnumerable<string> UpstreamSources(TLedger ledger, ScoringTopology topology) => [];

    /// <summary>Reads an upstream source's values for a range of days, as known on a day when one is given.</summary>
    protected virtual Task<ImmutableArray<UpstreamDay>> PullUpstreamAsync(string source, int fromDay, int toDay, int? knownOnDay) =>
        Task.FromResult(ImmutableArray<UpstreamDay>.Empty);

    /// <summary>Tells downstream entities that this one changed from a day on.</summary>
    protected abstract Task OnChangedAsync(int fromDay);

    /// <summary>Assesses the live entity on a day (upstream values already ensured).</summary>
    protected Assessment Assess(ScoringTopology topology, int day) => Assess(Live, topology, day);

    /// <summary>A cached live upstream value, or null.</summary>
    protected UpstreamValue? UpstreamOn(string source, int day) => _upstream.On(source, day);

    /// <summary>Makes sure live upstream values for a range of days are cached, pulling what is missing.</summary>
    protected Task EnsureUpstreamAsync(ScoringTopology topology, int fromDay, int toDay) => EnsureUpstreamAsync(Live, topology, fromDay, toDay);

    /// <summary>
    /// An upstream entity changed from a day on: forget what is stale; downstream re-evaluates when today moved, and
    /// forgets the earlier days either way (they may have moved although today did not).
    /// </summary>
    protected async Task OnUpstreamChangedAsync(string source, int fromDay, UpstreamDay today)
    {
        _journalLedgers?.Forget();
        if (_upstream.Invalidate(source, fromDay, today))
        {
            await OnChangedAsync(fromDay);
        }
        else
        {
            await OnPastChangedAsync(fromDay);
        }
    }

    /// <summary>Tells downstream entities that days from <paramref name="fromDay"/> on may have changed, but not today's value.</summary>
    protected virtual Task OnPastChangedAsync(int fromDay) => Task.CompletedTask;

    /// <summary>Writes the state now (for changes that are not journal events).</summary>
    protected Task WriteStateAsync() => _state.WriteStateAsync();

    /// <summary>The current day and this entity's summary on it.</summary>
    protected async Task<(int Today, UpstreamDay Summary, ScoringTopology Topology)> TodaySummaryAsync()
    {
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var days = await UpstreamDaysAsync(today, today, null);
        return (today, days[0], await Services.Topology.CurrentAsync());
    }

    /// <summary>Tells the ranking of this kind that the entity changed; it recomputes the entry when next asked.</summary>
    protected void MarkRankingStale()
    {
        _lastRanked = null;
        GrainFactory.GetGrain<IRankingGrain>(EntityRef.Prefix(Kind)).MarkStale(Id).Ignore();
    }

    private async Task<RiskView> ViewAsync(int? knownOn)
    {
        var today = knownOn ?? (await Services.Clock.TodayAsync()).DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        var reading = await ReadingAsync(knownOn, RiskDays.ViewReadsFrom(today));
        await EnsureUpstreamAsync(reading, topology, today - RiskDays.TrendDays, today);
        var live = ReferenceEquals(reading.Upstream, _upstream);
        if (live && _viewCache is { } cached && cached.Ledger == Ledger.Version && cached.Upstream == _upstream.Version && cached.Day == today && ReferenceEquals(cached.Topology, topology))
        {
            return cached.View;
        }

        var (assessment, trend) = AssessWithTrend(reading, topology, today);
        var view = ViewMapper.ToView(Id, Kind, NameOf(topology), assessment, trend);
        if (live)
        {
            _viewCache = (Ledger.Version, _upstream.Version, today, topology, view);
            ReportRanking(view, today);
        }

        return view;
    }

    private async Task<ImmutableArray<HistoryPointView>> HistoryAsync(DateOnly from, DateOnly to, int? knownOn)
    {
        var today = knownOn ?? (await Services.Clock.TodayAsync()).DayNumber;
        if (RiskDays.HistoryRange(from, to, today, Model.HistoryDays) is not var (first, last))
        {
            return [];
        }

        // Days whose raw records were pruned come from the archive while it has them; otherwise (as known on a day, or
        // the clock moved back past the archive) every day is computed, from the journal when the ledger lacks records.
        var rawFirst = knownOn is null && Ledger.RawFrom is { } rawFrom ? Math.Max(first, rawFrom) : first;
        if (Enumerable.Range(first, rawFirst - first).Any(day => !Ledger.Archive.ContainsKey(day)))
        {
            rawFirst = first;
        }

        var topology = await Services.Topology.CurrentAsync();
        var reading = await ReadingAsync(knownOn, RiskDays.AssessmentReadsFrom(rawFirst));
        await EnsureUpstreamAsync(reading, topology, rawFirst, last);
        var points = ImmutableArray.CreateBuilder<HistoryPointView>(last - first + 1);
        for (var day = first; day <= last; day++)
        {
            if (day >= rawFirst)
            {
                points.Add(ViewMapper.ToPoint(day, HistoryPoint.Of(Assess(reading, topology, day))));
            }
            else if (Ledger.Archive.TryGetValue(day, out var archived))
            {
                points.Add(ViewMapper.ToPoint(day, archived));
            }
        }

        return points.ToImmutable();
    }

    private async Task<ImmutableArray<UpstreamDay>> UpstreamDaysAsync(int fromDay, int toDay, int? knownOn)
    {
        var topology = await Services.Topology.CurrentAsync();
        var reading = await ReadingAsync(knownOn, RiskDays.AssessmentReadsFrom(fromDay));
        await EnsureUpstreamAsync(reading, topology, fromDay, toDay);
        var days = ImmutableArray.CreateBuilder<UpstreamDay>(Math.Max(0, toDay - fromDay + 1));
        for (var day = fromDay; day <= toDay; day++)
        {
            days.Add(UpstreamCache.ToUpstream(Assess(reading, topology, day)));
        }

        return days.MoveToImmutable();
    }

    // The live ledger answers unless the read is as known on a day or needs records it pruned (the clock moved far back).
    private async Task<EntityReading<TLedger>> ReadingAsync(int? knownOn, int readsFrom) =>
        knownOn is null && !HistoryArchive.ReadsPrunedRecords(Ledger, readsFrom) ? Live : await Journaled.GetAsync(knownOn, Ledger.Version);

    private Task EnsureUpstreamAsync(EntityReading<TLedger> reading, ScoringTopology topology, int fromDay, int toDay) =>
        fromDay > toDay ? Task.CompletedTask : reading.Upstream.EnsureAsync(UpstreamSources(reading.Ledger, topology), fromDay, toDay, (source, from, to) => PullUpstreamAsync(source, from, to, reading.KnownOn));

    private void ReportRanking(RiskView view, int today)
    {
        if (_lastRanked is { } last && last.Score == view.Score && last.Level == view.Level && last.Day == today)
        {
            return;
        }

        _lastRanked = (view.Score, view.Level, today);
        GrainFactory.GetGrain<IRankingGrain>(view.Kind).Report(new RankingEntry(view.Id, view.Kind, view.Name, view.Score, view.Level, view.Trend), today).Ignore();
    }

    private async Task<(bool Changed, int FromDay, bool BelowFloor)> FoldAsync(IReadOnlyList<JournalEntry> entries)
    {
        var (changed, fromDay, belowFloor) = (false, int.MaxValue, false);
        foreach (var entry in entries)
        {
            var riskEvent = EventParser.FromCanonical(entry.Payload);
            if (Ledger.Apply(riskEvent, entry.Seq))
            {
                (changed, fromDay) = (true, Math.Min(fromDay, riskEvent.Date.DayNumber));
                belowFloor |= _checkpoints.IsBelowFloor(entry.Seq);
            }
        }

        // An event for a summarised day makes its archived points stale: the whole ledger comes back from the journal
        // (which holds every accepted event) and is summarised again at the next checkpoint.
        if (changed && HistoryArchive.IsSummarised(Ledger, fromDay))
        {
            var whole = JournalLedgers<TLedger>.Fold(await Services.Journal.ReadEntityAsync(Entity, 0));
            whole.Version = Ledger.Version + 1;
            State.Ledger = whole;
        }

        return (changed, fromDay, belowFloor);
    }

    private async Task Checkpoint(bool summarise = true)
    {
        if (summarise && HistoryArchive.Due(Ledger, Model.HistoryDays) is { } due)
        {
            try
            {
                var topology = await Services.Topology.CurrentAsync();
                await EnsureUpstreamAsync(Live, topology, due.From, due.Before - 1);
                HistoryArchive.Summarise(Ledger, due, Model.HistoryDays, day => Assess(Live, topology, day));
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Summarising can wait for the next checkpoint (nothing is pruned until it succeeds); the state write must not.
                LogSummaryDeferred(_logger, ex, Entity);
            }
        }

        // The floor is read before the state is written: everything below it is already in this ledger.
        var floor = await Services.Journal.ReplayFloorAsync();
        State.ReplayFrom = floor;
        await _state.WriteStateAsync();
        RiskMeshMetrics.EntityCheckpoints.Add(1, RiskMeshMetrics.Tag("kind", Kind.ToString()));
        _checkpoints.Checkpointed(floor);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Entity} could not checkpoint on deactivation; the journal still holds its events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} deferred summarising old days to its next checkpoint")]
    private static partial void LogSummaryDeferred(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} replayed {Count} journal entries from seq {From}")]
    private static partial void LogReplayed(ILogger logger, string entity, int count, long from);
}
