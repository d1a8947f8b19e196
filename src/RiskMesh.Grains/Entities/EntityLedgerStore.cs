using Microsoft.Extensions.Logging;
using Orleans.Core;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Journal;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// An entity's ledger made durable by the journal: on activation it replays the journal rows its last checkpoint did
/// not hold, it folds new rows in (rebuilding the whole ledger from the journal when one lands on a summarised day),
/// and it writes checkpoints with the replay floor as <see cref="CheckpointPolicy"/> decides, summarising old days
/// first. What stays unsaved is checkpointed when the silo's <see cref="CheckpointSchedule"/> calls; an entity is on
/// that schedule only while something is unsaved, so a clean entity costs it nothing.
/// </summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
/// <param name="grain">The grain the schedule calls to checkpoint.</param>
/// <param name="state">The grain's persistent state.</param>
/// <param name="entity">The entity.</param>
/// <param name="services">Journal, options and loggers.</param>
/// <param name="summariser">Makes ready to assess the days due for summarising (upstream values pulled); the grain itself.</param>
internal sealed partial class EntityLedgerStore<TLedger>(
    IGrainBase grain,
    IStorage<EntityState<TLedger>> state,
    EntityRef entity,
    EntityServices services,
    IHistorySummariser summariser)
    where TLedger : Ledger, new()
{
    private readonly CheckpointPolicy _policy = new(services.Options.CheckpointAfterEvents);
    private readonly IngestJournal _journal = services.Journal;
    private readonly ILogger _logger = services.Loggers.CreateLogger(typeof(EntityLedgerStore<TLedger>));

    // The highest journal row this activation's replay folded in. The replay tells no one downstream, and it may fold a
    // batch whose Apply is still on its way (the journal is written before the entities are told); that Apply then
    // finds nothing new, yet what it carries must still be announced, or entities downstream that stayed active keep
    // the days they cached before it.
    private long _replayedThrough;

    // The rows of that replay that replaced an earlier report of the same key: the Apply still on its way counts them
    // in its batch's answer ("replaced"), though it finds them folded. Null while there are none (most entities).
    private HashSet<long>? _replacedInReplay;

    // Likewise the warnings that replay gave (a cumulative count far below its source's last one), said in the answer
    // of the Apply that carries their rows. Null while there are none.
    private List<EntryWarning>? _warnedInReplay;

    // The journal's name of the entity, made when needed (activation, a rebuild, a failure): kept, it was a string in
    // each of 100,000 entities.
    private string Entity => entity.ToString();

    /// <summary>The persisted state.</summary>
    public EntityState<TLedger> State => state.State;

    /// <summary>True while something folded in is not in the stored state.</summary>
    public bool Dirty => _policy.Dirty;

    /// <summary>Brings the stored ledger up to date and replays the journal tail; returns how many rows it replayed.</summary>
    public async Task<int> ActivateAsync(CancellationToken cancellationToken)
    {
        State.Upgrade();
        _policy.Loaded(State.ReplayFrom);
        var tail = await _journal.ReadEntityAsync(Entity, State.ReplayFrom, cancellationToken);
        if (tail.Length > 0)
        {
            var replayed = await FoldRowsAsync(tail);
            (_replacedInReplay, _warnedInReplay) = (replayed.Replacing, replayed.Warnings);
            _replayedThrough = tail.Max(row => row.Seq);
            _policy.MarkDirty();
            LogReplayed(_logger, Entity, tail.Length, State.ReplayFrom);
            ScheduleCheckpoint();
        }

        return tail.Length;
    }

    /// <summary>
    /// Folds rows in, checkpointing when the policy says so: whether anything changed, the earliest day that did, and
    /// how many of the rows replaced an earlier report of the same key (folded now or by this activation's replay).
    /// </summary>
    public async Task<(bool Changed, int FromDay, ApplyOutcome Outcome)> FoldAsync(IReadOnlyList<JournalEntry> entries)
    {
        var (changed, fromDay, belowFloor, replayedFrom, replacing, warnings) = await FoldRowsAsync(entries);
        var replaced = replacing?.Count ?? 0;
        if (_warnedInReplay is { } warnedInReplay)
        {
            var seqs = entries.Select(entry => entry.Seq).ToHashSet();
            (warnings ??= []).AddRange(warnedInReplay.Where(w => seqs.Contains(w.Seq)));
            warnedInReplay.RemoveAll(w => seqs.Contains(w.Seq));
            _warnedInReplay = warnedInReplay.Count > 0 ? warnedInReplay : null;
        }

        if (_replacedInReplay is { } replacedInReplay)
        {
            foreach (var entry in entries)
            {
                if (replacedInReplay.Remove(entry.Seq))
                {
                    replaced++;
                }
            }

            _replacedInReplay = replacedInReplay.Count > 0 ? replacedInReplay : null;
        }

        if (changed && _policy.Folded(entries.Count, belowFloor))
        {
            await CheckpointAsync();
        }

        ScheduleCheckpoint();
        var outcome = replaced == 0 && warnings is null ? ApplyOutcome.None : new ApplyOutcome(replaced, [.. warnings ?? []]);
        return replayedFrom is { } replayed ? (true, Math.Min(fromDay, replayed), outcome) : (changed, fromDay, outcome);
    }

    /// <summary>Writes the state with the current replay floor, after summarising the days <see cref="HistoryArchive"/> says are due.</summary>
    public Task CheckpointAsync() => CheckpointAsync(summarise: true);

    private async Task CheckpointAsync(bool summarise)
    {
        if (summarise && HistoryArchive.Due(State.Ledger, services.Options.Scoring.HistoryDays) is { } due)
        {
            try
            {
                HistoryArchive.Summarise(State.Ledger, due, services.Options.Scoring.HistoryDays, await summariser.PrepareSummaryAsync(due));
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Summarising can wait for the next checkpoint (nothing is pruned until it succeeds); the state write must not.
                LogSummaryDeferred(_logger, ex, Entity);
            }
        }

        // The floor is read before the state is written: everything below it is already in this ledger.
        var floor = await _journal.ReplayFloorAsync();
        State.ReplayFrom = floor;
        await state.WriteStateAsync();
        _policy.Checkpointed(floor);
        RiskMeshMetrics.EntityCheckpoints.Add(1, RiskMeshMetrics.Tag("kind", entity.Kind.ToString()));
    }

    /// <summary>Checkpoints what is unsaved as the grain deactivates, summarising nothing; a failure is only logged.</summary>
    public async Task CheckpointOnDeactivationAsync()
    {
        if (!Dirty)
        {
            return;
        }

        try
        {
            // Nothing summarised here: while a silo shuts down, other grains (the clock, upstream) may be gone already.
            await CheckpointAsync(summarise: false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckpointFailed(_logger, ex, Entity);
        }
    }

    /// <summary>Writes the state now (for changes that are not journal events).</summary>
    public Task WriteAsync() => state.WriteStateAsync();

    /// <summary>Reads the stored state (as the grain activates, before <see cref="ActivateAsync"/>).</summary>
    public Task ReadAsync() => state.ReadStateAsync();

    /// <summary>
    /// The silo's checkpoint schedule calls (<see cref="IEntityCheckpoint.Checkpoint"/>): writes what is unsaved, and
    /// stays on the schedule while anything is (a write that failed is tried again one interval later).
    /// </summary>
    public async Task CheckpointWhenDueAsync()
    {
        try
        {
            if (Dirty)
            {
                await CheckpointAsync();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTimedCheckpointFailed(_logger, ex, Entity);
        }
        finally
        {
            ScheduleCheckpoint();
        }
    }

    /// <summary>Takes the entity off the checkpoint schedule (it deactivates, and checkpoints as it goes).</summary>
    public void Unschedule() => services.Checkpoints.Remove(grain.GrainContext.GrainId);

    // Asked of the schedule at every change, not remembered here: the schedule takes an entity off when it sends the
    // one-way call, and a call lost on its way (a queue expiring under load) must not leave a busy entity off it for good.
    // Adding an entity the schedule holds already keeps its due time.
    private void ScheduleCheckpoint()
    {
        if (Dirty)
        {
            services.Checkpoints.Add(grain.GrainContext.GrainId);
        }
    }

    /// <summary>
    /// Folds rows in: whether anything changed and from which day, whether a row lay below the replay floor, and the
    /// earliest day of the rows that changed nothing only because this activation's replay had folded them already.
    /// </summary>
    private async Task<(bool Changed, int FromDay, bool BelowFloor, int? ReplayedFrom, HashSet<long>? Replacing, List<EntryWarning>? Warnings)> FoldRowsAsync(IReadOnlyList<JournalEntry> entries)
    {
        var (changed, fromDay, belowFloor) = (false, int.MaxValue, false);
        int? replayedFrom = null;
        HashSet<long>? replacing = null;
        List<EntryWarning>? warnings = null;
        var sourceRead = new SourceReadWatch();
        IntelContents? intelContents = null;
        foreach (var entry in entries)
        {
            var riskEvent = entry.Parse();
            var replacedBefore = State.Ledger.ReplacedReports;
            // Read before folding: the report is measured against what its source said before it (a dropped digit, new
            // cases that disagree with the cumulative count), or what other sources reported of the port's day.
            string? drop = null;
            if (State.Ledger is CountryLedger country && riskEvent is CountryCasesEvent report)
            {
                drop = CountryReportWarnings.Of(country, report);
                sourceRead.Before(country, report);
            }
            else if (State.Ledger is SiteLedger site && riskEvent is TrafficEvent traffic)
            {
                drop = TrafficSources.Warning(site, traffic);
            }
            else if (riskEvent is IntelEvent intel)
            {
                // The contents held are read once per fold, not every report sorted for each one (review 24 M1).
                intelContents ??= new IntelContents(State.Ledger.Intel);
                drop = IntelCopies.Warning(State.Ledger.Intel, intel, intelContents);
                intelContents.Add(intel);
            }

            if (State.Ledger.Apply(riskEvent, entry.Seq))
            {
                if (State.Ledger.ReplacedReports != replacedBefore)
                {
                    (replacing ??= []).Add(entry.Seq);
                }

                if (riskEvent is CountryCasesEvent)
                {
                    sourceRead.Folded(entry.Seq);
                }

                if (drop is not null)
                {
                    (warnings ??= []).Add(new EntryWarning(entry.Seq, drop));
                }

                (changed, fromDay) = (true, Math.Min(fromDay, riskEvent.Date.DayNumber));
                belowFloor |= _policy.IsBelowFloor(entry.Seq);
            }
            else if (entry.Seq <= _replayedThrough)
            {
                replayedFrom = Math.Min(replayedFrom ?? int.MaxValue, riskEvent.Date.DayNumber);
            }
        }

        if (State.Ledger is CountryLedger after && sourceRead.Changed(after) is { } takeover)
        {
            (warnings ??= []).Add(takeover);
        }

        // An event for a summarised day makes its archived points stale: the whole ledger comes back from the journal
        // (which holds every accepted event) and is summarised again at the next checkpoint.
        if (changed && HistoryArchive.IsSummarised(State.Ledger, fromDay))
        {
            var whole = JournalLedgers<TLedger>.Fold(await _journal.ReadEntityAsync(Entity, 0));
            whole.Version = State.Ledger.Version + 1;
            State.Ledger = whole;
        }

        return (changed, fromDay, belowFloor, replayedFrom, replacing, warnings);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Entity} could not checkpoint on deactivation; the journal still holds its events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Entity} could not write its timed checkpoint; it tries again an interval later, and the journal still holds its events")]
    private static partial void LogTimedCheckpointFailed(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} deferred summarising old days to its next checkpoint")]
    private static partial void LogSummaryDeferred(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} replayed {Count} journal entries from seq {From}")]
    private static partial void LogReplayed(ILogger logger, string entity, int count, long from);
}

/// <summary>Makes ready to assess the days due for summarising (upstream values pulled) and returns how to assess one.</summary>
internal interface IHistorySummariser
{
    /// <summary>Pulls what assessing days <paramref name="due"/> needs and returns how to assess one of them.</summary>
    Task<Func<int, Assessment>> PrepareSummaryAsync((int From, int Before) due);
}
