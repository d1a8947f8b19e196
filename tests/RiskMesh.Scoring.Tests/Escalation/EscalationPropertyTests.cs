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
