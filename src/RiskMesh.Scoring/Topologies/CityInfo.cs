using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Topologies;

/// <summary>A city (in the default topology, the county-level unit that holds a port).</summary>
/// <param name="Id">Lower-case slug, e.g. <c>suifenhe</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Province">Slug of the province the city belongs to.</param>
/// <param name="Population">Resident population used for local incidence per 100,000.</param>
/// <param name="Lat">Latitude of the seat in degrees (WGS 84), for the console's map; null when unknown.</param>
/// <param name="Lon">Longitude of the seat in degrees (WGS 84); null when unknown.</param>
public sealed record CityInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("province")] string Province,
    [property: JsonPropertyName("population")] long Population,
    [property: JsonPropertyName("lat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Lat = null,
    [property: JsonPropertyName("lon"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Lon = null);
