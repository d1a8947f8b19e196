using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Grains.Ranking;

/// <summary>
/// The entities of this silo that changed since their ranking was last told, sent to each kind's ranking as one call
/// with every id instead of one call per change. A cold ingest marked 1.8 entities stale per event (each fold, each
/// push a port or city took from upstream), 178,000 one-way calls to three single activations per 100,000 events:
/// a tenth of the ingest's CPU went to sending them, to the callers' contention on the ranking activation's queue,
/// and to the ranking's own turns. Marks are kept here at most <see cref="Delay"/> and the ingest flushes them
/// before it acknowledges a batch (<see cref="Flush"/>), so, as before, every mark of the batch's entities in this
/// silo is on its way to the ranking before the answer; an entity marked again before a flush is sent once.
/// </summary>
internal sealed partial class RankingMarks : IDisposable
{
    /// <summary>How long a mark waits for others to share its call when no ingest flushes it first.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(20);

    private readonly Func<string, ImmutableArray<string>, Task> _send;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private Dictionary<string, HashSet<string>> _pending = new(StringComparer.Ordinal);
    private bool _scheduled;

    /// <summary>Creates the marks of a silo, sent to the ranking grains.</summary>
    public RankingMarks(IGrainFactory grains, ILogger<RankingMarks> logger)
        : this((ranking, ids) => GrainRefs.Get<IRankingGrain>(grains, ranking).MarkStaleMany(ids), logger)
    {
    }

    /// <summary>Creates marks sent by <paramref name="send"/> (the ranking's key and the ids), for tests.</summary>
    internal RankingMarks(Func<string, ImmutableArray<string>, Task> send, ILogger? logger = null)
    {
        _send = send;
        _logger = logger ?? NullLogger.Instance;
        _timer = new Timer(static marks => ((RankingMarks)marks!).Flush(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Notes that an entity changed: its ranking recomputes the entry when next asked.</summary>
    public void Mark(EntityKind kind, string id)
    {
        var ranking = EntityRef.Prefix(kind);
        lock (_lock)
        {
            if (!_pending.TryGetValue(ranking, out var ids))
            {
                _pending[ranking] = ids = new HashSet<string>(StringComparer.Ordinal);
            }

            ids.Add(id);
            if (!_scheduled)
            {
                _scheduled = true;
                _timer.Change(Delay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// Sends every pending mark now, one one-way call per ranking. Like the single marks before, a mark that cannot
    /// be sent is lost, not retried: the ranking refreshes every entry when the day changes.
    /// </summary>
    public void Flush()
    {
        Dictionary<string, HashSet<string>> pending;
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            pending = _pending;
            _pending = new(StringComparer.Ordinal);
            _scheduled = false;
        }

        foreach (var (ranking, ids) in pending)
        {
            try
            {
                _send(ranking, [.. ids]).Ignore();
            }
            catch (Exception ex)
            {
                // Thrown before the call left (a silo stopping, the client gone). This may run on the timer's thread,
                // where an exception would end the process; a mark is best-effort, so it is dropped and said.
                LogSendFailed(_logger, ex, ranking, ids.Count);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not send {Count} stale mark(s) to the {Ranking} ranking; it refreshes every entry when the day changes")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string ranking, int count);
}
