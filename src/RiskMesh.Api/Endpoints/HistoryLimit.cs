using Microsoft.Extensions.Configuration;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// How many days of one-point-a-day history the grains keep before the clock's day, read from the setting they bind
/// (an API-only node reads the same configuration), so a history request before it is refused by name, not cut.
/// </summary>
public sealed class HistoryLimit(IConfiguration configuration)
{
    /// <summary>The setting, as the grains bind it (<see cref="ScoringOptions.HistoryDays"/>).</summary>
    public const string Setting = "RiskMesh:Model:Scoring:HistoryDays";

    /// <summary>The days kept before the clock's day (or the day known on).</summary>
    public int Days { get; } = configuration.GetValue<int?>(Setting) ?? ScoringOptions.Default.HistoryDays;
}
