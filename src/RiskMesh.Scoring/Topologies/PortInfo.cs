using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Topologies;

/// <summary>A port of entry: its mode, the city that holds it and the countries it faces.</summary>
/// <param name="Id">Lower-case slug naming the place and, where a place has several, the mode, e.g. <c>suifenhe-rail</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">Mode of transport.</param>
/// <param name="City">Slug of the city that holds the port.</param>
/// <param name="Faces">ISO 3166-1 alpha-2 codes of the countries travellers arrive from.</param>
/// <param name="Lat">Latitude of the crossing in degrees (WGS 84), for the console's map; null when unknown.</param>
/// <param name="Lon">Longitude of the crossing in degrees (WGS 84); null when unknown.</param>
/// <param name="NominalInbound">
/// Inbound travellers on an ordinary day, from a documented public figure (Topologies/README.md); null means the
/// default for the port's kind (<see cref="NominalTraffic"/>). Used when no traffic has been reported recently.
/// </param>
public sealed record PortInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] PortKind Kind,
    [property: JsonPropertyName("city")] string City,
    [property: JsonPropertyName("faces")] ImmutableArray<string> Faces,
    [property: JsonPropertyName("lat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Lat = null,
    [property: JsonPropertyName("lon"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Lon = null,
    [property: JsonPropertyName("nominalInbound"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? NominalInbound = null)
{
    /// <summary>The nominal daily inbound the model uses: the port's own figure, else its kind's default.</summary>
    [JsonIgnore]
    public long NominalInboundPerDay => NominalInbound ?? NominalTraffic.DefaultInbound(Kind);

    /// <summary>True when <see cref="NominalInboundPerDay"/> is the kind's default rather than a figure for this port.</summary>
    [JsonIgnore]
    public bool NominalInboundIsDefault => NominalInbound is null;

    /// <summary>Compares by value, including the faced countries in order.</summary>
    public bool Equals(PortInfo? other) =>
        other is not null
        && string.Equals(Id, other.Id, StringComparison.Ordinal)
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Kind == other.Kind
        && string.Equals(City, other.City, StringComparison.Ordinal)
        && SequenceEquality.Equal(Faces, other.Faces)
        && Lat == other.Lat
        && Lon == other.Lon
        && NominalInbound == other.NominalInbound;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Name, Kind, City, SequenceEquality.Hash(Faces), Lat, Lon, NominalInbound);
}
