using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;

namespace RiskMesh.Grains.Journal;

/// <summary>
/// At silo start, re-applies batches that were journaled but not marked applied, because the process stopped between
/// the two. Applying is idempotent, so a batch that was in fact applied costs only time.
/// </summary>
internal sealed partial class JournalRecovery(IngestJournal journal, IGrainFactory grains, ILogger<JournalRecovery> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JournalRecovery), ServiceLifecycleStage.Active, RecoverAsync);

    /// <summary>Re-applies unapplied batches and marks them applied.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var reapplied = await ReapplyUnfinishedAsync(journal, grains, cancellationToken);
        if (reapplied > 0)
        {
            LogRecovered(logger, reapplied);
        }
    }

    /// <summary>
    /// Applies every journaled event of a batch not marked applied, then marks those batches applied; returns how many
    /// events it re-applied. At start no request of this silo is applying anything yet.
    /// </summary>
    public static async Task<int> ReapplyUnfinishedAsync(IngestJournal journal, IGrainFactory grains, CancellationToken cancellationToken = default)
    {
        var (rows, batches) = await journal.ReadUnappliedAsync(cancellationToken);
        var pending = rows.ToList();
        if (pending.Count == 0)
        {
            return 0;
        }

        var work = pending
            .GroupBy(r => r.Entity, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(r => r.Entry).ToImmutableArray()))
            .ToList();
        await EntityGrains.ApplyAsync(grains, work, inFlight: 64);
        foreach (var batch in batches)
        {
            await journal.MarkAppliedAsync(batch, cancellationToken);
        }

        return pending.Count;
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

            var rows = await journal.ReadUnappliedBatchAsync(batch, cancellationToken);
            if (rows.IsEmpty)
            {
                continue;
            }

            var work = rows
                .GroupBy(r => r.Entity, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Select(r => r.Entry).ToImmutableArray()))
                .ToList();
            await EntityGrains.ApplyAsync(grains, work, inFlight: 64);
            await journal.MarkAppliedAsync(batch, cancellationToken);
            applied += rows.Length;
        }

        return applied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-applied {Events} journaled events of batches not marked applied")]
    private static partial void LogRecovered(ILogger logger, int events);
}
