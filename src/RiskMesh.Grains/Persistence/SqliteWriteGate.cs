namespace RiskMesh.Grains.Persistence;

/// <summary>Lets one writer at a time into the SQLite database of this process; a no-op on PostgreSQL.</summary>
/// <remarks>
/// SQLite has one writer per file. When many grains write at once, Microsoft.Data.Sqlite retries
/// busy locks by blocking the calling thread, which starves the Orleans scheduler and times calls
/// out (FACTS.md). Queuing writers on an async semaphore instead keeps the threads free.
/// Grain storage and the ingest journal take the same gate, so they never contend for the file.
/// </remarks>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Creates a gate; <paramref name="serializes"/> false makes every entry immediate (PostgreSQL).</summary>
    public SqliteWriteGate(bool serializes = true)
    {
        IsSerializing = serializes;
    }

    /// <summary>True when writers are queued one at a time (SQLite).</summary>
    public bool IsSerializing { get; }

    /// <summary>Waits for the gate; dispose the result to let the next writer in.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (!IsSerializing)
        {
            return NoLease.Instance;
        }

        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(_semaphore);
    }

    /// <inheritdoc />
    public void Dispose() => _semaphore.Dispose();

    private sealed class Lease(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            // Releasing twice would let two writers in at once, so only the first dispose counts.
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }

    private sealed class NoLease : IDisposable
    {
        public static readonly NoLease Instance = new();

        public void Dispose()
        {
        }
    }
}
