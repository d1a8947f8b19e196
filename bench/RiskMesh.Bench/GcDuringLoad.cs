using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace RiskMesh.Bench;

/// <summary>
/// What the garbage collector did during a timed load of this process: collections per generation, the time every
/// thread stood still, the longest pause, background collections, and how much of the latency tail overlapped a pause.
/// </summary>
public sealed record GcDuringLoad(
    int Gen0,
    int Gen1,
    int Gen2,
    int Background,
    double PauseMs,
    int Pauses,
    double MaxPauseMs,
    double BackgroundMs,
    double? SlowestPercentInPause,
    double? P99OutsidePausesMs)
{
    /// <summary>Bytes this process allocated during the load (the in-process client's and the host's together).</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>
    /// The pause time the runtime itself counts (<see cref="GC.GetTotalPauseDuration"/>), which starts once every thread
    /// is stopped; <see cref="PauseMs"/> also counts the wait for them to stop, which a busy machine stretches.
    /// </summary>
    public double RuntimePauseMs { get; init; }

    /// <summary>The share of the load's wall time every managed thread was paused.</summary>
    public double PauseShare(double seconds) => seconds > 0 ? PauseMs / (seconds * 1000) : 0;

    /// <summary>The figures as JSON fields, each name prefixed by <paramref name="prefix"/> (e.g. <c>gcDuringGet</c>).</summary>
    public IEnumerable<KeyValuePair<string, object?>> ToJson(string prefix, double seconds, long requests) =>
    [
        new($"{prefix}AllocatedBytesPerRequest", requests > 0 ? Math.Round((double)AllocatedBytes / requests) : null),
        new($"{prefix}Gen0", Gen0),
        new($"{prefix}Gen1", Gen1),
        new($"{prefix}Gen2", Gen2),
        new($"{prefix}Background", Background),
        new($"{prefix}PauseMs", Math.Round(PauseMs, 1)),
        new($"{prefix}RuntimePauseMs", Math.Round(RuntimePauseMs, 1)),
        new($"{prefix}Pauses", Pauses),
        new($"{prefix}MaxPauseMs", Math.Round(MaxPauseMs, 2)),
        new($"{prefix}PauseShare", Math.Round(PauseShare(seconds), 4)),
        new($"{prefix}BackgroundMs", Math.Round(BackgroundMs, 1)),
        new($"{prefix}SlowestPercentInPause", SlowestPercentInPause is { } s ? Math.Round(s, 3) : null),
        new($"{prefix}P99OutsidePausesMs", P99OutsidePausesMs is { } p ? Math.Round(p, 3) : null),
    ];

    /// <summary>
    /// Of the requests, those that overlapped a pause: the share of the slowest 1 % that did, and the p99 of those that
    /// did not (what the tail would be without the pauses, to the extent that the pauses only add their own length).
    /// </summary>
    public static (double? SlowestPercentInPause, double? P99OutsidePausesMs) Attribute(IReadOnlyList<RequestSpan> requests, IReadOnlyList<(long Start, long End)> pauses)
    {
        if (requests.Count == 0)
        {
            return (null, null);
        }

        var sortedPauses = pauses.OrderBy(p => p.Start).ToArray();
        bool InPause(RequestSpan r)
        {
            // Pauses are few (tens) and short: a binary search for the first pause ending after the request started.
            int lo = 0, hi = sortedPauses.Length;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (sortedPauses[mid].End <= r.Start)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            for (var i = lo; i < sortedPauses.Length && sortedPauses[i].Start < r.End; i++)
            {
                if (sortedPauses[i].End > r.Start)
                {
                    return true;
                }
            }

            return false;
        }

        var byLatency = requests.OrderByDescending(r => r.End - r.Start).ToArray();
        var slowest = Math.Max(1, (int)Math.Ceiling(byLatency.Length * 0.01));
        var slowestInPause = byLatency.Take(slowest).Count(InPause);
        // Nearest rank, as GetLoad's percentiles (this file is also compiled into the tests, without GetLoad).
        var outside = requests.Where(r => !InPause(r)).Select(r => r.Milliseconds).ToArray();
        Array.Sort(outside);
        return ((double)slowestInPause / slowest, outside.Length == 0 ? null : outside[Math.Min(outside.Length - 1, Math.Max(0, (int)Math.Ceiling(0.99 * outside.Length) - 1))]);
    }
}

/// <summary>One request of a load: when it was sent and answered, in <see cref="Stopwatch"/> ticks.</summary>
public readonly record struct RequestSpan(long Start, long End)
{
    /// <summary>Its latency in milliseconds.</summary>
    public double Milliseconds => (End - Start) * 1000.0 / Stopwatch.Frequency;
}

/// <summary>
/// Records the runtime's GC events in this process (an <see cref="EventListener"/> on the runtime's GC keyword at
/// informational level: a few events per collection, no allocation sampling), from creation until <see cref="StopAsync"/>.
/// </summary>
public sealed class GcRecorder : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GCStart = 1, GCEnd = 2, RestartEEEnd = 3, SuspendEEBegin = 9;

    private readonly object _gate = new();
    private readonly List<(long Start, long End)> _pauses = [];
    private readonly Dictionary<uint, (long Start, bool Background)> _running = [];
    private readonly int[] _countsAtStart;
    private readonly TimeSpan _pauseAtStart;
    private readonly long _allocatedAtStart;
    private long _suspendedAt = -1;
    private int _background;
    private double _backgroundMs;
    private readonly long _startTicks;
    private long _stopTicks = long.MaxValue;

    // DateTime.UtcNow and Stopwatch ticks at one instant: event timestamps are DateTimes, request spans are Stopwatch
    // ticks; over a load of seconds the two clocks drift by far less than a pause. Set by initialisers, which run
    // before the base constructor, since events may arrive as soon as it has enabled them.
    private readonly long _anchorTicks = Stopwatch.GetTimestamp();
    private readonly DateTime _anchorUtc = DateTime.UtcNow;

    /// <summary>Starts recording.</summary>
    public GcRecorder()
    {
        _countsAtStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        _pauseAtStart = GC.GetTotalPauseDuration();
        _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: false);
        _startTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Stops recording, after waiting for the runtime to deliver the window's last events, and attributes the tail.</summary>
    public async Task<GcDuringLoad> StopAsync(IReadOnlyList<RequestSpan> requests)
    {
        var counts = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var runtimePauseMs = (GC.GetTotalPauseDuration() - _pauseAtStart).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - _allocatedAtStart;
        lock (_gate)
        {
            _stopTicks = Stopwatch.GetTimestamp();
        }

        // The runtime hands events to listeners from a dispatch thread, a little after they happen.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Dispose();
        (long Start, long End)[] pauses;
        int background;
        double backgroundMs;
        lock (_gate)
        {
            pauses = [.. _pauses.Where(p => p.End > _startTicks && p.Start < _stopTicks)];
            background = _background;
            backgroundMs = _backgroundMs;
        }

        var (slowestInPause, p99Outside) = GcDuringLoad.Attribute(requests, pauses);

        // Counts come from the runtime's own counters (CollectionCount(n) counts collections of generation n or higher);
        // the pauses from the events, from the request to stop the threads until they run again.
        var gen2 = counts[2] - _countsAtStart[2];
        var gen1 = counts[1] - _countsAtStart[1] - gen2;
        var gen0 = counts[0] - _countsAtStart[0] - gen1 - gen2;
        return new GcDuringLoad(
            gen0,
            gen1,
            gen2,
            background,
            pauses.Sum(p => (p.End - p.Start) * 1000.0 / Stopwatch.Frequency),
            pauses.Length,
            pauses.Length == 0 ? 0 : pauses.Max(p => (p.End - p.Start) * 1000.0 / Stopwatch.Frequency),
            backgroundMs,
            slowestInPause,
            p99Outside)
        {
            AllocatedBytes = allocated,
            RuntimePauseMs = runtimePauseMs,
        };
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // Called by the base constructor for sources that exist already, before this class's fields are set.
        if (_gate is null || eventData.EventSource.Name != RuntimeSource)
        {
            return;
        }

        var ticks = _anchorTicks + (long)((eventData.TimeStamp.ToUniversalTime() - _anchorUtc).TotalSeconds * Stopwatch.Frequency);
        lock (_gate)
        {
            switch (eventData.EventId)
            {
                case SuspendEEBegin:
                    _suspendedAt = ticks;
                    break;
                case RestartEEEnd when _suspendedAt >= 0:
                    _pauses.Add((_suspendedAt, ticks));
                    _suspendedAt = -1;
                    break;
                case GCStart:
                    // Type 1 is a background collection: it marks while the program runs, on a core the program
                    // could have used, between two short pauses.
                    _running[Convert.ToUInt32(Payload(eventData, "Count"))] = (ticks, Convert.ToUInt32(Payload(eventData, "Type")) == 1);
                    break;
                case GCEnd:
                    if (_running.Remove(Convert.ToUInt32(Payload(eventData, "Count")), out var started) && started.Background
                        && ticks > _startTicks && started.Start < _stopTicks)
                    {
                        _background++;
                        _backgroundMs += (Math.Min(ticks, _stopTicks) - Math.Max(started.Start, _startTicks)) * 1000.0 / Stopwatch.Frequency;
                    }

                    break;
            }
        }
    }

    private static object? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 ? e.Payload![index] : 0u;
    }
}
