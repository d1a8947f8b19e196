using System.Collections.Immutable;

namespace RiskMesh.Abstractions;

/// <summary>One term of a risk score: its raw value, where that sits in [0, 1], its weight and share of the score, and why.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.RiskComponentView")]
public sealed record RiskComponentView(
    string Name,
    double? Value,
    string? Unit,
    double Normalized,
    double Weight,
    double Contribution,
    string Explanation);

/// <summary>The reference classifications reported beside a country's score.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.ClassificationsView")]
public sealed record ClassificationsView(string Ecdc, string CdcThn);

/// <summary>Data-quality flags of an entity, so analysts know how far to trust a score.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.DataQualityView")]
public sealed record DataQualityView(
    bool Stale,
    int? DaysSinceLastReport,
    bool FlatSeries,
    bool Revised,
    bool MissingPopulation,
    ImmutableArray<string> Notes,
    bool Estimated = false);

/// <summary>An entity's risk as of one day: score, level, trend, the components that explain it, and key metrics.</summary>
/// <remarks>
/// <see cref="Level"/> is the score band (the model's thresholds). A city's view also carries <see cref="Response"/>,
/// the level of its response plan in force, which can stay higher than the band while the plan's dwell runs.
/// </remarks>
[GenerateSerializer, Immutable, Alias("riskmesh.RiskView")]
public sealed record RiskView(
    string Id,
    string Kind,
    string Name,
    DateOnly AsOf,
    double? Score,
    string Level,
    string Trend,
    ImmutableArray<RiskComponentView> Components,
    ImmutableDictionary<string, double?> Metrics,
    ClassificationsView? Classifications,
    DataQualityView DataQuality,
    ResponseLevelView? Response = null);

/// <summary>One day of an entity's history; countries carry their reference classifications.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.HistoryPointView")]
public sealed record HistoryPointView(
    DateOnly Date,
    double? Score,
    string Level,
    ImmutableDictionary<string, double?> Metrics,
    ClassificationsView? Classifications = null);

/// <summary>
/// A compact per-day summary that an upstream entity hands to the ones downstream of it: a country's traveller
/// prevalence and ascertainment for its ports, a port's imported cases and exposure floor for its city.
/// </summary>
[GenerateSerializer, Immutable, Alias("riskmesh.UpstreamDay")]
public sealed record UpstreamDay(
    int DayNumber,
    double? Score,
    string Level,
    double? PrevalencePerPerson,
    double? ImportedCases14d = null,
    double? Ascertainment = null,
    double? ExposureFloor = null);

/// <summary>A row of a ranking.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.RankingEntry")]
public sealed record RankingEntry(string Id, string Kind, string Name, double? Score, string Level, string Trend);
