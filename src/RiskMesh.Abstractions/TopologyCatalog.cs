using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;
using TopologyDocument = RiskMesh.Scoring.Topology.TopologyDocument;

namespace RiskMesh.Abstractions;

/// <summary>
/// A process's copy of the topology (a silo's or an API node's), refreshed from the topology grain when older than a few seconds, and the
/// <see cref="IEntityDirectory"/> that ingest validation asks whether a port or city exists.
/// </summary>
public sealed class TopologyCatalog(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a read topology is trusted before the grain is asked again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Lazy<string> _defaultJson = new(Scoring.Topology.DefaultTopology.ReadText);
    private (long Version, ScoringTopology Topology)? _current;
    private long _readAt;

    /// <summary>The shipped default topology as JSON.</summary>
    public string DefaultJson => _defaultJson.Value;

    /// <summary>The topology in force.</summary>
    public async ValueTask<ScoringTopology> CurrentAsync()
    {
        if (_current is { } current && time.GetElapsedTime(Volatile.Read(ref _readAt)) < CacheFor)
        {
            return current.Topology;
        }

        // Only a new version carries the JSON: a 100,000-entity topology is 16 MB of it.
        var snapshot = await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).GetIfChanged(_current?.Version ?? -1);
        if (snapshot is null && _current is { } unchanged)
        {
            Volatile.Write(ref _readAt, time.GetTimestamp());
            return unchanged.Topology;
        }

        return Remember(snapshot ?? await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get());
    }

    /// <summary>Replaces the topology after validating it; throws <see cref="Scoring.Topology.TopologyException"/> naming every problem.</summary>
    public async Task<ScoringTopology> ReplaceAsync(TopologyDocument document)
    {
        var topology = ScoringTopology.Create(document);
        var snapshot = await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Replace(Scoring.Topology.TopologyParser.ToJson(document));
        Remember(snapshot);
        return topology;
    }

    /// <summary>A directory over a topology for event validation.</summary>
    public static IEntityDirectory DirectoryOf(ScoringTopology topology) => new Directory(topology);

    private ScoringTopology Remember(TopologySnapshot snapshot)
    {
        if (_current is { } current && current.Version == snapshot.Version)
        {
            Volatile.Write(ref _readAt, time.GetTimestamp());
            return current.Topology;
        }

        var topology = ScoringTopology.Parse(snapshot.Json);
        _current = (snapshot.Version, topology);
        Volatile.Write(ref _readAt, time.GetTimestamp());
        return topology;
    }

    private sealed class Directory(ScoringTopology topology) : IEntityDirectory
    {
        public bool IsKnownPort(string id) => topology.TryGetPort(id, out _);

        public bool IsKnownCity(string id) => topology.TryGetCity(id, out _);

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
