using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RiskMesh.Abstractions;

namespace RiskMesh.Bench;

/// <summary>
/// Adds up the host's own counters (<see cref="RiskMeshMetrics"/>: entities activated, checkpoints written, notices
/// issued, by kind, and the cities' response writes with the notice rows they wrote) while <see cref="Counting"/> is on, so a scale can say what its cold ingest made the host do
/// besides folding events: each notice is a write of its city's state, each checkpoint a write of an entity's.
/// </summary>
public sealed class HostCounters : IDisposable
{
    private static readonly HashSet<string> Counted = new(StringComparer.Ordinal)
    {
        "riskmesh.entity.activations", "riskmesh.entity.checkpoints", "riskmesh.notices.issued",
        "riskmesh.response.writes", "riskmesh.response.notice_rows",
    };

    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);
    private readonly MeterListener _listener = new();
    private volatile bool _counting;

    /// <summary>Listens to the host's meter from now on.</summary>
    public HostCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RiskMeshMetrics.MeterName && Counted.Contains(instrument.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Whether measurements are added up now.</summary>
    public bool Counting
    {
        get => _counting;
        set => _counting = value;
    }

    /// <summary>What was counted, by <c>counter.kind</c> (e.g. <c>notices.port-above-city</c>), largest first.</summary>
    public Dictionary<string, long> Totals() =>
        _totals.OrderByDescending(pair => pair.Value).ToDictionary(pair => pair.Key, pair => pair.Value);

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (!_counting)
        {
            return;
        }

        var kind = "";
        foreach (var tag in tags)
        {
            if (tag.Key == "kind")
            {
                kind = "." + tag.Value;
            }
        }

        _totals.AddOrUpdate(instrument.Name["riskmesh.".Length..] + kind, value, (_, total) => total + value);
    }
}
