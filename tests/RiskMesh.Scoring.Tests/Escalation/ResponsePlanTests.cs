using RiskMesh.Scoring.Escalation;
using static RiskMesh.Scoring.Tests.Escalation.Plans;

namespace RiskMesh.Scoring.Tests.Escalation;

public sealed class ResponsePlanTests
{
    [Fact]
    public void Validate_DefaultPlan_HasNoProblems()
    {
        Assert.Empty(ResponsePlan.Default.Validate());
    }

    [Theory]
    [InlineData(2, "nucleic-acid testing at entry points")]
    [InlineData(2, "health checks of all inbound travellers")]
    [InlineData(3, "reduce cross-border movement to the minimum")]
    [InlineData(3, "designated quarantine")]
    [InlineData(4, "national expert team")]
    [InlineData(4, "makeshift hospitals")]
    public void ActionsOf_DefaultPlan_SpeaksTheSeedMeasures(int level, string measure)
    {
        var actions = ResponsePlan.Default.ActionsOf(level);

        Assert.Contains(actions, a => a.Contains(measure, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ActionsOf_Level1_IsNormalVigilance()
    {
        Assert.Equal(ResponsePlan.NormalActions, ResponsePlan.Default.ActionsOf(1));
        Assert.Null(ResponsePlan.Default.LevelOf(1));
    }

    [Fact]
    public void ContinuedActionsOf_Level4_Level3sThenLevel2s_TheLevelsOwnLeftOut()
    {
        var continued = ResponsePlan.Default.ContinuedActionsOf(4);

        // Newcomer 20b F1: at level 4 the seeds' designated quarantine and contact tracing (level 3) still hold.
        Assert.Equal([.. ResponsePlan.Default.ActionsOf(3), .. ResponsePlan.Default.ActionsOf(2)], continued.AsEnumerable());
        Assert.Contains(continued, a => a.Contains("designated quarantine", StringComparison.Ordinal));
        Assert.DoesNotContain(continued, ResponsePlan.Default.ActionsOf(4).Contains);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ContinuedActionsOf_Level2AndBelow_Nothing(int level)
    {
        Assert.Empty(ResponsePlan.Default.ContinuedActionsOf(level));
    }

    [Fact]
    public void ContinuedActionsOf_AnActionRepeated_ListedOnce_AndNotBesideTheLevelsOwn()
    {
        var plan = new ResponsePlan([
            Level(2, 25, 20, 3, "Patrol.", "Test at entry."),
            Level(3, 50, 42, 5, "Quarantine.", "Patrol."),
            Level(4, 75, 67, 7, "Hospitals.", "Test at entry.")]);

        Assert.Equal(["Quarantine.", "Patrol."], plan.ContinuedActionsOf(4).AsEnumerable());
        Assert.Equal(["Test at entry."], plan.ContinuedActionsOf(3).AsEnumerable());
    }

    [Fact]
    public void ContinuedActionsOf_LevelsStandAlone_Nothing()
    {
        var plan = ResponsePlan.Default with { LevelsStandAlone = true };

        Assert.Empty(plan.ContinuedActionsOf(4));
        Assert.Equal(ResponsePlan.Default.ActionsOf(4).AsEnumerable(), plan.ActionsOf(4).AsEnumerable());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(24.9, 1)]
    [InlineData(25, 2)]
    [InlineData(49.9, 2)]
    [InlineData(50, 3)]
    [InlineData(75, 4)]
    [InlineData(100, 4)]
    public void EntryLevelFor_DefaultPlan_IsTheHighestLevelReached(double score, int expected)
    {
        Assert.Equal(expected, ResponsePlan.Default.EntryLevelFor(score));
    }

    [Fact]
    public void Validate_NoLevels_SaysLevelsAreNeeded()
    {
        var problems = new ResponsePlan([]).Validate();

        Assert.Contains(problems, p => p.Contains("levels 2, 3 and 4", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LevelMissing_NamesTheLevelsGot()
    {
        var plan = new ResponsePlan([Level(2, 25, 20, 3), Level(3, 50, 42, 5)]);

        var problem = Assert.Single(plan.Validate());

        Assert.Contains("exactly the levels 2, 3 and 4", problem, StringComparison.Ordinal);
        Assert.Contains("got 2, 3", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LevelDuplicated_NamesTheLevelsGot()
    {
        var plan = new ResponsePlan([Level(2, 25, 20, 3), Level(2, 30, 22, 3), Level(3, 50, 42, 5), Level(4, 75, 67, 7)]);

        var problems = plan.Validate();

        Assert.Contains(problems, p => p.Contains("exactly the levels 2, 3 and 4", StringComparison.Ordinal) && p.Contains("got 2, 2, 3, 4", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(25)]
    [InlineData(30)]
    public void Validate_ExitBelowNotBelowEnterAt_NamesTheLevelAndBothScores(double exitBelow)
    {
        var plan = new ResponsePlan([Level(2, 25, exitBelow, 3), Level(3, 50, 42, 5), Level(4, 75, 67, 7)]);

        var problems = plan.Validate();

        Assert.Contains(problems, p => p.StartsWith("level 2: exitBelow", StringComparison.Ordinal) && p.Contains("below enterAt (25)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NegativeDwell_NamesTheLevelAndTheValue()
    {
        var plan = new ResponsePlan([Level(2, 25, 20, 3), Level(3, 50, 42, -1), Level(4, 75, 67, 7)]);

        var problem = Assert.Single(plan.Validate());

        Assert.Equal("level 3: dwellDays must be 0 or more, got -1", problem);
    }

    [Fact]
    public void Validate_ZeroDwell_IsAllowed()
    {
        Assert.Empty(WithDwell(0, 0, 0).Validate());
    }

    [Fact]
    public void Validate_EntryScoresNotRisingWithTheLevel_SaysLevelsMustBeOrdered()
    {
        var plan = new ResponsePlan([Level(2, 60, 20, 3), Level(3, 50, 42, 5), Level(4, 75, 67, 7)]);

        var problems = plan.Validate();

        Assert.Contains(problems, p => p.Contains("levels must be ordered: level 3 enterAt (50) must be above level 2 enterAt (60)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ExitScoresNotRisingWithTheLevel_SaysLevelsMustBeOrdered()
    {
        var plan = new ResponsePlan([Level(2, 25, 20, 3), Level(3, 50, 42, 5), Level(4, 75, 40, 7)]);

        var problems = plan.Validate();

        Assert.Contains(problems, p => p.Contains("level 4 exitBelow (40) must be above level 3 exitBelow (42)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EmptyActions_NamesTheLevel()
    {
        var plan = new ResponsePlan([Level(2, 25, 20, 3), Level(3, 50, 42, 5), new PlanLevel(4, "very high", 75, 67, 7, [])]);

        var problem = Assert.Single(plan.Validate());

        Assert.Equal("level 4: actions must list at least one non-empty action", problem);
    }

    [Fact]
    public void Validate_BlankAction_NamesTheLevel()
    {
        var plan = new ResponsePlan([Level(2, 25, 20, 3, "Test.", " "), Level(3, 50, 42, 5), Level(4, 75, 67, 7)]);

        Assert.Contains("level 2: actions must list at least one non-empty action", plan.Validate());
    }

    [Fact]
    public void Validate_SeveralProblems_NamesEachOne()
    {
        var plan = new ResponsePlan([Level(2, 25, 30, -2), Level(3, 50, 42, 5), new PlanLevel(4, "", 75, 67, 7, [])]);

        var problems = plan.Validate();

        Assert.Contains(problems, p => p.StartsWith("level 2: exitBelow", StringComparison.Ordinal));
        Assert.Contains("level 2: dwellDays must be 0 or more, got -2", problems);
        Assert.Contains("level 4: name is required", problems);
        Assert.Contains("level 4: actions must list at least one non-empty action", problems);
    }

    [Fact]
    public void Validate_EveryLimitReachedExactly_IsAccepted()
    {
        // The README's bounds are "at most": a name of 100 characters, a dwell of 365 days, 20 actions of 500 characters,
        // an entry score of 100 and an exit score of 0 are all allowed.
        var actions = Enumerable.Range(0, ResponsePlan.MaxActions).Select(i => $"{i}".PadRight(ResponsePlan.MaxActionLength, 'a')).ToArray();
        var plan = new ResponsePlan(
        [
            Level(2, 25, 0, ResponsePlan.MaxDwellDays) with { Name = new string('n', ResponsePlan.MaxNameLength) },
            Level(3, 50, 42, 5),
            Level(4, 100, 67, 7, actions),
        ]);

        Assert.Empty(plan.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void Validate_EntryScoreOutsideTheScale_NamesTheLevelAndTheValue(double enterAt)
    {
        var plan = new ResponsePlan([Level(2, 25, 20, 3), Level(3, 50, 42, 5), Level(4, enterAt, 67, 7)]);

        Assert.Contains($"level 4: enterAt must be a score above 0 and at most 100, got {enterAt}", plan.Validate());
    }

    [Fact]
    public void Validate_TwoLevelsWithTheSameEntryOrExitScore_SaysLevelsMustBeOrdered()
    {
        var plan = new ResponsePlan([Level(2, 50, 42, 3), Level(3, 50, 42, 5), Level(4, 75, 67, 7)]);

        var problems = plan.Validate();

        Assert.Contains("levels must be ordered: level 3 enterAt (50) must be above level 2 enterAt (50)", problems);
        Assert.Contains("levels must be ordered: level 3 exitBelow (42) must be above level 2 exitBelow (42)", problems);
    }
}
