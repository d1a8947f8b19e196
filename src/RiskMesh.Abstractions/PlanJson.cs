using System.Collections.Immutable;
using System.Text.Json;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Abstractions;

/// <summary>A city's response plan as the API shows it, and as the city stores it: its levels' JSON, web defaults (camelCase).</summary>
public static class PlanJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JsonText.Encoder };

    /// <summary>The plan as the API shows it.</summary>
    public static ResponsePlanView ToView(string city, ResponsePlan plan, bool isDefault) => new(
        city,
        isDefault,
        [.. plan.Levels.OrderBy(l => l.Level).Select(l => new PlanLevelView(l.Level, l.Name, l.EnterAt, l.ExitBelow, l.DwellDays, l.Actions))]);

    /// <summary>The pure plan from its view.</summary>
    public static ResponsePlan FromView(IEnumerable<PlanLevelView> levels) =>
        new([.. levels.Select(l => new PlanLevel(l.Level, l.Name, l.EnterAt, l.ExitBelow, l.DwellDays, l.Actions.IsDefault ? ImmutableArray<string>.Empty : l.Actions))]);

    /// <summary>The plan's levels as stored, in level order.</summary>
    public static string Write(ResponsePlan plan) => JsonSerializer.Serialize(ToView("", plan, false).Levels, Options);

    /// <summary>A plan from its stored levels.</summary>
    public static ResponsePlan Read(string json) => FromView(JsonSerializer.Deserialize<ImmutableArray<PlanLevelView>>(json, Options));
}
