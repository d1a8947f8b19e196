using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Events;

/// <summary>How a case was classified where it was found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaseClassification>))]
public enum CaseClassification
{
    /// <summary>A confirmed case in an inbound traveller.</summary>
    [JsonStringEnumMemberName("imported-confirmed")]
    ImportedConfirmed,

    /// <summary>An asymptomatic infection in an inbound traveller, under observation.</summary>
    [JsonStringEnumMemberName("imported-asymptomatic")]
    ImportedAsymptomatic,

    /// <summary>A confirmed case acquired locally.</summary>
    [JsonStringEnumMemberName("local-confirmed")]
    LocalConfirmed,

    /// <summary>An asymptomatic local infection, under observation.</summary>
    [JsonStringEnumMemberName("local-asymptomatic")]
    LocalAsymptomatic,

    /// <summary>A case in severe condition.</summary>
    [JsonStringEnumMemberName("severe")]
    Severe,

    /// <summary>A death.</summary>
    [JsonStringEnumMemberName("death")]
    Death,
}

/// <summary>An ingested fact about one entity on one day. Validated by <see cref="EventParser"/>; stored in the journal as canonical JSON.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CountryCasesEvent), "country-cases")]
[JsonDerivedType(typeof(CaseEvent), "case")]
[JsonDerivedType(typeof(IntelEvent), "intel")]
[JsonDerivedType(typeof(TrafficEvent), "traffic")]
[JsonDerivedType(typeof(CapacityEvent), "capacity")]
public abstract record RiskEvent
{
    /// <summary>The client-chosen id, unique per source.</summary>
    public required string Id { get; init; }

    /// <summary>Who reported it; revisions replace within one source.</summary>
    public string Source { get; init; } = EventParser.DefaultSource;

    /// <summary>The day the event concerns (event time).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The entity whose grain folds this event in.</summary>
    [JsonIgnore]
    public abstract EntityRef Entity { get; }
}

/// <summary>A country's daily case report, as new or cumulative counts.</summary>
public sealed record CountryCasesEvent : RiskEvent
{
    /// <summary>ISO 3166-1 alpha-2 code, upper case.</summary>
    public required string Country { get; init; }

    /// <summary>New cases reported for the day.</summary>
    public long? NewCases { get; init; }

    /// <summary>Cumulative cases as of the day.</summary>
    public long? CumulativeCases { get; init; }

    /// <summary>New deaths reported for the day.</summary>
    public long? NewDeaths { get; init; }

    /// <summary>Cumulative deaths as of the day.</summary>
    public long? CumulativeDeaths { get; init; }

    /// <summary>Tests performed on the day.</summary>
    public long? Tests { get; init; }

    /// <summary>Share of tests that were positive, as a fraction in [0, 1].</summary>
    public double? Positivity { get; init; }

    /// <inheritdoc />
    public override EntityRef Entity => new(EntityKind.Country, Country);
}

/// <summary>Cases found at a port or in a city.</summary>
public sealed record CaseEvent : RiskEvent
{
    /// <summary><c>port:&lt;id&gt;</c> or <c>city:&lt;id&gt;</c>.</summary>
    public required string Location { get; init; }

    /// <summary>How many cases.</summary>
    public required int Count { get; init; }

    /// <summary>How they were classified.</summary>
    public required CaseClassification Classification { get; init; }

    /// <summary>The country the travellers came from, when known.</summary>
    public string? Origin { get; init; }

    /// <inheritdoc />
    public override EntityRef Entity => EntityRef.TryParse(Location, out var r) ? r : default;
}

/// <summary>An intelligence report about a country, port or city.</summary>
public sealed record IntelEvent : RiskEvent
{
    /// <summary><c>country:RU</c>, <c>port:…</c> or <c>city:…</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>1 (minor) to 5 (critical).</summary>
    public required int Severity { get; init; }

    /// <summary>How far the report is trusted, in [0, 1].</summary>
    public required double Confidence { get; init; }

    /// <summary>Free category such as <c>border-measures</c> or <c>testing-shortage</c>.</summary>
    public required string Category { get; init; }

    /// <summary>One or two sentences.</summary>
    public required string Summary { get; init; }

    /// <summary>
    /// The id of an earlier intelligence report of the same source and subject that this one corrects: it takes that
    /// report's place instead of adding to it (a correction of a correction names either id). Null for a new report.
    /// </summary>
    public string? Replaces { get; init; }

    /// <inheritdoc />
    public override EntityRef Entity => EntityRef.TryParse(Subject, out var r) ? r : default;
}

/// <summary>Inbound travellers at a port on a day, optionally by origin country.</summary>
public sealed record TrafficEvent : RiskEvent
{
    /// <summary>The port's slug.</summary>
    public required string Port { get; init; }

    /// <summary>Inbound travellers.</summary>
    public required long Inbound { get; init; }

    /// <summary>Inbound travellers by ISO country code.</summary>
    public ImmutableSortedDictionary<string, long>? Origins { get; init; }

    /// <inheritdoc />
    public override EntityRef Entity => new(EntityKind.Port, Port);
}

/// <summary>Testing and care capacity of a port, city or country as of a day.</summary>
public sealed record CapacityEvent : RiskEvent
{
    /// <summary><c>port:…</c>, <c>city:…</c> or <c>country:…</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>Nucleic-acid tests the subject can run a day.</summary>
    public double? TestsPerDay { get; init; }

    /// <summary>Certified testing laboratories.</summary>
    public double? Labs { get; init; }

    /// <summary>Laboratory technicians.</summary>
    public double? Technicians { get; init; }

    /// <summary>Test kits in stock.</summary>
    public double? TestKits { get; init; }

    /// <summary>Isolation beds.</summary>
    public double? IsolationBeds { get; init; }

    /// <summary>Hours from sample to result.</summary>
    public double? TestTurnaroundHours { get; init; }

    /// <summary>
    /// Countries only: real infections per officially reported case ("official counts understate by ×N"); official
    /// 14-day incidence × factor is read as the infectious prevalence among the country's travellers.
    /// </summary>
    public double? AscertainmentFactor { get; init; }

    /// <inheritdoc />
    public override EntityRef Entity => EntityRef.TryParse(Subject, out var r) ? r : default;
}

/// <summary>Source-generated JSON for the canonical event form stored in the journal.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RiskEvent))]
public sealed partial class RiskEventJsonContext : JsonSerializerContext;
