using System.Collections.Concurrent;

namespace RiskMesh.Grains.Journal;

/// <summary>
/// The batches this silo is applying to the grains right now, by batch id. A retried request whose events another
/// request journaled (a client that timed out and sent again while the first attempt still runs) waits for that
/// application instead of applying the same batch a second time beside it: under overload, when retries come, a
/// second application only adds load.
/// </summary>
internal sealed class BatchesApplying
{
    private readonly ConcurrentDictionary<long, Task> _applying = new();

    /// <summary>Records that a batch is being applied by <paramref name="application"/> until the returned handle is disposed.</summary>
    public IDisposable Track(long batchId, Task application)
    {
        _applying[batchId] = application;
        return new Untrack(this, batchId, application);
    }

    /// <summary>The application of a batch under way in this silo, if any.</summary>
    public bool TryGet(long batchId, out Task application) => _applying.TryGetValue(batchId, out application!);

    private sealed class Untrack(BatchesApplying owner, long batchId, Task application) : IDisposable
    {
        public void Dispose() => owner._applying.TryRemove(new KeyValuePair<long, Task>(batchId, application));
    }
}
