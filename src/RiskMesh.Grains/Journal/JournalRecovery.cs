using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Ingest;

namespace RiskMesh.Grains.Journal;

/// <summary>
/// At silo start, re-applies batches that were journaled but not marked applied, because the process stopped between
/// the two. Applying is idempotent, so a batch that was in fact applied costs only time.
/// </summary>
public sealed partial class JournalRecovery(IngestJournal journal, IGrainFactory grains, ILogger<JournalRecovery> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JournalRecovery), ServiceLifecycleStage.Active, RecoverAsync);

    /// <summary>Re-applies unapplied batches and marks them applied.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var (rows, batches) = await journal.ReadUnappliedAsync(cancellationToken);
        if (rows.IsEmpty)
        {
            return;
        }

        LogRecovering(logger, rows.Length, batches.Length);
        var work = rows
            .GroupBy(r => r.Entity, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(r => r.Entry).ToImmutableArray()))
            .ToList();
        await IngestGrain.ApplyAsync(grains, work, inFlight: 64);
        foreach (var batch in batches)
        {
            await journal.MarkAppliedAsync(batch, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-applying {Events} journaled events of {Batches} batches not marked applied")]
    private static partial void LogRecovering(ILogger logger, int events, int batches);
}
