namespace RiskMesh.Scoring.Escalation;

/// <summary>Where a city stood after a day on which its standing changed.</summary>
public sealed class EscalationSnapshot
{
    /// <summary>The day number evaluated.</summary>
    public int Day { get; set; }

    /// <summary>The standing after that day.</summary>
    public EscalationState State { get; set; } = new();
}

/// <summary>
/// A city's standing after each day on which it changed, so that when the clock moves back the city resumes from
/// where it stood then (not from where it stands later), and re-evaluating those days decides as it did the first
/// time. Days without a change cost nothing; the oldest entries go past <see cref="MaxSnapshots"/>.
/// </summary>
public sealed class EscalationTimeline
{
    /// <summary>How many changes are kept.</summary>
    public const int MaxSnapshots = 2000;

    /// <summary>The snapshots, oldest day first.</summary>
    public List<EscalationSnapshot> Snapshots { get; set; } = [];

    /// <summary>
    /// Records the standing after <paramref name="day"/> was evaluated: forgets what was recorded for that day and
    /// later (they are being decided again), then keeps the standing if it differs from the one before.
    /// </summary>
    public void Record(int day, EscalationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Snapshots.RemoveAll(s => s.Day >= day);
        var before = Snapshots.Count > 0 ? Snapshots[^1].State : new EscalationState();
        if (!state.SameAs(before))
        {
            var copy = state.Clone();
            copy.LastEvaluatedDay = day;
            Snapshots.Add(new EscalationSnapshot { Day = day, State = copy });
        }

        if (Snapshots.Count > MaxSnapshots)
        {
            Snapshots.RemoveRange(0, Snapshots.Count - MaxSnapshots);
        }
    }

    /// <summary>
    /// The standing at the end of the day before <paramref name="day"/> (a copy, with that day as the last evaluated),
    /// and forgets everything recorded from <paramref name="day"/> on.
    /// </summary>
    public EscalationState RewindTo(int day)
    {
        Snapshots.RemoveAll(s => s.Day >= day);
        var state = Snapshots.Count > 0 ? Snapshots[^1].State.Clone() : new EscalationState();
        state.LastEvaluatedDay = day - 1;
        return state;
    }
}
