using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Topologies;

/// <summary>A country named by a topology, keyed by its ISO 3166-1 alpha-2 code.</summary>
/// <param name="Code">Upper-case alpha-2 code, e.g. <c>RU</c>.</param>
/// <param name="Name">Display name, e.g. <c>Russia</c>.</param>
/// <param name="Population">Population used for incidence per 100,000.</param>
public sealed record CountryInfo(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("population")] long Population);
