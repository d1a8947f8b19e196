namespace RiskMesh.Scoring.Escalation;

/// <summary>Where one thing (a city, or one of its ports) stands on a plan: its level, since when, and since when below the exit.</summary>
public class LevelTracker
{
    /// <summary>1 to 4.</summary>
    public int Level { get; set; } = 1;

    /// <summary>Day number the level was entered.</summary>
    public int? EnteredDay { get; set; }

    /// <summary>First day of the current run of days below the level's exit score.</summary>
    public int? BelowExitSinceDay { get; set; }

    /// <summary>
    /// For a port: the level a port-above-city notice told it at, while that notice is in force (the port has not
    /// fallen back to the city's level, and the city has not reached the level told); null otherwise, and for a city.
    /// What tells the team, once the port stands at or below the city again, that the notice no longer holds
    /// (<see cref="EscalationPolicy.PortsNoLongerAboveCity"/>), and once it steps down to a lower level still above the
    /// city, that it is to be told at that level (<see cref="EscalationPolicy.PortsSteppedDownAboveCity"/>, which moves
    /// the mark to it). Stored with the standing (left out while null).
    /// </summary>
    /// <remarks>
    /// Kept in a byte (0: none): every city holds a tracker per port twice (its state and its timeline's last
    /// snapshot), and the byte fits in the object's padding where an <c>int?</c> grew each tracker by 8 bytes
    /// (PortStandingsTests measures the copy).
    /// </remarks>
    public int? ToldAboveCityAt
    {
        get => _toldAboveCityAt == 0 ? null : _toldAboveCityAt;
        set => _toldAboveCityAt = value is { } level ? checked((byte)level) : (byte)0;
    }

    private byte _toldAboveCityAt;

    /// <summary>True when both stand the same (level, entry day, dwell progress, and the level a notice told a port at).</summary>
    public bool SameStanding(LevelTracker other) =>
        other is not null && Level == other.Level && EnteredDay == other.EnteredDay && BelowExitSinceDay == other.BelowExitSinceDay
        && ToldAboveCityAt == other.ToldAboveCityAt;

    /// <summary>A copy.</summary>
    public LevelTracker CloneTracker() => new() { Level = Level, EnteredDay = EnteredDay, BelowExitSinceDay = BelowExitSinceDay, ToldAboveCityAt = ToldAboveCityAt };
}

/// <summary>Where a city stands: its own level and dwell progress, each port's, and the last day evaluated.</summary>
public sealed class EscalationState : LevelTracker
{
    /// <summary>A city at level 1 with no port tracked.</summary>
    public EscalationState() => Ports = new();

    // A copy's ports, without first making the empty standings a new state starts with.
    private EscalationState(PortStandings ports) => Ports = ports;

    /// <summary>The last day evaluated.</summary>
    public int? LastEvaluatedDay { get; set; }

    /// <summary>Each port's level by the city's plan, with the same hysteresis and dwell as the city's own.</summary>
    public PortStandings Ports { get; set; }

    /// <summary>True when the city and every port stand the same (the last evaluated day aside).</summary>
    public bool SameAs(EscalationState other) =>
        other is not null
        && SameStanding(other)
        && Ports.Count == other.Ports.Count
        && SamePorts(other);

    /// <summary>
    /// The standing as <see cref="SameAs(StandingSnapshot)"/> compares it later: a city takes one before every evaluation
    /// to know whether the evaluation moved it, and an array of values costs a fraction of a deep copy.
    /// </summary>
    public StandingSnapshot Snapshot()
    {
        var entries = new (string? Port, int Level, int? EnteredDay, int? BelowExitSinceDay, int? Told)[Ports.Count + 1];
        entries[0] = (null, Level, EnteredDay, BelowExitSinceDay, ToldAboveCityAt);
        var i = 1;
        foreach (var (port, tracker) in Ports)
        {
            entries[i++] = (port, tracker.Level, tracker.EnteredDay, tracker.BelowExitSinceDay, tracker.ToldAboveCityAt);
        }

        return new StandingSnapshot(entries);
    }

    /// <summary>
    /// True when the city and every port stand as in the snapshot (the last evaluated day aside). Ports are compared in
    /// the order they are held; the same ports held in another order read as a change, which costs a write, never a loss.
    /// </summary>
    public bool SameAs(StandingSnapshot snapshot)
    {
        var entries = snapshot.Entries;
        if (entries is null || entries.Length != Ports.Count + 1 || entries[0] != (null, Level, EnteredDay, BelowExitSinceDay, ToldAboveCityAt))
        {
            return false;
        }

        var i = 1;
        foreach (var (port, tracker) in Ports)
        {
            var (known, level, entered, below, told) = entries[i++];
            if (!string.Equals(known, port, StringComparison.Ordinal) || level != tracker.Level || entered != tracker.EnteredDay || below != tracker.BelowExitSinceDay
                || told != tracker.ToldAboveCityAt)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A deep copy.</summary>
    public EscalationState Clone() => new(Ports.Clone())
    {
        Level = Level,
        EnteredDay = EnteredDay,
        BelowExitSinceDay = BelowExitSinceDay,
        LastEvaluatedDay = LastEvaluatedDay,
    };

    // Loops, not LINQ: a city compares and copies its standing on every evaluation.
    private bool SamePorts(EscalationState other)
    {
        foreach (var (port, tracker) in Ports)
        {
            if (!other.Ports.TryGetValue(port, out var o) || !tracker.SameStanding(o))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A city's standing copied as values (<see cref="EscalationState.Snapshot"/>): the city first, then each port.</summary>
public readonly struct StandingSnapshot
{
    internal StandingSnapshot((string? Port, int Level, int? EnteredDay, int? BelowExitSinceDay, int? Told)[] entries) => Entries = entries;

    internal (string? Port, int Level, int? EnteredDay, int? BelowExitSinceDay, int? Told)[]? Entries { get; }
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
/// meets, or, on a day without a score, one level. A score that oscillates around one threshold therefore never
/// flip-flops. Ports are judged by the same rule.
/// </summary>
public static class EscalationPolicy
{
    /// <summary>
    /// Evaluates one day of the city. A null score (no recent data) never raises the level, but counts as below every
    /// exit, so a city whose data goes quiet steps down after its dwell days instead of staying escalated for ever; one
    /// level per dwell (each level's own), since the absence of data is no evidence that the risk is gone.
    /// </summary>
    public static LevelChange? Evaluate(EscalationState state, ResponsePlan plan, int day, double? score)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.LastEvaluatedDay = day;
        return Step(state, plan, day, score);
    }

    /// <summary>One day of hysteresis and dwell for anything tracked on a plan (a city or a port).</summary>
    public static LevelChange? Step(LevelTracker tracker, ResponsePlan plan, int day, double? score)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(plan);
        var s = score ?? -1;
        var previous = tracker.Level;
        var entry = score is null ? 1 : plan.EntryLevelFor(s);
        if (entry > previous)
        {
            tracker.Level = entry;
            tracker.EnteredDay = day;
            tracker.BelowExitSinceDay = null;
            return new LevelChange(day, previous, entry);
        }

        if (plan.LevelOf(previous) is not { } current || s >= current.ExitBelow)
        {
            tracker.BelowExitSinceDay = null;
            return null;
        }

        tracker.BelowExitSinceDay ??= day;
        if (day - tracker.BelowExitSinceDay.Value + 1 < current.DwellDays)
        {
            return null;
        }

        // One level a day without a score, whatever the dwell: deciding the day again (an event of the same day, a
        // restart) must decide the same, and a lower level with a dwell of 0 or 1 would otherwise be left again at once.
        if (score is null && tracker.EnteredDay == day)
        {
            return null;
        }

        // A score says where the city stands, so it steps to the highest level whose exit it still meets. No score says
        // nothing of the kind: the data stopped, and standing a team's measures down two levels at once on that alone
        // read as an all-clear (newcomer 17 F1: Manzhouli 3 -> 1 when its feeds ended). So without a score it steps down
        // one level, and the level below runs its own dwell (from this day, as a score below its exit would) before the next.
        var next = 1;
        foreach (var level in plan.Levels)
        {
            if (level.Level < previous && (score is null || s >= level.ExitBelow))
            {
                next = Math.Max(next, level.Level);
            }
        }

        tracker.Level = next;
        tracker.EnteredDay = day;
        tracker.BelowExitSinceDay = plan.LevelOf(next) is { } lower && s < lower.ExitBelow ? day : null;
        return new LevelChange(day, previous, next);
    }

    /// <summary>
    /// Steps each port's own level for the day (the city's plan: entry, exit, dwell) and returns the ports that rose
    /// this day to a level above the city's, and those standing above the city's level that no port-above-city notice
    /// holds (the city stepped down below a port that rose while the city was as high, or a standing stored before the
    /// mark existed). A port that rose is therefore reported once; it is reported again at that
    /// level only after it has stayed below the level's exit score for the dwell and then risen again (a port told above
    /// the city that steps down to a level still above it is reported by <see cref="PortsSteppedDownAboveCity"/>, not
    /// here: this list holds rises only). Call it after
    /// <see cref="Evaluate"/> of the same day, so the city's level is the day's. Each port returned is marked as told
    /// at its level (<see cref="LevelTracker.ToldAboveCityAt"/>): the caller issues its notice.
    /// </summary>
    public static IReadOnlyList<(string Port, int Level)> PortsAboveCity(EscalationState state, ResponsePlan plan, int day, IEnumerable<(string Port, double? Score)> ports)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(ports);
        // A city decides on every change of itself or a port, and almost always raises no port: nothing is made for that.
        List<(string, int)>? raised = null;
        var stepped = 0;
        foreach (var (port, score) in ports)
        {
            stepped++;
            if (!state.Ports.TryGetValue(port, out var tracker))
            {
                state.Ports[port] = tracker = new LevelTracker();
            }

            // A port that rose above the city is told. So is one standing above it that no notice holds at its level
            // (review 19 M4): when the city stepped down below a port that rose while the city was as high (city 4 -> 1,
            // the port staying at 4), the city's de-escalation lists level 1's actions and the team would stand the
            // port's measures down with the city's. Unmarked, or marked at or below the city's level, means no
            // port-above-city notice of this port stands; the mark then makes it once.
            var rose = Step(tracker, plan, day, score) is { IsEscalation: true } change && change.NewLevel > state.Level;
            if (rose || (tracker.Level > state.Level && (tracker.ToldAboveCityAt is not { } told || told <= state.Level)))
            {
                tracker.ToldAboveCityAt = tracker.Level;
                (raised ??= []).Add((port, tracker.Level));
            }
        }

        // A port no longer in the city (topology changed) is forgotten. Every port stepped is tracked, so when as many
        // are tracked as were stepped (and the city's ports are distinct), none is gone.
        if (state.Ports.Count != stepped)
        {
            var seen = new HashSet<string>(ports.Select(p => p.Port), StringComparer.Ordinal);
            foreach (var gone in state.Ports.Keys.Where(p => !seen.Contains(p)).ToList())
            {
                state.Ports.Remove(gone);
            }
        }

        return raised ?? (IReadOnlyList<(string Port, int Level)>)[];
    }

    /// <summary>
    /// The ports a port-above-city notice told above the city that stepped down, this day, to a lower level still above
    /// the city's, with the level each stands at now and the level it was told at: a team told "port at level 4 above the
    /// city at 2" keeps level 4's port measures while that notice stands, so a port now at 3 must be told at 3 (its
    /// level's measures), not left at 4 until it falls to the city's level. Each is marked as told at its new level
    /// (<see cref="LevelTracker.ToldAboveCityAt"/>): the caller issues its notice, which says the port stepped down. Call
    /// it after <see cref="PortsAboveCity"/> of the same day (which steps the ports and reports those that rose) and
    /// before <see cref="PortsNoLongerAboveCity"/> (the ports at or below the city's level): the three never report the
    /// same port on one day. Deciding the day again finds nothing more: the mark already stands at the port's level.
    /// </summary>
    public static IReadOnlyList<(string Port, int Level, int From)> PortsSteppedDownAboveCity(EscalationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        List<(string, int, int)>? lower = null;
        foreach (var (port, tracker) in state.Ports)
        {
            // Marked at the level told, the port's level moves below the mark only by stepping down (a rise above the
            // city moves the mark with it): a port below its mark and still above the city stepped down since it was told.
            if (tracker.ToldAboveCityAt is { } told && tracker.Level < told && tracker.Level > state.Level)
            {
                tracker.ToldAboveCityAt = tracker.Level;
                (lower ??= []).Add((port, tracker.Level, told));
            }
        }

        return lower ?? (IReadOnlyList<(string Port, int Level, int From)>)[];
    }

    /// <summary>
    /// The ports a port-above-city notice told above the city that stand at or below the city's level now, with the
    /// level each stands at: their notice no longer holds, and a team that read "port at level 4 above the city" would
    /// keep its port measures for as long as the notice stayed current (review 17 L4: after the city stepped down and
    /// the port lost its score, only the port's next rise or the city reaching its level replaced it). Each is told
    /// once: its mark is cleared. A port whose city reached the level it was told at has its mark cleared without a
    /// notice: the city's change to that level replaced the port's notice already. Call it after
    /// <see cref="PortsAboveCity"/> and <see cref="PortsSteppedDownAboveCity"/> of the same day.
    /// </summary>
    public static IReadOnlyList<(string Port, int Level)> PortsNoLongerAboveCity(EscalationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        List<(string, int)>? back = null;
        foreach (var (port, tracker) in state.Ports)
        {
            if (tracker.ToldAboveCityAt is not { } told)
            {
                continue;
            }

            if (state.Level >= told)
            {
                tracker.ToldAboveCityAt = null;
            }
            else if (tracker.Level <= state.Level)
            {
                tracker.ToldAboveCityAt = null;
                (back ??= []).Add((port, tracker.Level));
            }
        }

        return back ?? (IReadOnlyList<(string Port, int Level)>)[];
    }
}
