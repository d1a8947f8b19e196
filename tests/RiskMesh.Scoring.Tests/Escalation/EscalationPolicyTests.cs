using RiskMesh.Scoring.Escalation;
using static RiskMesh.Scoring.Tests.Escalation.Plans;

namespace RiskMesh.Scoring.Tests.Escalation;

public sealed class EscalationPolicyTests
{
    private static readonly ResponsePlan Plan = ResponsePlan.Default;

    [Fact]
    public void Evaluate_ScoreEntersLevel2_EscalatesTheSameDay()
    {
        var state = new EscalationState();

        var change = EscalationPolicy.Evaluate(state, Plan, 10, 25);

        Assert.Equal(new LevelChange(10, 1, 2), change);
        Assert.True(change!.IsEscalation);
        Assert.Equal(2, state.Level);
        Assert.Equal(10, state.EnteredDay);
    }

    [Fact]
    public void Evaluate_ScoreJumpsFromLevel1ToLevel4_EscalatesStraightTo4()
    {
        var state = new EscalationState();

        var change = EscalationPolicy.Evaluate(state, Plan, 3, 90);

        Assert.Equal(new LevelChange(3, 1, 4), change);
        Assert.Equal(4, state.Level);
    }

    [Fact]
    public void Evaluate_ScoreRisesFromLevel2ToLevel3_EscalatesAtOnceWithoutDwell()
    {
        var state = new EscalationState();

        var changes = Run(state, Plan, 30, 55);

        Assert.Equal(new LevelChange(0, 1, 2), changes[0]);
        Assert.Equal(new LevelChange(1, 2, 3), changes[1]);
    }

    [Fact]
    public void Evaluate_ScoreBelowEntryOfNextLevel_DoesNotEscalate()
    {
        var state = new EscalationState();

        var changes = Run(state, Plan, 24.99, 0, 10);

        Assert.All(changes, Assert.Null);
        Assert.Equal(1, state.Level);
    }

    [Fact]
    public void Evaluate_BelowExitForFewerThanDwellDays_KeepsTheLevel()
    {
        var state = new EscalationState();

        // Level 2 has dwell 3: two days below its exit (20) are not enough.
        var changes = Run(state, Plan, 30, 10, 10);

        Assert.Equal(new LevelChange(0, 1, 2), changes[0]);
        Assert.Null(changes[1]);
        Assert.Null(changes[2]);
        Assert.Equal(2, state.Level);
        Assert.Equal(1, state.BelowExitSinceDay);
    }

    [Fact]
    public void Evaluate_BelowExitOnTheDwellThDay_StepsDown()
    {
        var state = new EscalationState();

        var changes = Run(state, Plan, 30, 10, 10, 10);

        Assert.Equal(new LevelChange(3, 2, 1), changes[3]);
        Assert.False(changes[3]!.IsEscalation);
        Assert.Equal(1, state.Level);
    }

    [Fact]
    public void Evaluate_ScoreBetweenExitAndEntry_KeepsTheLevelForever()
    {
        var state = new EscalationState();

        var changes = Run(state, Plan, [30, .. Enumerable.Repeat<double?>(22, 40)]);

        Assert.Single(changes, c => c is not null);
        Assert.Equal(2, state.Level);
    }

    [Fact]
    public void Evaluate_ScoreComesBackAboveExit_ResetsTheDwellCounter()
    {
        var state = new EscalationState();

        // Two days below 20, one day at 22 (above the exit, below the entry), then the dwell counts from zero again.
        var changes = Run(state, Plan, 30, 10, 10, 22, 10, 10, 10);

        Assert.Null(changes[1]);
        Assert.Null(changes[2]);
        Assert.Null(changes[3]);
        Assert.Null(changes[4]);
        Assert.Null(changes[5]);
        Assert.Equal(new LevelChange(6, 2, 1), changes[6]);
    }

    [Fact]
    public void Evaluate_ScoreOscillatingAroundEntry_EscalatesOnceAndNeverFlipFlops()
    {
        var state = new EscalationState();
        var plan = WithDwell(1, 1, 1);
        double?[] scores = [.. Enumerable.Range(0, 60).Select(day => (double?)(day % 2 == 0 ? 24 : 26))];

        var changes = Run(state, plan, scores);

        var change = Assert.Single(changes, c => c is not null);
        Assert.Equal(new LevelChange(1, 1, 2), change);
        Assert.Equal(2, state.Level);
    }

    [Fact]
    public void Evaluate_ScoreOscillatingAroundExit_NeverStepsDownWhenDwellIsTwoOrMore()
    {
        var state = new EscalationState();
        double?[] scores = [30, .. Enumerable.Range(0, 60).Select(day => (double?)(day % 2 == 0 ? 19 : 21))];

        var changes = Run(state, Plan, scores);

        Assert.Single(changes, c => c is not null);
        Assert.Equal(2, state.Level);
    }

    [Fact]
    public void Evaluate_NullScoreAtLevel1_NeverEscalates()
    {
        var state = new EscalationState();

        var changes = Run(state, Plan, [.. Enumerable.Repeat<double?>(null, 30)]);

        Assert.All(changes, Assert.Null);
        Assert.Equal(1, state.Level);
    }

    [Fact]
    public void Evaluate_NullScoreAtLevel3_StepsDownOneLevelAfterItsDwell_ThenLevel2AfterLevel2sDwell()
    {
        var state = new EscalationState();

        // Level 3 has dwell 5; no data counts as below every exit, but says nothing of where the city stands, so it
        // steps down one level (newcomer 17 F1: Manzhouli went 3 -> 1 when its feeds ended), then runs level 2's dwell
        // of 3 from that day.
        var changes = Run(state, Plan, 60, null, null, null, null, null, null, null, null);

        Assert.Equal(new LevelChange(0, 1, 3), changes[0]);
        Assert.All(changes.Skip(1).Take(4), Assert.Null);
        Assert.Equal(new LevelChange(5, 3, 2), changes[5]);
        Assert.Null(changes[6]);
        Assert.Equal(new LevelChange(7, 2, 1), changes[7]);
        Assert.Null(changes[8]);
        Assert.Equal(1, state.Level);
    }

    [Fact]
    public void Evaluate_NullScoreAtLevel4_StepsDownOneLevelPerDwell_EachLevelItsOwn()
    {
        var state = new EscalationState();

        // Dwells 7, 5 and 3: level 4 held days 1-7 below its exit, level 3 from day 7 for 5 days, level 2 from day 11 for 3.
        var changes = Run(state, Plan, [80, .. Enumerable.Repeat<double?>(null, 20)]);

        Assert.Equal(
            [new LevelChange(0, 1, 4), new LevelChange(7, 4, 3), new LevelChange(11, 3, 2), new LevelChange(13, 2, 1)],
            changes.Where(c => c is not null));
    }

    [Fact]
    public void Evaluate_NoScoreDecidedTwiceOnTheDayItSteppedDown_StepsOnlyOnce_EvenWithADwellOfOneDay()
    {
        // A day is decided again when an event of that day arrives or a silo restarts; without a score a city steps
        // one level a day whatever its dwell, so deciding the day again must not take a team's measures down a
        // second level on the same missing data (mutation testing, eighteenth session: the guard inverted survived).
        var state = new EscalationState();
        var plan = WithDwell(1, 1, 1);

        Assert.Equal(new LevelChange(0, 1, 4), EscalationPolicy.Evaluate(state, plan, 0, 80));
        Assert.Equal(new LevelChange(1, 4, 3), EscalationPolicy.Evaluate(state, plan, 1, null));

        Assert.Null(EscalationPolicy.Evaluate(state, plan, 1, null));
        Assert.Equal(3, state.Level);
        Assert.Equal(new LevelChange(2, 3, 2), EscalationPolicy.Evaluate(state, plan, 2, null));
    }

    [Fact]
    public void Evaluate_LowScoreAtLevel4_StillStepsStraightToTheHighestLevelWhoseExitItMeets()
    {
        // A real score says where the city stands: 10 meets no exit, so level 4 steps straight to 1 after its dwell.
        var state = new EscalationState();

        var changes = Run(state, Plan, [80, .. Enumerable.Repeat<double?>(10, 10)]);

        Assert.Equal([new LevelChange(0, 1, 4), new LevelChange(7, 4, 1)], changes.Where(c => c is not null));
    }

    [Fact]
    public void Evaluate_LowScoresThenNoScoreOnTheDayTheDwellEnds_StepsOneLevel_AndALowScoreAfterwardsStepsTheRest()
    {
        // The day's own score decides how far: low days count towards the dwell, but a step taken on a day without a
        // score is one level; the next scored day below every exit, once level 3's dwell has run, goes to level 1.
        var state = new EscalationState();

        var changes = Run(state, Plan, [60, 10, 10, 10, 10, null, 10, 10, 10, 10]);

        Assert.Equal([new LevelChange(0, 1, 3), new LevelChange(5, 3, 2), new LevelChange(7, 2, 1)], changes.Where(c => c is not null));
    }

    [Fact]
    public void Evaluate_StepDownFromLevel4WithScoreStillAboveLevel3Exit_StepsToLevel3()
    {
        var state = new EscalationState();

        // Level 4 has dwell 7 and exit 67; 45 is still at or above level 3's exit (42).
        var changes = Run(state, Plan, [80, .. Enumerable.Repeat<double?>(45, 7)]);

        Assert.All(changes.Skip(1).Take(6), Assert.Null);
        Assert.Equal(new LevelChange(7, 4, 3), changes[7]);
        Assert.Equal(3, state.Level);
    }

    [Fact]
    public void Evaluate_StepDownBelowTheLowerLevelsExitToo_KeepsCountingTheDwellOfTheLowerLevel()
    {
        var state = new EscalationState();
        var plan = WithDwell(2, 5, 1);

        // 30 is below level 4's exit (67) and level 3's exit (42) but not level 2's (20): step to 2 after 1 day.
        var changes = Run(state, plan, 80, 30, 10, 10);

        Assert.Equal(new LevelChange(1, 4, 2), changes[1]);
        Assert.Null(changes[2]);
        Assert.Equal(new LevelChange(3, 2, 1), changes[3]);
    }

    [Fact]
    public void Evaluate_DwellOfOneDay_StepsDownOnTheFirstDayBelowExit()
    {
        var state = new EscalationState();
        var plan = WithDwell(1, 1, 1);

        var changes = Run(state, plan, 30, 10);

        Assert.Equal(new LevelChange(0, 1, 2), changes[0]);
        Assert.Equal(new LevelChange(1, 2, 1), changes[1]);
    }

    [Fact]
    public void Evaluate_ScoreBackAboveEntryTheDayAfterAStepDown_EscalatesAgainAtOnce()
    {
        var state = new EscalationState();

        var changes = Run(state, Plan, 30, 10, 10, 10, 30);

        Assert.Equal(new LevelChange(3, 2, 1), changes[3]);
        Assert.Equal(new LevelChange(4, 1, 2), changes[4]);
    }

    [Fact]
    public void PortsAboveCity_PortRisesAboveCity_ReportedOncePerRise()
    {
        var state = new EscalationState();

        var first = EscalationPolicy.PortsAboveCity(state, Plan, 0, [("suifenhe-road", 30), ("suifenhe-rail", 5)]);
        var again = EscalationPolicy.PortsAboveCity(state, Plan, 1, [("suifenhe-road", 31), ("suifenhe-rail", 5)]);
        var higher = EscalationPolicy.PortsAboveCity(state, Plan, 2, [("suifenhe-road", 55), ("suifenhe-rail", 5)]);

        Assert.Equal(new[] { ("suifenhe-road", 2) }, first);
        Assert.Empty(again);
        Assert.Equal(new[] { ("suifenhe-road", 3) }, higher);
    }

    [Fact]
    public void PortsAboveCity_PortDipsBelowExitShorterThanTheDwellThenRisesAgain_NotReportedAgain()
    {
        var state = new EscalationState();

        // Default plan, level 2: enter 25, exit below 20, dwell 3 days. Two days below is not enough to leave.
        var reported = Enumerable.Range(0, 8)
            .Select(day => EscalationPolicy.PortsAboveCity(state, Plan, day, [("heihe-road", new double?[] { 26, 24, 10, 10, 26, 23, 19, 27 }[day])]))
            .ToList();

        Assert.Equal(new[] { ("heihe-road", 2) }, reported[0]);
        Assert.All(reported.Skip(1), Assert.Empty);
        Assert.Equal(2, state.Ports["heihe-road"].Level);
    }

    [Fact]
    public void PortsAboveCity_PortStaysBelowExitForTheDwellThenRisesAgain_ReportedAgain()
    {
        var state = new EscalationState();

        var reported = Enumerable.Range(0, 5)
            .Select(day => EscalationPolicy.PortsAboveCity(state, Plan, day, [("dongxing-port", new double?[] { 30, 10, 10, 10, 30 }[day])]))
            .ToList();

        Assert.Equal(new[] { ("dongxing-port", 2) }, reported[0]);
        Assert.Empty(reported[1]);
        Assert.Empty(reported[3]);
        Assert.Equal(new[] { ("dongxing-port", 2) }, reported[4]);
    }

    // One day as a city decides it: its own level, then its ports that rose above it, those told above it that stepped
    // down to a level still above it, then its ports no longer above it.
    private static (IReadOnlyList<(string Port, int Level)> Above, IReadOnlyList<(string Port, int Level, int From)> SteppedDown, IReadOnlyList<(string Port, int Level)> NoLongerAbove) Decide(
        EscalationState state, int day, double? cityScore, double? portScore)
    {
        EscalationPolicy.Evaluate(state, Plan, day, cityScore);
        var above = EscalationPolicy.PortsAboveCity(state, Plan, day, [("p", portScore)]);
        var lower = EscalationPolicy.PortsSteppedDownAboveCity(state);
        return (above, lower, EscalationPolicy.PortsNoLongerAboveCity(state));
    }

    [Fact]
    public void PortsNoLongerAboveCity_ThePortToldAboveLosesItsScoreAndTheCityStepsDown_ToldOnceWhenThePortIsBackAtTheCitysLevel()
    {
        // Review 17 L4: the port rose to 4 above the city at 3; then the city's score fell and the port's stopped.
        var state = new EscalationState();
        Decide(state, 0, 55, 55);
        var rise = Decide(state, 1, 55, 80);
        Assert.Equal(new[] { ("p", 4) }, rise.Above);
        Assert.Equal(4, state.Ports["p"].ToldAboveCityAt);

        var days = Enumerable.Range(2, 30).Select(day => (Day: day, Told: Decide(state, day, 30, null))).ToList();

        // The port without a score steps down a level per dwell (4 -> 3 -> 2 -> 1), the city 3 -> 2 on its score of 30
        // (on day 6, after level 3's dwell of 5 days; the port 4 -> 3 on day 8, after level 4's dwell of 7): at 3
        // the port still stands above the city at 2 and is told so at its new level; then it is told once, on the day
        // it stands at the city's level (2), and never again. It never rises.
        var lower = Assert.Single(days, d => d.Told.SteppedDown.Count > 0);
        Assert.Equal(new[] { ("p", 3, 4) }, lower.Told.SteppedDown);
        Assert.Equal(8, lower.Day);
        var told = days.Where(d => d.Told.NoLongerAbove.Count > 0).ToList();
        var once = Assert.Single(told);
        Assert.Equal(new[] { ("p", 2) }, once.Told.NoLongerAbove);
        Assert.True(lower.Day < once.Day);
        Assert.Equal(2, state.Level);
        Assert.Null(state.Ports["p"].ToldAboveCityAt);
        Assert.All(days, d => Assert.Empty(d.Told.Above));
        Assert.Equal(1, state.Ports["p"].Level);
    }

    [Fact]
    public void PortsSteppedDownAboveCity_APortToldAtFourStepsDownToThreeWithTheCityAtTwo_IsToldAtThree_ThenFollowedUpWhenBackAtTheCitysLevel()
    {
        // Told "port at level 4 above the city at 2", a team keeps level 4's port measures while that notice stands: when
        // the port steps down to 3, still above the city, it is told at 3 (and the mark follows), not left at 4 until it
        // falls to the city's level. The city at 2 throughout (score 30); the port at 80, then 55 (level 3's band, under
        // level 4's exit) until level 4's dwell of 7 days has run, then 5 until level 3's dwell of 5 has run.
        var state = new EscalationState();
        Assert.Equal(new[] { ("p", 4) }, Decide(state, 0, 30, 80).Above);

        var scores = Enumerable.Repeat<double?>(55, 10).Concat(Enumerable.Repeat<double?>(5, 10)).ToArray();
        var days = Enumerable.Range(1, scores.Length).Select(day => (Day: day, Told: Decide(state, day, 30, scores[day - 1]))).ToList();

        var lower = Assert.Single(days, d => d.Told.SteppedDown.Count > 0);
        Assert.Equal(new[] { ("p", 3, 4) }, lower.Told.SteppedDown);
        Assert.Equal(7, lower.Day);
        Assert.All(days, d => Assert.Empty(d.Told.Above));
        var back = Assert.Single(days, d => d.Told.NoLongerAbove.Count > 0);
        Assert.Equal(new[] { ("p", 1) }, back.Told.NoLongerAbove);
        Assert.Equal(15, back.Day);
        Assert.Equal(2, state.Level);
        Assert.Null(state.Ports["p"].ToldAboveCityAt);
    }

    [Fact]
    public void PortsSteppedDownAboveCity_DecidedTwice_TellsOnce_AndAPortNeverToldAboveIsToldAboveBeforeItsStepDown()
    {
        // The mark moves to the level told: deciding the day again, or asking again, tells nothing more.
        var state = new EscalationState { Level = 1, Ports = { ["p"] = new LevelTracker { Level = 2, EnteredDay = 3, ToldAboveCityAt = 4 } } };
        Assert.Equal(new[] { ("p", 2, 4) }, EscalationPolicy.PortsSteppedDownAboveCity(state));
        Assert.Equal(2, state.Ports["p"].ToldAboveCityAt);
        Assert.Empty(EscalationPolicy.PortsSteppedDownAboveCity(state));

        // A port that stands above the city without a notice having told it (a standing stored before the mark) is
        // told at its level first (review 19 M4: nothing else says the port stands above the city), and its step down
        // to 3, still above the city, is then told as a step down from that notice.
        var unmarked = new EscalationState { Level = 1, Ports = { ["p"] = new LevelTracker { Level = 4, EnteredDay = 0 } } };
        var told = Enumerable.Range(1, 30).Select(day => Decide(unmarked, day, 5, 55)).ToList();
        Assert.Equal(3, unmarked.Ports["p"].Level);
        Assert.Equal(new[] { ("p", 4) }, told[0].Above);
        Assert.All(told.Skip(1), d => Assert.Empty(d.Above));
        Assert.Equal(new[] { ("p", 3, 4) }, Assert.Single(told, d => d.SteppedDown.Count > 0).SteppedDown);
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => EscalationPolicy.PortsSteppedDownAboveCity(null!)).ParamName);
    }

    [Fact]
    public void PortsNoLongerAboveCity_TwoPortsBackAtOrBelowTheCityOnOneDay_EachIsFollowedUpAtItsOwnLevel()
    {
        // Each port's team keeps its port measures while its port-above-city notice stands: two ports that fall back on
        // one day, one to the city's level and one below it, each get their follow-up, and a port still above does not.
        var state = new EscalationState
        {
            Level = 3,
            Ports =
            {
                ["road"] = new LevelTracker { Level = 3, EnteredDay = 5, ToldAboveCityAt = 4 },
                ["rail"] = new LevelTracker { Level = 1, EnteredDay = 5, ToldAboveCityAt = 4 },
                ["river"] = new LevelTracker { Level = 4, EnteredDay = 5, ToldAboveCityAt = 4 },
            },
        };

        var back = EscalationPolicy.PortsNoLongerAboveCity(state);

        Assert.Equal(new[] { ("rail", 1), ("road", 3) }, back.OrderBy(p => p.Port, StringComparer.Ordinal));
        Assert.Null(state.Ports["road"].ToldAboveCityAt);
        Assert.Null(state.Ports["rail"].ToldAboveCityAt);
        Assert.Equal(4, state.Ports["river"].ToldAboveCityAt);
        Assert.Empty(EscalationPolicy.PortsNoLongerAboveCity(state));
    }

    [Fact]
    public void PortsNoLongerAboveCity_TheCityReachesTheLevelTold_NothingToTell_AndThePortsNextRiseIsToldAgain()
    {
        var state = new EscalationState();
        Assert.Equal(new[] { ("p", 3) }, Decide(state, 0, 30, 55).Above);

        // The city's own escalation to 3 replaced the port's notice: no follow-up then, nor when the port falls later.
        Assert.Empty(Decide(state, 1, 55, 55).NoLongerAbove);
        Assert.Null(state.Ports["p"].ToldAboveCityAt);
        Assert.All(Enumerable.Range(2, 20).Select(day => Decide(state, day, 55, 5)), d => Assert.Empty(d.NoLongerAbove));

        // Above again: told again, and followed up again once at or below the city's level (a score of 10 steps the
        // port from 4 straight to 1 after its dwell).
        Assert.Equal(new[] { ("p", 4) }, Decide(state, 22, 55, 80).Above);
        var back = Enumerable.Range(23, 20).Select(day => Decide(state, day, 55, 10).NoLongerAbove).Where(b => b.Count > 0).ToList();
        Assert.Equal(new[] { ("p", 1) }, Assert.Single(back));
    }

    [Fact]
    public void PortsAboveCity_AStandingStoredWithoutTheMark_IsToldOnceAtItsLevel_ThenFollowedAsAnyPortToldAbove()
    {
        // Standings stored before the mark existed read it as null: no notice is known to stand for the port, so it is
        // told once at its level (true: it stands above the city), and its later steps are followed from that notice.
        var state = new EscalationState { Level = 2, Ports = { ["p"] = new LevelTracker { Level = 4, EnteredDay = 0 } } };

        var days = Enumerable.Range(1, 30).Select(day => Decide(state, day, 30, null)).ToList();
        Assert.Equal(new[] { ("p", 4) }, days[0].Above);
        Assert.All(days.Skip(1), d => Assert.Empty(d.Above));
        Assert.Equal(new[] { ("p", 3, 4) }, Assert.Single(days, d => d.SteppedDown.Count > 0).SteppedDown);
        Assert.Equal(new[] { ("p", 2) }, Assert.Single(days, d => d.NoLongerAbove.Count > 0).NoLongerAbove);
    }

    [Fact]
    public void PortsAboveCity_TheCityStepsDownBelowAPortThatRoseWhileTheCityWasAsHigh_IsToldOnceAtThePortsLevel()
    {
        // Review 19 M4: the port rose to 4 with the city at 4, so no port-above-city notice told it; the city then
        // stepped down to 1 (a score of 5 after level 4's dwell of 7 days) while the port stayed at 4 (score 80). The
        // city's de-escalation lists level 1's actions: without a notice of the port, its team would stand the port's
        // measures down too. It is told on the day the city steps down, once, and deciding that day again tells nothing.
        var state = new EscalationState();
        Assert.Empty(Decide(state, 0, 80, 80).Above);
        Assert.Null(state.Ports["p"].ToldAboveCityAt);

        var days = Enumerable.Range(1, 20).Select(day => (Day: day, Told: Decide(state, day, 5, 80))).ToList();
        var told = Assert.Single(days, d => d.Told.Above.Count > 0);
        Assert.Equal(new[] { ("p", 4) }, told.Told.Above);
        Assert.Equal(7, told.Day);
        Assert.Equal(1, state.Level);
        Assert.Equal(4, state.Ports["p"].ToldAboveCityAt);
        Assert.All(days, d => Assert.Empty(d.Told.SteppedDown));
        Assert.All(days, d => Assert.Empty(d.Told.NoLongerAbove));
        Assert.Empty(EscalationPolicy.PortsAboveCity(state, Plan, 20, [("p", 80)]));

        // A port told above at 3, the city then at 4 (which replaced the port's notice: mark cleared) and back to 1
        // with the port still at 3: told again at 3.
        var second = new EscalationState();
        Assert.Equal(new[] { ("p", 3) }, Decide(second, 0, 30, 55).Above);
        Decide(second, 1, 80, 55);
        Assert.Null(second.Ports["p"].ToldAboveCityAt);
        var again = Enumerable.Range(2, 20).Select(day => (Day: day, Told: Decide(second, day, 5, 55))).Where(d => d.Told.Above.Count > 0).ToList();
        Assert.Equal(new[] { ("p", 3) }, Assert.Single(again).Told.Above);
        Assert.Equal(8, again[0].Day);
    }

    [Fact]
    public void PortsAboveCity_PortAtOrBelowTheCitysLevel_NotReportedButTracked()
    {
        var state = new EscalationState { Level = 3 };

        var raised = EscalationPolicy.PortsAboveCity(state, Plan, 0, [("a", 55), ("b", 30), ("c", null)]);

        Assert.Empty(raised);
        Assert.Equal(3, state.Ports["a"].Level);
        Assert.Equal(2, state.Ports["b"].Level);
        Assert.Equal(1, state.Ports["c"].Level);
    }

    [Fact]
    public void PortsAboveCity_CityCatchesUpThenThePortRisesFurther_ReportedAtTheNewLevel()
    {
        var state = new EscalationState();
        EscalationPolicy.PortsAboveCity(state, Plan, 0, [("p", 55)]);
        state.Level = 3;

        var caughtUp = EscalationPolicy.PortsAboveCity(state, Plan, 1, [("p", 55)]);
        var risesAbove = EscalationPolicy.PortsAboveCity(state, Plan, 2, [("p", 80)]);

        Assert.Empty(caughtUp);
        Assert.Equal(new[] { ("p", 4) }, risesAbove);
    }

    [Fact]
    public void PortsAboveCity_PortLeavesTheCity_Forgotten()
    {
        var state = new EscalationState();
        EscalationPolicy.PortsAboveCity(state, Plan, 0, [("p", 55), ("q", 30)]);

        EscalationPolicy.PortsAboveCity(state, Plan, 1, [("q", 30)]);

        Assert.Equal(["q"], state.Ports.Keys);
    }

    [Fact]
    public void PortsAboveCity_OnePortReplacedByAnother_ForgetsTheOldAndTracksTheNew()
    {
        // As many ports before as after: the count of tracked ports alone must not hide that one left.
        var state = new EscalationState();
        EscalationPolicy.PortsAboveCity(state, Plan, 0, [("p", 55), ("q", 30)]);

        var raised = EscalationPolicy.PortsAboveCity(state, Plan, 1, [("q", 30), ("r", 80)]);

        Assert.Equal(["q", "r"], state.Ports.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { ("r", 4) }, raised);
    }

    [Fact]
    public void Timeline_AnEarlierDayRecordedAgain_ForgetsTheDaysAfterIt()
    {
        var timeline = new EscalationTimeline();
        var state = new EscalationState();
        double?[] scores = [30, 55, 80];
        for (var day = 0; day < scores.Length; day++)
        {
            EscalationPolicy.Evaluate(state, Plan, day, scores[day]);
            timeline.Record(day, state);
        }

        var again = new EscalationState();
        EscalationPolicy.Evaluate(again, Plan, 0, 30);
        EscalationPolicy.Evaluate(again, Plan, 1, 30);
        timeline.Record(1, again);

        Assert.Equal([0], timeline.Snapshots.Select(s => s.Day));
        Assert.Equal(2, timeline.Snapshots[0].State.Level);
    }

    [Fact]
    public void Timeline_ClockMovedBack_ResumesFromTheStandingOfThatDay()
    {
        var timeline = new EscalationTimeline();
        var state = new EscalationState();
        double?[] scores = [10, 30, 30, 55, 55, 10, 10];
        for (var day = 0; day < scores.Length; day++)
        {
            EscalationPolicy.Evaluate(state, Plan, day, scores[day]);
            timeline.Record(day, state);
        }

        var atDay3 = timeline.RewindTo(3);
        var atDay1 = timeline.RewindTo(1);

        Assert.Equal(3, state.Level);
        Assert.Equal(2, atDay3.Level);
        Assert.Equal(1, atDay3.EnteredDay);
        Assert.Equal(2, atDay3.LastEvaluatedDay);
        Assert.Equal(1, atDay1.Level);
        Assert.Equal(0, atDay1.LastEvaluatedDay);
        Assert.Empty(timeline.Snapshots);
    }

    [Fact]
    public void Timeline_DaysWithoutAChange_RecordNothing()
    {
        var timeline = new EscalationTimeline();
        var state = new EscalationState();
        for (var day = 0; day < 50; day++)
        {
            EscalationPolicy.Evaluate(state, Plan, day, day == 10 ? 30 : 22);
            timeline.Record(day, state);
        }

        Assert.Equal([10], timeline.Snapshots.Select(s => s.Day));
    }

    [Fact]
    public void Evaluate_ScoreExactlyAtTheExit_IsNotBelowIt_KeepsTheLevel()
    {
        // Level 4 is left below 67: a score of exactly 67 meets the exit and never starts the dwell.
        var state = new EscalationState();

        var changes = Run(state, WithDwell(2, 2, 2), 80, 67, 67, 67, 67);

        Assert.All(changes.Skip(1), Assert.Null);
        Assert.Equal(4, state.Level);
        Assert.Null(state.BelowExitSinceDay);
    }

    [Fact]
    public void Evaluate_StepDownWithScoreExactlyAtTheLowerExit_StepsToThatLevel_AndItsDwellStartsTheDayAfter()
    {
        // 42 is below level 4's exit (67) and exactly level 3's (42): after level 4's dwell the city stands at 3; the
        // first day below 42 is the day after the step, so level 3's two-day dwell ends the day after that.
        var state = new EscalationState();

        var changes = Run(state, WithDwell(2, 2, 2), 80, 42, 42, 41, 41);

        Assert.Equal(new LevelChange(2, 4, 3), changes[2]);
        Assert.Null(changes[3]);
        Assert.Equal(new LevelChange(4, 3, 2), changes[4]);
    }

    [Fact]
    public void Evaluate_QuietDataUnderAPlanWhoseExitIsZero_StillStepsDownAfterTheDwell()
    {
        // A plan may never de-escalate on a score (level 2 left only below 0), but a city whose data goes quiet is
        // below every exit: it steps down after the dwell instead of staying escalated for ever.
        var plan = new ResponsePlan([Level(2, 25, 0, 3), Level(3, 50, 42, 5), Level(4, 75, 67, 7)]);
        var state = new EscalationState();

        var changes = Run(state, plan, 30, 0, 0, null, null, null);

        Assert.Equal(new LevelChange(0, 1, 2), changes[0]);
        Assert.All(changes.Skip(1).Take(4), Assert.Null);
        Assert.Equal(new LevelChange(5, 2, 1), changes[5]);
    }

    [Fact]
    public void Timeline_DayDecidedAgain_ReplacesWhatWasRecordedForIt()
    {
        var timeline = new EscalationTimeline();
        timeline.Record(10, new EscalationState { Level = 3, EnteredDay = 10 });

        // The clock moved back and day 10 decided again with no change: nothing stands recorded for it.
        timeline.Record(10, new EscalationState());

        Assert.Empty(timeline.Snapshots);
        Assert.Equal(1, timeline.RewindTo(11).Level);
    }

    [Fact]
    public void Timeline_OnlyAPortOrTheDwellProgressChanged_IsRecorded()
    {
        var timeline = new EscalationTimeline();
        var first = new EscalationState { Level = 2, EnteredDay = 10, Ports = { ["p"] = new LevelTracker { Level = 2, EnteredDay = 10 } } };
        timeline.Record(10, first);

        var portRose = first.Clone();
        portRose.Ports["p"] = new LevelTracker { Level = 3, EnteredDay = 11 };
        timeline.Record(11, portRose);

        var dwellStarted = portRose.Clone();
        dwellStarted.BelowExitSinceDay = 12;
        timeline.Record(12, dwellStarted);

        Assert.Equal([10, 11, 12], timeline.Snapshots.Select(s => s.Day));
        Assert.Equal(12, timeline.RewindTo(13).BelowExitSinceDay);
        Assert.Equal(3, timeline.RewindTo(12).Ports["p"].Level);
    }

    [Fact]
    public void Timeline_PastTheLimit_ForgetsTheOldestChanges()
    {
        var timeline = new EscalationTimeline();
        for (var day = 1; day <= EscalationTimeline.MaxSnapshots + 5; day++)
        {
            timeline.Record(day, new EscalationState { Level = 2 + (day % 2), EnteredDay = day });
        }

        Assert.Equal(EscalationTimeline.MaxSnapshots, timeline.Snapshots.Count);
        Assert.Equal(6, timeline.Snapshots[0].Day);
        Assert.Equal(EscalationTimeline.MaxSnapshots + 5, timeline.Snapshots[^1].Day);
    }
}
