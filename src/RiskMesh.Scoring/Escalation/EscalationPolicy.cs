namespace RiskMesh.Scoring.Escalation;

/// <summary>Where a city stands: its level, since when, and since when its score has been below the level's exit.</summary>
public sealed class EscalationState
{
    /// <summary>1 to 4.</summary>
    public int Level { get; set; } = 1;

    /// <summary>Day number the level was entered.</summary>
    public int? EnteredDay { get; set; }

    /// <summary>First day of the current run of days below the level's exit score.</summary>
    public int? BelowExitSinceDay { get; set; }

    /// <summary>The last day evaluated.</summary>
    public int? LastEvaluatedDay { get; set; }

    /// <summary>For each port, the level it was last reported at above the city.</summary>
    public Dictionary<string, int> PortLevelsNotified { get; set; } = [];
}

/// <summary>A change of level decided for a day.</summary>
public sealed record LevelChange(int Day, int PreviousLevel, int NewLevel)
{
    /// <summary>True when the level rose.</summary>
    public bool IsEscalation => NewLevel > PreviousLevel;
}

/// <summary>
/// Hysteresis and dwell: escalate at once when the score enters a higher level; step down only after the score has
/// stayed below the current level's exit score for its dwell days, to the highest level whose exit the score still
/// meets. A score that oscillates around one threshold therefore never flip-flops.
/// </summary>
public static class EscalationPolicy
{
    /// <summary>
    /// Evaluates one day. A null score (no recent data) never raises the level, but counts as below every exit, so a
    /// city whose data goes quiet steps down after its dwell days instead of staying escalated for ever.
    /// </summary>
    public static LevelChange? Evaluate(EscalationState state, ResponsePlan plan, int day, double? score)
    {
        state.LastEvaluatedDay = day;
        var s = score ?? -1;
        var previous = state.Level;
        var entry = score is null ? 1 : plan.EntryLevelFor(s);
        if (entry > previous)
        {
            state.Level = entry;
            state.EnteredDay = day;
            state.BelowExitSinceDay = null;
            return new LevelChange(day, previous, entry);
        }

        if (plan.LevelOf(previous) is not { } current || s >= current.ExitBelow)
        {
            state.BelowExitSinceDay = null;
            return null;
        }

        state.BelowExitSinceDay ??= day;
        if (day - state.BelowExitSinceDay.Value + 1 < current.DwellDays)
        {
            return null;
        }

        var next = plan.Levels.Where(l => l.Level < previous && s >= l.ExitBelow).Select(l => l.Level).DefaultIfEmpty(1).Max();
        state.Level = next;
        state.EnteredDay = day;
        state.BelowExitSinceDay = plan.LevelOf(next) is { } lower && s < lower.ExitBelow ? day : null;
        return new LevelChange(day, previous, next);
    }

    /// <summary>
    /// Ports whose own level (by the city's plan entry scores) stands above the city's and above what was last
    /// reported for them; forgets ports that came back down so a later rise is reported again.
    /// </summary>
    public static IReadOnlyList<(string Port, int Level)> PortsAboveCity(EscalationState state, ResponsePlan plan, IEnumerable<(string Port, double? Score)> ports)
    {
        var raised = new List<(string, int)>();
        foreach (var (port, score) in ports)
        {
            var level = score is { } s ? plan.EntryLevelFor(s) : 1;
            if (level <= state.Level)
            {
                state.PortLevelsNotified.Remove(port);
                continue;
            }

            if (!state.PortLevelsNotified.TryGetValue(port, out var notified) || level > notified)
            {
                state.PortLevelsNotified[port] = level;
                raised.Add((port, level));
            }
        }

        return raised;
    }
}
