namespace RiskMesh.Api.Endpoints;

/// <summary>Limits of the HTTP API.</summary>
public sealed class RiskMeshApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RiskMesh:Api";

    /// <summary>Largest ingest body accepted, in bytes; larger is answered 413.</summary>
    public long MaxIngestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Most rows a ranking returns.</summary>
    public int MaxRankingLimit { get; set; } = 1000;
}
