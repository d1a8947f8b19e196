using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Keys;

/// <summary>An assigned ISO 3166-1 alpha-2 code with its English short name and approximate 2020 population.</summary>
/// <param name="Code">The upper-case alpha-2 code, e.g. <c>RU</c>.</param>
/// <param name="Name">The ISO English short name, e.g. <c>Russian Federation</c>.</param>
/// <param name="Population">Approximate mid-2020 population; null where no permanent population makes sense (e.g. <c>AQ</c>).</param>
public sealed record IsoCountry(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("population")] long? Population);
