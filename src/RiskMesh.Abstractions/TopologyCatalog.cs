using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Abstractions;

/// <summary>
/// A process's copy of the topology (a silo's or an API node's), refreshed from the topology grain when older than a few seconds, and the
/// <see cref="IEntityDirectory"/> that ingest validation asks whether a port or city exists.
/// </summary>
public sealed class TopologyCatalog(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a read topology is trusted before the grain is asked again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly Lazy<string> _defaultJson = new(DefaultTopology.ReadText);
    private readonly Lock _refreshing = new();
    private Known? _current;
    private long _readAt;
    private Task<Known>? _refresh;

    /// <summary>The shipped default topology as JSON.</summary>
    public string DefaultJson => _defaultJson.Value;

    /// <summary>The topology in force.</summary>
    public async ValueTask<Topology> CurrentAsync()
    {
        var known = Volatile.Read(ref _current);
        if (known is not null && time.GetElapsedTime(Volatile.Read(ref _readAt)) < CacheFor)
        {
            return known.Topology;
        }

        return (await RefreshAsync()).Topology;
    }

    /// <summary>
    /// This process's topology as of <paramref name="version"/> or later: the grain is asked at once when the copy held
    /// is older, for a decision that a copy cached before a replacement made through another process would get wrong.
    /// </summary>
    public async ValueTask<Topology> AtLeastAsync(long version)
    {
        if (Volatile.Read(ref _current) is { } current && current.Version >= version)
        {
            return current.Topology;
        }

        // A refresh already under way may have asked the grain before that version was stored: then one more, which
        // asks after this call began. Should that too answer older (a version the grain never had), it is what the
        // grain holds, and is answered rather than asked for again and again.
        var read = await RefreshAsync();
        return read.Version >= version ? read.Topology : (await RefreshAsync()).Topology;
    }

    /// <summary>
    /// Replaces the topology after validating it, then has every city whose score inputs changed evaluate again
    /// (<see cref="TopologyChanges"/>); throws <see cref="TopologyException"/> naming every problem.
    /// </summary>
    public async Task<TopologyReplacement> ReplaceAsync(TopologyDocument document)
    {
        var inForce = await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get();
        return await ReplaceAsync(document, inForce.Version, Topology.Parse(inForce.Json), newCities: true);
    }

    /// <summary>
    /// <see cref="ReplaceAsync(TopologyDocument)"/> for a caller that already read the topology in force
    /// (<paramref name="inForce"/>, at <paramref name="inForceVersion"/>) and checked the replacement against it; the
    /// answer comes once the cities it changed have evaluated again. Throws <see cref="TopologyChangedException"/>,
    /// replacing nothing, when another replacement was made since that version: what this one removes and which cities it
    /// changes were judged against a topology no longer in force. Without <paramref name="newCities"/>, a city new to the
    /// topology whose ports are all new too is not evaluated (a bulk install of a new world, which would otherwise activate
    /// every grain it adds).
    /// </summary>
    public async Task<TopologyReplacement> ReplaceAsync(TopologyDocument document, long inForceVersion, Topology inForce, bool newCities)
    {
        ArgumentNullException.ThrowIfNull(inForce);
        var topology = Topology.Create(document);
        var snapshot = await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).ReplaceAt(inForceVersion, TopologyParser.ToJson(document))
            ?? throw new TopologyChangedException(inForceVersion);

        // The document is already made into a topology here: its stored JSON is not parsed again (31.6 MB at 100,000 entities).
        Remember(snapshot.Version, topology);
        var cities = TopologyChanges.CitiesToReevaluate(inForce, topology, newCities);
        var evaluation = cities.IsEmpty ? TopologyEvaluation.None : await EvaluateAgainAsync(snapshot.Version, cities);
        return new TopologyReplacement(topology, snapshot.Version, evaluation);
    }

    /// <summary>
    /// Has the cities evaluate again. The topology is stored already, so a run that does not answer (it timed out, its
    /// grain's silo failed) must not make the replacement look refused: it is reported with every city counted as
    /// failed, and those cities decide at their next event or the daily evaluation.
    /// </summary>
    private async Task<TopologyEvaluation> EvaluateAgainAsync(long version, System.Collections.Immutable.ImmutableArray<string> cities)
    {
        try
        {
            return await grains.GetGrain<IDailyEvaluationGrain>(GrainKeys.Singleton).RunForTopology(version, cities);
        }
        catch (Exception ex)
        {
            return new TopologyEvaluation(cities.Length, cities.Length, 0, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>A directory over a topology for event validation.</summary>
    public static IEntityDirectory DirectoryOf(Topology topology) => new Directory(topology);

    // One read of the grain and one parse at a time for the whole process, shared by every caller that needs a newer
    // copy meanwhile: after a replacement made through an API node, each city evaluated again and each of its ports and
    // countries asks at once, and a 100,000-entity topology is 31.6 MB of JSON to ship and parse. The refresh belongs
    // to no caller: it runs outside the grain that happened to start it (whose turn would otherwise carry the parse)
    // and without its request context.
    private Task<Known> RefreshAsync()
    {
        lock (_refreshing)
        {
            if (_refresh is { IsCompleted: false } running)
            {
                return running;
            }

            using (ExecutionContext.SuppressFlow())
            {
                return _refresh = Task.Run(ReadAsync);
            }
        }
    }

    private async Task<Known> ReadAsync()
    {
        // Only a new version carries the JSON: a 100,000-entity topology is 31.6 MB of it.
        var held = Volatile.Read(ref _current);
        var snapshot = await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).GetIfChanged(held?.Version ?? -1);
        if (snapshot is null && held is not null)
        {
            Volatile.Write(ref _readAt, time.GetTimestamp());
            return Volatile.Read(ref _current) ?? held;
        }

        snapshot ??= await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get();

        // A replacement made through this process may have brought the copy to that version already: not parsed again.
        if (Volatile.Read(ref _current) is { } known && known.Version >= snapshot.Version)
        {
            Volatile.Write(ref _readAt, time.GetTimestamp());
            return known;
        }

        return Remember(snapshot.Version, Topology.Parse(snapshot.Json));
    }

    // Reads and replacements may finish in either order: the copy kept only ever moves to a newer version (swapped
    // whole, so no reader sees a version beside another version's topology).
    private Known Remember(long version, Topology topology)
    {
        var read = new Known(version, topology);
        var known = Volatile.Read(ref _current);
        while (true)
        {
            if (known is not null && known.Version >= read.Version)
            {
                Volatile.Write(ref _readAt, time.GetTimestamp());
                return known;
            }

            var seen = Interlocked.CompareExchange(ref _current, read, known);
            if (ReferenceEquals(seen, known))
            {
                Volatile.Write(ref _readAt, time.GetTimestamp());
                return read;
            }

            known = seen;
        }
    }

    private sealed record Known(long Version, Topology Topology);

    private sealed class Directory(Topology topology) : IEntityDirectory
    {
        public bool IsKnownPort(string id) => topology.TryGetPort(id, out _);

        public bool IsKnownCity(string id) => topology.TryGetCity(id, out _);

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);

        public IEnumerable<string> KnownIds(EntityKind kind) => kind switch
        {
            EntityKind.Port => topology.Ports.Select(p => p.Id),
            EntityKind.City => topology.Cities.Select(c => c.Id),
            EntityKind.Province => topology.Provinces.Select(p => p.Id),
            _ => [],
        };
    }
}

/// <summary>A topology replacement as made: the topology now in force, its version, and the cities it had evaluate again.</summary>
/// <param name="Topology">The topology now in force.</param>
/// <param name="Version">Its version.</param>
/// <param name="Evaluation">The cities whose score inputs it changed, evaluated again, and the notices they issued.</param>
public sealed record TopologyReplacement(Topology Topology, long Version, TopologyEvaluation Evaluation);

/// <summary>A topology replacement refused because another was made after the version it was checked against.</summary>
public sealed class TopologyChangedException(long checkedVersion)
    : Exception($"The topology was replaced by another request after version {checkedVersion}, which this replacement was checked against; nothing was replaced. Read the topology again (GET /api/v1/topology), make the change on it and send it again.")
{
    /// <summary>The version the refused replacement was checked against.</summary>
    public long CheckedVersion { get; } = checkedVersion;
}
