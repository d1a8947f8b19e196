using System.Collections.Immutable;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Journal;

/// <summary>
/// Coalesces the journal reads of entities activating at the same time: the first read runs at once, and the reads
/// that arrive while a query runs share the next one (up to <see cref="MaxEntitiesPerQuery"/> entities each). A cold
/// ingest activates thousands of entities within seconds, each reading its journal tail: one query per round instead
/// of one per entity saves the per-query cost (a pooled connection, a prepared statement, a hop to the thread pool).
/// </summary>
/// <param name="query">Reads, in one query, every row of each entity from its sequence number on, in sequence order.</param>
internal sealed class JournalTailReads(Func<IReadOnlyList<(string Entity, long From)>, CancellationToken, Task<IReadOnlyList<(string Entity, JournalEntry Entry)>>> query)
{
    /// <summary>Most entities one query reads: keeps the statement's parameters well inside every database's limit.</summary>
    public const int MaxEntitiesPerQuery = 200;

    private readonly object _lock = new();
    private readonly List<Request> _waiting = [];
    private bool _running;
    private long _queries;

    /// <summary>How many queries have run (tests and the README's measurements count them).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>An entity's rows from a sequence number on, in order.</summary>
    public Task<ImmutableArray<JournalEntry>> ReadAsync(string entity, long fromSeq)
    {
        var request = new Request(entity, fromSeq, new TaskCompletionSource<ImmutableArray<JournalEntry>>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            _waiting.Add(request);
            if (_running)
            {
                return request.Result.Task;
            }

            _running = true;
        }

        _ = Task.Run(RunAsync);
        return request.Result.Task;
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<Request> round;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }

                var take = Math.Min(MaxEntitiesPerQuery, _waiting.Count);
                round = _waiting.GetRange(0, take);
                _waiting.RemoveRange(0, take);
            }

            try
            {
                // One line per entity, from the lowest sequence number any request for it wants.
                var wanted = round
                    .GroupBy(r => r.Entity, StringComparer.Ordinal)
                    .Select(g => (g.Key, g.Min(r => r.From)))
                    .ToList();
                Interlocked.Increment(ref _queries);
                var rows = await query(wanted, CancellationToken.None).ConfigureAwait(false);
                var byEntity = rows.ToLookup(r => r.Entity, r => r.Entry, StringComparer.Ordinal);
                foreach (var request in round)
                {
                    request.Result.SetResult([.. byEntity[request.Entity].Where(e => e.Seq >= request.From)]);
                }
            }
            catch (Exception ex)
            {
                foreach (var request in round)
                {
                    request.Result.TrySetException(ex);
                }
            }
        }
    }

    private sealed record Request(string Entity, long From, TaskCompletionSource<ImmutableArray<JournalEntry>> Result);
}
