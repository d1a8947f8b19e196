using Microsoft.Data.Sqlite;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Group commit for the SQLite database of this process: writers commit without waiting for the disk
/// (<c>synchronous=NORMAL</c>), then await <see cref="SyncAsync"/>, which makes every transaction committed before the
/// call durable with one commit at <c>synchronous=FULL</c> (its fsync of the write-ahead log covers every frame written
/// before it). Callers that ask while a sync is under way share the next one, so a burst of writes pays one fsync
/// instead of one each. A no-op on PostgreSQL, whose commits are durable on their own.
/// </summary>
/// <remarks>
/// Measured on the 2-core machine of 2026-11-27: an fsync costs 2–6 ms, and a cold ingest of 100,000 events wrote about
/// 10,000 city response states and journal batches one fsync each, all queued on the one write gate.
/// </remarks>
public sealed class SqliteGroupCommit
{
    /// <summary>The statement every SQLite writer runs on its connection before writing (pooled connections keep it).</summary>
    public const string DeferredSync = "PRAGMA synchronous = NORMAL;";

    private const string SyncStatement = "PRAGMA synchronous = FULL; UPDATE riskmesh_sync SET syncs = syncs + 1 WHERE id = 1;";

    private readonly Func<CancellationToken, Task> _sync;
    private readonly object _lock = new();
    private bool _running;
    private TaskCompletionSource? _next;

    /// <summary>Group commit on a database; with <c>null</c> (PostgreSQL) every sync completes at once.</summary>
    public SqliteGroupCommit(DatabaseSettings database, SqliteWriteGate gate)
        : this(database.IsSqlite ? ct => SyncSqliteAsync(database, gate, ct) : null)
    {
    }

    /// <summary>Group commit around a physical sync (tests count and hold them); <c>null</c> makes every sync immediate.</summary>
    internal SqliteGroupCommit(Func<CancellationToken, Task>? sync)
    {
        _sync = sync ?? (_ => Task.CompletedTask);
        IsGrouping = sync is not null;
    }

    /// <summary>True when writes are made durable by a shared sync (SQLite).</summary>
    public bool IsGrouping { get; }

    /// <summary>Completes once every transaction committed before this call is on disk.</summary>
    public Task SyncAsync()
    {
        if (!IsGrouping)
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            if (_running)
            {
                // The sync under way may have started before the caller's commit: the caller waits for the one after it.
                return (_next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            _running = true;
        }

        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => RunAsync(first));
        return first.Task;
    }

    private async Task RunAsync(TaskCompletionSource current)
    {
        while (true)
        {
            try
            {
                await _sync(CancellationToken.None).ConfigureAwait(false);
                current.SetResult();
            }
            catch (Exception ex)
            {
                // Each waiter of this round sees the failure (its write is not known durable); the next round tries again.
                current.SetException(ex);
            }

            lock (_lock)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                current = _next;
                _next = null;
            }
        }
    }

    private static async Task SyncSqliteAsync(DatabaseSettings database, SqliteWriteGate gate, CancellationToken cancellationToken)
    {
        // A real write at FULL: SQLite then syncs the log, which no empty transaction or checkpoint promises to do.
        using var lease = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SyncStatement;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
