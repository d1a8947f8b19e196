using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Topologies;

/// <summary>A province-level division that receives its cities' needs.</summary>
/// <param name="Id">Lower-case slug, e.g. <c>heilongjiang</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Population">Population if known; optional because provinces are not scored per capita.</param>
public sealed record ProvinceInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("population")] long? Population);
