using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Topologies;

/// <summary>The raw, unvalidated content of a topology file: countries, provinces, cities and ports.</summary>
/// <remarks>Equality is by value over every list, so a parsed and re-serialised document equals the original.</remarks>
public sealed record TopologyDocument(
    [property: JsonPropertyName("countries")] ImmutableArray<CountryInfo> Countries,
    [property: JsonPropertyName("provinces")] ImmutableArray<ProvinceInfo> Provinces,
    [property: JsonPropertyName("cities")] ImmutableArray<CityInfo> Cities,
    [property: JsonPropertyName("ports")] ImmutableArray<PortInfo> Ports)
{
    /// <summary>A document with no entries.</summary>
    public static TopologyDocument Empty { get; } = new([], [], [], []);

    /// <summary>Compares by value, list by list and in order.</summary>
    public bool Equals(TopologyDocument? other) =>
        other is not null
        && SequenceEquality.Equal(Countries, other.Countries)
        && SequenceEquality.Equal(Provinces, other.Provinces)
        && SequenceEquality.Equal(Cities, other.Cities)
        && SequenceEquality.Equal(Ports, other.Ports);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        SequenceEquality.Hash(Countries),
        SequenceEquality.Hash(Provinces),
        SequenceEquality.Hash(Cities),
        SequenceEquality.Hash(Ports));
}
