using FsCheck.Xunit;
using RiskMesh.Scoring.Escalation;
using static RiskMesh.Scoring.Tests.Escalation.Plans;

namespace RiskMesh.Scoring.Tests.Escalation;

public sealed class EscalationPropertyTests
{
    [Property(MaxTest = 500)]
    public bool Evaluate_AnyScoresWithDwellAtLeastTwo_NeverFlipsFromUpToDownOnConsecutiveDays(int[] raw, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = WithDwell(2 + (dwell2 % 6), 2 + (dwell3 % 6), 2 + (dwell4 % 6));
        var levels = Levels(plan, Scores(raw));

        for (var day = 2; day < levels.Count; day++)
        {
            var first = Math.Sign(levels[day - 1] - levels[day - 2]);
            var second = Math.Sign(levels[day] - levels[day - 1]);
            if (first > 0 && second < 0)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 500)]
    public bool Evaluate_AnyScoresWithDwellAtLeastOne_StepsDownOnlyAfterDwellDaysBelowExit(int[] raw, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = WithDwell(1 + (dwell2 % 7), 1 + (dwell3 % 7), 1 + (dwell4 % 7));
        var scores = Scores(raw);
        var levels = Levels(plan, scores);

        for (var day = 0; day < scores.Length; day++)
        {
            var before = levels[day];
            var after = levels[day + 1];
            if (after >= before)
            {
                continue;
            }

            var left = plan.LevelOf(before)!;
            var run = scores.Take(day + 1).Reverse().TakeWhile(s => s is null || s < left.ExitBelow).Count();
            if (run < left.DwellDays || day + 1 < left.DwellDays)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 1000)]
    public bool Evaluate_AnyScores_ADayWithoutAScoreStepsDownAtMostOneLevel_AndAScoredDayToTheHighestLevelWhoseExitItMeets(int[] raw, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = WithDwell(dwell2 % 8, dwell3 % 8, dwell4 % 8);
        // Days without a score one in four, and scores spread over 0-100 (FsCheck's small integers mostly stay low):
        // the occasional null of Scores seldom fell on the day a high level's dwell ran out.
        double?[] scores = raw is null ? [] : [.. raw.Select(r => r % 4 == 0 ? (double?)null : Math.Abs(r * 37 % 101))];
        var levels = Levels(plan, scores);

        for (var day = 0; day < scores.Length; day++)
        {
            var (before, after) = (levels[day], levels[day + 1]);
            if (after >= before)
            {
                continue;
            }

            // No score: one level (newcomer 17 F1). A score: the highest level below whose exit it still meets, or 1.
            var expected = scores[day] is { } score
                ? plan.Levels.Where(l => l.Level < before && score >= l.ExitBelow).Select(l => l.Level).DefaultIfEmpty(1).Max()
                : before - 1;
            if (after != expected)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 500)]
    public bool Evaluate_AnyScores_LevelJumpsToTheEntryLevelWheneverThatIsHigher(int[] raw, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = WithDwell(dwell2 % 8, dwell3 % 8, dwell4 % 8);
        var scores = Scores(raw);
        var levels = Levels(plan, scores);

        for (var day = 0; day < scores.Length; day++)
        {
            if (scores[day] is { } score && plan.EntryLevelFor(score) > levels[day] && levels[day + 1] != plan.EntryLevelFor(score))
            {
                return false;
            }

            if (scores[day] is null && levels[day + 1] > levels[day])
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 1000)]
    public bool PortsAboveCity_AnyScorePaths_NeverRepeatAPortRiseWithoutADwellBelowInBetween(int[] portRaw, int[] otherRaw, int[] cityRaw, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = WithDwell(dwell2 % 6, dwell3 % 6, dwell4 % 6);
        var ports = new Dictionary<string, double?[]> { ["p"] = Scores(portRaw), ["q"] = Scores(otherRaw) };
        var city = Scores(cityRaw);
        var days = Math.Max(city.Length, ports.Values.Max(s => s.Length));
        double? At(double?[] path, int day) => day < path.Length ? path[day] : null;

        var state = new EscalationState();
        var lastRise = new Dictionary<(string, int), int>();
        for (var day = 0; day < days; day++)
        {
            EscalationPolicy.Evaluate(state, plan, day, At(city, day));
            var before = state.Ports.ToDictionary(p => p.Key, p => p.Value.Level, StringComparer.Ordinal);
            foreach (var (port, level) in EscalationPolicy.PortsAboveCity(state, plan, day, ports.Select(p => (p.Key, At(p.Value, day)))))
            {
                // Rises only: a port the city stepped down below is told without having moved (review 19 M4).
                if (before.TryGetValue(port, out var was) && was >= level)
                {
                    continue;
                }

                if (lastRise.TryGetValue((port, level), out var previous))
                {
                    // Between two reported rises to one level, the port must have stayed below that level's exit
                    // score (no data counts as below) for the level's dwell days in a row.
                    var exit = plan.LevelOf(level)!;
                    var longest = 0;
                    var run = 0;
                    for (var d = previous + 1; d < day; d++)
                    {
                        run = At(ports[port], d) is not { } s || s < exit.ExitBelow ? run + 1 : 0;
                        longest = Math.Max(longest, run);
                    }

                    if (longest < Math.Max(1, exit.DwellDays))
                    {
                        return false;
                    }
                }

                lastRise[(port, level)] = day;
            }
        }

        return true;
    }

    /// <summary>
    /// The port notice a team holds (a port-above-city notice, which the port's next port notice or the city's change
    /// to its level replaces) states the level the port stands at for as long as the port stands above the city: a rise
    /// tells the new level, a step down to a level still above the city tells the lower one (the eighteenth session's
    /// port 4 -> 3 with the city at 2 kept level 4's notice current), and nothing is told of a port that did not move;
    /// and a port standing above the city always has one, also when the city stepped down below it.
    /// </summary>
    [Property(MaxTest = 1000)]
    public bool PortNotices_AnyScorePaths_TheNoticeInForceStatesThePortsLevelWhileItStandsAboveTheCity(int[] portRaw, int[] otherRaw, int[] cityRaw, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = WithDwell(dwell2 % 6, dwell3 % 6, dwell4 % 6);
        // Scores spread over 0-100 with a day without a score one in five: ports rise and step down through every level.
        static double?[] Spread(int[] raw) => raw is null ? [] : [.. raw.Select(r => r % 5 == 0 ? (double?)null : Math.Abs(r * 37 % 101))];
        var ports = new Dictionary<string, double?[]> { ["p"] = Spread(portRaw), ["q"] = Spread(otherRaw) };
        var city = Spread(cityRaw);
        var days = Math.Max(city.Length, ports.Values.Max(s => s.Length));
        double? At(double?[] path, int day) => day < path.Length ? path[day] : null;

        var state = new EscalationState();
        var inForce = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var day = 0; day < days; day++)
        {
            EscalationPolicy.Evaluate(state, plan, day, At(city, day));
            var before = state.Ports.ToDictionary(p => p.Key, p => p.Value.Level, StringComparer.Ordinal);
            foreach (var (port, level) in EscalationPolicy.PortsAboveCity(state, plan, day, ports.Select(p => (p.Key, At(p.Value, day)))))
            {
                inForce[port] = level;
            }

            foreach (var (port, level, from) in EscalationPolicy.PortsSteppedDownAboveCity(state))
            {
                // A step down from the level the notice in force told, to a lower one, by a port that moved this day.
                if (!inForce.TryGetValue(port, out var told) || told != from || level >= from || before.GetValueOrDefault(port) == level)
                {
                    return false;
                }

                inForce[port] = level;
            }

            foreach (var (port, _) in EscalationPolicy.PortsNoLongerAboveCity(state))
            {
                inForce.Remove(port);
            }

            // The city's change to a port's level or higher replaces that port's notice.
            foreach (var port in inForce.Where(p => state.Level >= p.Value).Select(p => p.Key).ToList())
            {
                inForce.Remove(port);
            }

            foreach (var (port, told) in inForce)
            {
                if (state.Ports[port].Level != told)
                {
                    return false;
                }
            }

            // And a port standing above the city has a notice in force, however it came there: by its own rise, or by
            // the city stepping down below it (review 19 M4: a port that rose while the city was as high was never told).
            if (state.Ports.Any(p => p.Value.Level > state.Level && !inForce.ContainsKey(p.Key)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Deciding a day a second time with the same scores and plan changes nothing: no level change, no port reported,
    /// the same standing and the same timeline. A city relies on it to skip deciding a day again when its scores did
    /// not move (CityGrain's evaluation), so this holds for any valid plan, including dwells of 0 and 1 day.
    /// </summary>
    [Property(MaxTest = 1000)]
    public bool EvaluateAndPortsAboveCity_AnyValidPlan_DecidingADayAgainWithTheSameScoresChangesNothing(
        int[] cityRaw, int[] portRaw, int[] otherRaw, byte[] thresholds, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = AnyValidPlan(thresholds, dwell2 % 5, dwell3 % 5, dwell4 % 5);
        var city = Scores(cityRaw);
        var ports = new[] { ("p", Scores(portRaw)), ("q", Scores(otherRaw)) };
        var days = Math.Max(city.Length, Math.Max(ports[0].Item2.Length, ports[1].Item2.Length));
        static double? At(double?[] path, int day) => day < path.Length ? path[day] : null;

        var state = new EscalationState();
        var timeline = new EscalationTimeline();
        for (var day = 0; day < days; day++)
        {
            var portScores = ports.Select(p => (p.Item1, At(p.Item2, day))).ToArray();
            Decide(day);
            var standing = state.Snapshot();
            var recorded = timeline.Snapshots.Select(s => (s.Day, s.State.Snapshot())).ToList();

            if (Decide(day) is var (change, raised, lower) && (change is not null || raised.Count > 0 || lower.Count > 0))
            {
                return false;
            }

            if (!state.SameAs(standing) || state.LastEvaluatedDay != day || timeline.Snapshots.Count != recorded.Count)
            {
                return false;
            }

            for (var i = 0; i < recorded.Count; i++)
            {
                if (timeline.Snapshots[i].Day != recorded[i].Day || !timeline.Snapshots[i].State.SameAs(recorded[i].Item2))
                {
                    return false;
                }
            }

            (LevelChange? Change, IReadOnlyList<(string Port, int Level)> Raised, IReadOnlyList<(string Port, int Level, int From)> Lower) Decide(int d)
            {
                var change = EscalationPolicy.Evaluate(state, plan, d, At(city, d));
                var raised = EscalationPolicy.PortsAboveCity(state, plan, d, portScores);
                var lower = EscalationPolicy.PortsSteppedDownAboveCity(state);
                EscalationPolicy.PortsNoLongerAboveCity(state);
                timeline.Record(d, state);
                return (change, raised, lower);
            }
        }

        return true;
    }

    /// <summary>
    /// A day decided first on other inputs (no score, say, before the day's report came) and then again on its final
    /// ones stands as the day decided on the final ones alone, with the same change of the day and the same ports
    /// raised (review 17 M2: null then 10 left the city at 2 where 10 alone steps 3 -> 1). CityGrain decides a day again
    /// from <see cref="EscalationTimeline.StandingToDecide"/>.
    /// </summary>
    [Property(MaxTest = 1000)]
    public bool StandingToDecide_AnyValidPlan_ADayDecidedOnEarlierInputsThenOnItsFinalOnesStandsAsTheFinalOnesAlone(
        int[] cityRaw, int[] earlierRaw, int[] portRaw, byte[] thresholds, byte dwell2, byte dwell3, byte dwell4)
    {
        var plan = AnyValidPlan(thresholds, dwell2 % 5, dwell3 % 5, dwell4 % 5);
        // Final scores with a no-score day one in four and spread over 0-100; the earlier inputs mostly no score (the
        // case seen), else any score.
        double?[] city = cityRaw is null ? [] : [.. cityRaw.Select(r => r % 4 == 0 ? (double?)null : Math.Abs(r * 37 % 101))];
        double?[] earlier = earlierRaw is null ? [] : [.. earlierRaw.Select(r => r % 3 != 0 ? (double?)null : Math.Abs(r * 53 % 101))];
        var port = Scores(portRaw);
        static double? At(double?[] path, int day) => day < path.Length ? path[day] : null;

        var (twice, twiceTimeline) = (new EscalationState(), new EscalationTimeline());
        var (once, onceTimeline) = (new EscalationState(), new EscalationTimeline());
        for (var day = 0; day < city.Length; day++)
        {
            (string, double?)[] ports = [("p", At(port, day))];
            if (day < earlier.Length)
            {
                Decide(twice, twiceTimeline, day, earlier[day], ports);
                twice = twiceTimeline.StandingToDecide(twice, day);
            }

            var (change, raised, lower) = Decide(twice, twiceTimeline, day, city[day], ports);
            var (expectedChange, expectedRaised, expectedLower) = Decide(once, onceTimeline, day, city[day], ports);
            if (!twice.SameAs(once) || twice.LastEvaluatedDay != day || change != expectedChange || !raised.SequenceEqual(expectedRaised) || !lower.SequenceEqual(expectedLower))
            {
                return false;
            }
        }

        return true;

        (LevelChange? Change, IReadOnlyList<(string Port, int Level)> Raised, IReadOnlyList<(string Port, int Level, int From)> Lower) Decide(EscalationState state, EscalationTimeline timeline, int day, double? score, (string, double?)[] ports)
        {
            var change = EscalationPolicy.Evaluate(state, plan, day, score);
            var raised = EscalationPolicy.PortsAboveCity(state, plan, day, ports);
            var lower = EscalationPolicy.PortsSteppedDownAboveCity(state);
            EscalationPolicy.PortsNoLongerAboveCity(state);
            timeline.Record(day, state);
            return (change, raised, lower);
        }
    }

    [Fact]
    public void StandingToDecide_ADayDecidedWithoutAScoreThenWithTen_StepsThreeToOne()
    {
        // Review 17's probe: the default plan, 60 and then 10 for four days, the fifth decided without a score first.
        var plan = ResponsePlan.Default;
        var state = new EscalationState();
        var timeline = new EscalationTimeline();
        foreach (var (day, score) in new[] { (0, 60.0), (1, 10), (2, 10), (3, 10), (4, 10) })
        {
            EscalationPolicy.Evaluate(state, plan, day, score);
            timeline.Record(day, state);
        }

        Assert.Equal(3, state.Level);
        Assert.Equal(new LevelChange(5, 3, 2), EscalationPolicy.Evaluate(state, plan, 5, null));
        timeline.Record(5, state);

        state = timeline.StandingToDecide(state, 5);
        Assert.Equal(new LevelChange(5, 3, 1), EscalationPolicy.Evaluate(state, plan, 5, 10));
        Assert.Equal(1, state.Level);
    }

    /// <summary>A valid plan with thresholds drawn from <paramref name="raw"/> (entries above exits, both rising with the level).</summary>
    private static ResponsePlan AnyValidPlan(byte[] raw, int dwell2, int dwell3, int dwell4)
    {
        double Draw(int i) => raw is { Length: > 0 } ? 1 + (raw[i % raw.Length] % 30) : 10;

        // Exits and entries interleave as the draws fall: each level's exit below its entry, both above the level below's.
        var exit2 = Draw(0) - 1;
        var enter2 = exit2 + Draw(1);
        var exit3 = exit2 + Draw(2);
        var enter3 = Math.Max(enter2, exit3) + Draw(3);
        var exit4 = exit3 + Draw(4);
        var enter4 = Math.Max(enter3, exit4) + Draw(5);
        var plan = new ResponsePlan(
        [
            Level(2, Math.Min(enter2, 98), exit2, dwell2),
            Level(3, Math.Min(enter3, 99), Math.Min(exit3, 98.5), dwell3),
            Level(4, Math.Min(enter4, 100), Math.Min(exit4, 99), dwell4),
        ]);
        return plan.Validate() is { Count: 0 } ? plan : WithDwell(dwell2, dwell3, dwell4);
    }

    /// <summary>Scores 0–100 with an occasional day of no data.</summary>
    private static double?[] Scores(int[] raw) =>
        raw is null ? [] : [.. raw.Select(r => r % 11 == 5 ? (double?)null : Math.Abs(r % 101))];

    /// <summary>The level before day 0, then after each day.</summary>
    private static List<int> Levels(ResponsePlan plan, double?[] scores)
    {
        var state = new EscalationState();
        var levels = new List<int> { state.Level };
        for (var day = 0; day < scores.Length; day++)
        {
            var change = EscalationPolicy.Evaluate(state, plan, day, scores[day]);
            if ((change is null) != (state.Level == levels[^1]))
            {
                throw new InvalidOperationException($"day {day}: change {change} disagrees with level {state.Level}");
            }

            levels.Add(state.Level);
        }

        return levels;
    }
}
