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
        [.. plan.Levels.OrderBy(l => l.Level).Select(l => new PlanLevelView(l.Level, l.Name, l.EnterAt, l.ExitBelow, l.DwellDays, l.Actions))])
    {
        LevelsStandAlone = plan.LevelsStandAlone,
    };

    /// <summary>The pure plan from its view.</summary>
    public static ResponsePlan FromView(IEnumerable<PlanLevelView> levels, bool levelsStandAlone = false) =>
        new([.. levels.Select(l => new PlanLevel(l.Level, l.Name, l.EnterAt, l.ExitBelow, l.DwellDays, l.Actions.IsDefault ? ImmutableArray<string>.Empty : l.Actions))])
        {
            LevelsStandAlone = levelsStandAlone,
        };

    /// <summary>
    /// The plan as stored: its levels' list, in level order, for a plan whose levels accumulate (every plan stored before
    /// the choice existed, read the same); an object <c>{"levelsStandAlone":true,"levels":[…]}</c> for one whose levels
    /// stand alone.
    /// </summary>
    public static string Write(ResponsePlan plan)
    {
        var levels = ToView("", plan, false).Levels;
        return plan.LevelsStandAlone
            ? JsonSerializer.Serialize(new StoredPlan(true, levels), Options)
            : JsonSerializer.Serialize(levels, Options);
    }

    /// <summary>A plan as stored (<see cref="Write"/>).</summary>
    public static ResponsePlan Read(string json)
    {
        if (json.AsSpan().TrimStart().StartsWith("{"))
        {
            var stored = JsonSerializer.Deserialize<StoredPlan>(json, Options) ?? throw new JsonException("stored plan is empty");
            return FromView(stored.Levels, stored.LevelsStandAlone);
        }

        return FromView(JsonSerializer.Deserialize<ImmutableArray<PlanLevelView>>(json, Options));
    }

    // A plan whose levels stand alone, as stored.
    private sealed record StoredPlan(bool LevelsStandAlone, ImmutableArray<PlanLevelView> Levels);
}
