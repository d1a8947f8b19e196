using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Topologies;

/// <summary>The mode of transport a port of entry serves; written in JSON as a lower-case string.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PortKind>))]
public enum PortKind
{
    /// <summary>A road crossing.</summary>
    [JsonStringEnumMemberName("road")]
    Road,

    /// <summary>A railway crossing.</summary>
    [JsonStringEnumMemberName("rail")]
    Rail,

    /// <summary>An airport.</summary>
    [JsonStringEnumMemberName("air")]
    Air,

    /// <summary>A seaport.</summary>
    [JsonStringEnumMemberName("sea")]
    Sea,

    /// <summary>A river port (ferries, barges, seasonal ice roads).</summary>
    [JsonStringEnumMemberName("river")]
    River,
}
