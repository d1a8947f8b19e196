namespace RiskMesh.Scoring.Topologies;

/// <summary>The shipped topology of China's land-border ports, embedded as <c>Topologies/china-land-borders.json</c>.</summary>
public static class DefaultTopology
{
    /// <summary>The manifest name of the embedded topology file.</summary>
    public const string ResourceName = "RiskMesh.Scoring.Topologies.china-land-borders.json";

    private static readonly Lazy<Topology> Loaded = new(() => Topology.Create(TopologyParser.Parse(ReadText())));

    /// <summary>The parsed default document.</summary>
    public static TopologyDocument Document => Loaded.Value.Document;

    /// <summary>The default topology, validated and indexed; built once and shared, as it is immutable.</summary>
    public static Topology Load() => Loaded.Value;

    /// <summary>The embedded file's text, e.g. to seed an editable copy.</summary>
    public static string ReadText()
    {
        using var stream = typeof(DefaultTopology).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(DefaultTopology).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
