using System.Collections.Immutable;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Assistance;

/// <summary>What the assistance model knows of a city: its current score and level, its capacity and cases, and its ports' traffic and testing.</summary>
public sealed record CityNeedInput
{
    /// <summary>City slug.</summary>
    public required string CityId { get; init; }

    /// <summary>Display name.</summary>
    public required string CityName { get; init; }

    /// <summary>Province slug.</summary>
    public required string ProvinceId { get; init; }

    /// <summary>Resident population, or null when unknown.</summary>
    public long? Population { get; init; }

    /// <summary>The city's score 0–100, or null when its data is insufficient.</summary>
    public double? Score { get; init; }

    /// <summary>The city's level.</summary>
    public RiskLevel Level { get; init; } = RiskLevel.InsufficientData;

    /// <summary>The city's capacity gap from the risk model (0 enough, 1 none); null counts as the model's unknown gap.</summary>
    public double? CapacityGap { get; init; }

    /// <summary>Laboratories reported, or null.</summary>
    public double? Labs { get; init; }

    /// <summary>Laboratory technicians reported, or null.</summary>
    public double? Technicians { get; init; }

    /// <summary>Isolation beds reported, or null.</summary>
    public double? IsolationBeds { get; init; }

    /// <summary>Test kits in stock reported, or null.</summary>
    public double? TestKits { get; init; }

    /// <summary>Locally acquired confirmed cases in 14 days.</summary>
    public double LocalCases14d { get; init; }

    /// <summary>Asymptomatic infections under observation, 14 days.</summary>
    public double Asymptomatic14d { get; init; }

    /// <summary>Imported cases found at its ports or in the city in 14 days, isolated and treated in the city.</summary>
    public double ImportedHosted14d { get; init; }

    /// <summary>Severe cases in 14 days.</summary>
    public double Severe14d { get; init; }

    /// <summary>Days since the city's last report, or null when it never reported.</summary>
    public int? DaysSinceLastReport { get; init; }

    /// <summary>
    /// The level of the city's response plan in force (1–4), or null when unknown. It lags the score band by the
    /// plan's hysteresis and dwell; while it stands at 4 the plan asks for a national expert team, at 3 for testing kits
    /// and technicians from the province.
    /// </summary>
    public int? ResponseLevel { get; init; }

    /// <summary>The day the response level in force was entered, or null.</summary>
    public DateOnly? ResponseSince { get; init; }

    /// <summary>The first day the plan can step down from its level if the score stays below its exit, or null.</summary>
    public DateOnly? ResponseStepDownFrom { get; init; }

    /// <summary>The actions of the plan level in force, in the plan's words, or empty when unknown (a day of history).</summary>
    public ImmutableArray<string> ResponseActions { get; init; } = [];

    /// <summary>The city's ports.</summary>
    public ImmutableArray<PortNeedInput> Ports { get; init; } = [];

    /// <summary>Inbound travellers a day over all the city's ports (those that reported traffic).</summary>
    public double DailyInbound => Ports.IsDefaultOrEmpty ? 0 : Ports.Sum(p => p.DailyInbound ?? 0);
}

/// <summary>What the assistance model knows of one of a city's ports.</summary>
/// <param name="PortId">Port slug.</param>
/// <param name="DailyInbound">Inbound travellers a day (7-day mean), or null without traffic reports.</param>
/// <param name="CapacityGap">The port's testing capacity gap (0..1).</param>
/// <param name="TestsPerDay">Tests a day reported at the port, or null when never reported.</param>
public sealed record PortNeedInput(string PortId, double? DailyInbound, double? CapacityGap, double? TestsPerDay);
