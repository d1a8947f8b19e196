using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;

namespace RiskMesh.Grains.Journal;

/// <summary>
/// At silo start, re-applies batches that were journaled but not marked applied, because the process stopped between
/// the two. Applying is idempotent, so a batch that was in fact applied costs only time. While the silo runs, a batch
/// left unapplied for <see cref="SweepAfter"/> (its request failed half-way and was never retried, or its mark was
/// lost) is applied too, every <see cref="SweepEvery"/>: until then its events are durable but not visible in grains
/// that were active, and it holds the replay floor down, so every activation replays more of the journal.
/// </summary>
internal sealed partial class JournalRecovery(IngestJournal journal, IGrainFactory grains, BatchesApplying applying, TimeProvider time, ILogger<JournalRecovery> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How old an unapplied batch must be before the sweep applies it: far beyond any request's life.</summary>
    public static readonly TimeSpan SweepAfter = TimeSpan.FromMinutes(2);

    /// <summary>How often the sweep looks.</summary>
    public static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private CancellationTokenSource? _stopping;
    private Task? _sweeping;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JournalRecovery), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Re-applies every batch not marked applied and marks it, as the silo becomes active (before it takes ingest requests).</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        // Every batch journaled so far; a day ahead covers another silo's clock running ahead of this one's.
        var reapplied = await ApplyUnappliedAsync(time.GetUtcNow().UtcDateTime.AddDays(1), cancellationToken);
        if (reapplied > 0)
        {
            LogRecovered(logger, reapplied);
        }
    }

    /// <summary>
    /// Applies and marks every batch unapplied for longer than <paramref name="olderThan"/> that no request of this silo
    /// is applying; returns how many events it applied.
    /// </summary>
    public async Task<int> SweepAsync(TimeSpan olderThan, CancellationToken cancellationToken = default)
    {
        var applied = await ApplyUnappliedAsync(time.GetUtcNow().UtcDateTime - olderThan, cancellationToken);
        if (applied > 0)
        {
            LogSwept(logger, applied, olderThan);
        }

        return applied;
    }

    // The batches not marked applied that were journaled before a moment, each applied and marked unless a request of
    // this silo is applying it; returns how many events were applied.
    private async Task<int> ApplyUnappliedAsync(DateTime journaledBefore, CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var batch in await journal.UnappliedBatchesBeforeAsync(journaledBefore, cancellationToken))
        {
            if (!applying.TryGet(batch, out _))
            {
                applied += await ApplyBatchAsync(journal, grains, batch, cancellationToken);
            }
        }

        return applied;
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        _stopping = new CancellationTokenSource();
        _sweeping = SweepPeriodicallyAsync(_stopping.Token);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _sweeping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _sweeping.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-sweep: a batch it did not mark is applied at the next start.
        }

        _stopping.Dispose();
    }

    private async Task SweepPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SweepEvery, time);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await SweepAsync(SweepAfter, stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>
    /// Makes sure the batches that journaled any of a request's duplicate events (by source and id) are applied, so the
    /// request may be acknowledged as visible: a batch another request of this silo is still applying is waited for; a
    /// batch nobody is applying here (its request failed half-way, or runs on another silo) is applied again and marked.
    /// Other unfinished batches are left to their own requests, their retries and the next start (applying them here
    /// made every retry under overload apply every batch in flight once more). The request's own batch (<paramref name="ownBatch"/>) is
    /// applied already. Returns how many events it applied.
    /// </summary>
    public static async Task<int> ApplyBatchesHoldingAsync(
        IngestJournal journal, IGrainFactory grains, BatchesApplying applying, IReadOnlyCollection<(string Source, string Id)> duplicates, long? ownBatch, CancellationToken cancellationToken = default)
    {
        var applied = 0;
        foreach (var batch in await journal.UnappliedBatchesHoldingAsync(duplicates, ownBatch, cancellationToken))
        {
            if (applying.TryGet(batch, out var underWay))
            {
                try
                {
                    await underWay.WaitAsync(cancellationToken);
                    continue;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // That application failed (its own request answers the failure): this request applies the batch.
                }
            }

            applied += await ApplyBatchAsync(journal, grains, batch, cancellationToken);
        }

        return applied;
    }

    // One batch, if still unapplied: its rows folded by their entities, then the batch marked applied.
    private static async Task<int> ApplyBatchAsync(IngestJournal journal, IGrainFactory grains, long batch, CancellationToken cancellationToken)
    {
        var rows = await journal.ReadUnappliedBatchAsync(batch, cancellationToken);
        if (rows.IsEmpty)
        {
            return 0;
        }

        var work = rows
            .GroupBy(r => r.Entity, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(r => r.Entry).ToImmutableArray()))
            .ToList();
        await EntityGrains.ApplyAsync(grains, work, inFlight: 64);
        await journal.MarkAppliedAsync(batch, cancellationToken);
        return rows.Length;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applied {Events} journaled events of batches left unapplied for more than {OlderThan}: their requests failed and were not retried")]
    private static partial void LogSwept(ILogger logger, int events, TimeSpan olderThan);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweep of batches left unapplied failed; it tries again at its next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-applied {Events} journaled events of batches not marked applied")]
    private static partial void LogRecovered(ILogger logger, int events);
}
