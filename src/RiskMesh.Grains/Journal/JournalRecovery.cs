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
        var reapplied = await ReapplyUnfinishedAsync(journal, grains, exceptBatch: null, cancellationToken);
        if (reapplied > 0)
        {
            LogRecovered(logger, reapplied);
        }
    }

    /// <summary>
    /// Applies every journaled event of a batch not marked applied (but <paramref name="exceptBatch"/>), then marks
    /// those batches applied; returns how many events it re-applied. Idempotent, so a batch another request is still
    /// applying costs only time.
    /// </summary>
    public static async Task<int> ReapplyUnfinishedAsync(IngestJournal journal, IGrainFactory grains, long? exceptBatch, CancellationToken cancellationToken = default)
    {
        var (rows, batches) = await journal.ReadUnappliedAsync(cancellationToken);
        var pending = rows.Where(r => r.BatchId != exceptBatch).ToList();
        if (pending.Count == 0)
        {
            return 0;
        }

        var work = pending
            .GroupBy(r => r.Entity, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(r => r.Entry).ToImmutableArray()))
            .ToList();
        await EntityGrains.ApplyAsync(grains, work, inFlight: 64);
        foreach (var batch in batches.Where(b => b != exceptBatch))
        {
            await journal.MarkAppliedAsync(batch, cancellationToken);
        }

        return pending.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-applied {Events} journaled events of batches not marked applied")]
    private static partial void LogRecovered(ILogger logger, int events);
}
