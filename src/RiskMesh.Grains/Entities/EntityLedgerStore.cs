using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Journal;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// An entity's ledger made durable by the journal: on activation it replays the journal rows its last checkpoint did
/// not hold, it folds new rows in (rebuilding the whole ledger from the journal when one lands on a summarised day),
/// and it writes checkpoints with the replay floor as <see cref="CheckpointPolicy"/> decides.
/// </summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
public sealed partial class EntityLedgerStore<TLedger>(
    IPersistentState<EntityState<TLedger>> state,
    IngestJournal journal,
    EntityRef entity,
    RiskMeshGrainOptions options,
    ILogger logger)
    where TLedger : Ledger, new()
{
    private readonly CheckpointPolicy _policy = new(options.CheckpointAfterEvents);
    private readonly string _entity = entity.ToString();

    /// <summary>The persisted state.</summary>
    public EntityState<TLedger> State => state.State;

    /// <summary>True while something folded in is not in the stored state.</summary>
    public bool Dirty => _policy.Dirty;

    /// <summary>Brings the stored ledger up to date and replays the journal tail; returns how many rows it replayed.</summary>
    public async Task<int> ActivateAsync(CancellationToken cancellationToken)
    {
        State.Ledger.Upgrade();
        _policy.Loaded(State.ReplayFrom);
        var tail = await journal.ReadEntityAsync(_entity, State.ReplayFrom, cancellationToken);
        if (tail.Length > 0)
        {
            await FoldRowsAsync(tail);
            _policy.MarkDirty();
            LogReplayed(logger, _entity, tail.Length, State.ReplayFrom);
        }

        return tail.Length;
    }

    /// <summary>Folds rows in: whether anything changed, the earliest day that did, and whether to checkpoint now.</summary>
    public async Task<(bool Changed, int FromDay, bool CheckpointNow)> FoldAsync(IReadOnlyList<JournalEntry> entries)
    {
        var (changed, fromDay, belowFloor) = await FoldRowsAsync(entries);
        return (changed, fromDay, changed && _policy.Folded(entries.Count, belowFloor));
    }

    /// <summary>
    /// Writes the state with the current replay floor, after summarising the days <see cref="HistoryArchive"/> says are
    /// due when a <paramref name="summariser"/> is given: it makes ready to assess those days (their upstream values
    /// pulled) and returns how to assess one.
    /// </summary>
    public async Task CheckpointAsync(Func<(int From, int Before), Task<Func<int, Assessment>>>? summariser)
    {
        if (summariser is not null && HistoryArchive.Due(State.Ledger, options.Scoring.HistoryDays) is { } due)
        {
            try
            {
                HistoryArchive.Summarise(State.Ledger, due, options.Scoring.HistoryDays, await summariser(due));
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Summarising can wait for the next checkpoint (nothing is pruned until it succeeds); the state write must not.
                LogSummaryDeferred(logger, ex, _entity);
            }
        }

        // The floor is read before the state is written: everything below it is already in this ledger.
        var floor = await journal.ReplayFloorAsync();
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
            await CheckpointAsync(summariser: null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckpointFailed(logger, ex, _entity);
        }
    }

    /// <summary>Writes the state now (for changes that are not journal events).</summary>
    public Task WriteAsync() => state.WriteStateAsync();

    private async Task<(bool Changed, int FromDay, bool BelowFloor)> FoldRowsAsync(IReadOnlyList<JournalEntry> entries)
    {
        var (changed, fromDay, belowFloor) = (false, int.MaxValue, false);
        foreach (var entry in entries)
        {
            var riskEvent = entry.Parse();
            if (State.Ledger.Apply(riskEvent, entry.Seq))
            {
                (changed, fromDay) = (true, Math.Min(fromDay, riskEvent.Date.DayNumber));
                belowFloor |= _policy.IsBelowFloor(entry.Seq);
            }
        }

        // An event for a summarised day makes its archived points stale: the whole ledger comes back from the journal
        // (which holds every accepted event) and is summarised again at the next checkpoint.
        if (changed && HistoryArchive.IsSummarised(State.Ledger, fromDay))
        {
            var whole = JournalLedgers<TLedger>.Fold(await journal.ReadEntityAsync(_entity, 0));
            whole.Version = State.Ledger.Version + 1;
            State.Ledger = whole;
        }

        return (changed, fromDay, belowFloor);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Entity} could not checkpoint on deactivation; the journal still holds its events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} deferred summarising old days to its next checkpoint")]
    private static partial void LogSummaryDeferred(ILogger logger, Exception exception, string entity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Entity} replayed {Count} journal entries from seq {From}")]
    private static partial void LogReplayed(ILogger logger, string entity, int count, long from);
}
