using System.Collections.Concurrent;

namespace RiskMesh.Bench;

/// <summary>
/// Counts the grain calls a silo of the bench receives, by interface and method, so a scale can say how many calls an
/// ingested event cost (the fan-out of a country's change to every port that faces it, and of each port's change to its
/// city, grows with the world). Only calls to the entity grains (countries, ports, cities) are reported: the ingest
/// grain's one call per batch and Orleans' own calls are left out. It adds no awaiting layer: one dictionary update,
/// then the call as it was; and it counts only while <see cref="Counting"/> is on (during a cold ingest), so the GET
/// loads and the warm-up run without that update.
/// </summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private static readonly HashSet<string> EntityTypes = new(StringComparer.Ordinal) { "country", "port", "city" };
    private readonly ConcurrentDictionary<(GrainType Type, string Method), StrongBox> _calls = new();
    private volatile bool _counting;

    /// <summary>Whether calls are counted now; off until a phase that reports them turns it on.</summary>
    public bool Counting
    {
        get => _counting;
        set => _counting = value;
    }

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (_counting)
        {
            Interlocked.Increment(ref _calls.GetOrAdd((context.TargetId.Type, context.MethodName), static _ => new StrongBox()).Value);
        }

        return context.Invoke();
    }

    /// <summary>The counts so far of calls to entity grains, by <c>kind.Method</c> (e.g. <c>port.Apply</c>).</summary>
    public Dictionary<string, long> Snapshot() =>
        _calls.Where(pair => EntityTypes.Contains(pair.Key.Type.ToString()))
            .ToDictionary(pair => $"{pair.Key.Type}.{pair.Key.Method}", pair => Interlocked.Read(ref pair.Value.Value));

    /// <summary>What was called between two snapshots, most called first.</summary>
    public static Dictionary<string, long> Between(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after
            .Select(pair => (pair.Key, Count: pair.Value - before.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Count > 0)
            .OrderByDescending(pair => pair.Count)
            .ToDictionary(pair => pair.Key, pair => pair.Count);

    private sealed class StrongBox
    {
        public long Value;
    }
}
