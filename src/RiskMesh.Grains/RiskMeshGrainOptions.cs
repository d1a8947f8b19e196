using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains;

/// <summary>Options of the grains: the risk model's parameters and how often entities checkpoint their state.</summary>
public sealed class RiskMeshGrainOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RiskMesh:Model";

    /// <summary>The risk model's weights, scales and thresholds.</summary>
    /// <remarks>A fresh instance, never the shared <see cref="ScoringOptions.Default"/>: the configuration binder writes into it.</remarks>
    public ScoringOptions Scoring { get; set; } = new();

    /// <summary>How often an entity with unsaved changes writes its state; the journal covers what is in between.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Events folded since the last checkpoint after which an entity writes at once, bounding replay on activation.</summary>
    public int CheckpointAfterEvents { get; set; } = 5_000;

    /// <summary>Journal entries an ingest batch sends to grains at once: caps the calls in flight on the ingest path.</summary>
    public int MaxApplyCallsInFlight { get; set; } = 256;

    /// <summary>Most events one ingest batch may hold; more is answered 413.</summary>
    public int MaxBatchEvents { get; set; } = 10_000;
}
