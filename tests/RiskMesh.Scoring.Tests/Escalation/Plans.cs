using System.Collections.Immutable;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

/// <summary>Plans and day-by-day runs for the escalation tests.</summary>
internal static class Plans
{
    /// <summary>A valid plan with the given dwell days for every level, thresholds as in the default plan.</summary>
    public static ResponsePlan WithDwell(int dwell2, int dwell3, int dwell4) => new(
    [
        Level(2, 25, 20, dwell2),
        Level(3, 50, 42, dwell3),
        Level(4, 75, 67, dwell4),
    ]);

    /// <summary>A plan level with one action.</summary>
    public static PlanLevel Level(int level, double enterAt, double exitBelow, int dwell, params string[] actions) =>
        new(level, $"level-{level}", enterAt, exitBelow, dwell, actions.Length == 0 ? [$"act at level {level}"] : [.. actions]);

    /// <summary>Evaluates the scores on days 0, 1, 2, … and returns the change of each day (null for none).</summary>
    public static ImmutableArray<LevelChange?> Run(EscalationState state, ResponsePlan plan, params double?[] scores) =>
        [.. scores.Select((score, day) => EscalationPolicy.Evaluate(state, plan, day, score))];
}
