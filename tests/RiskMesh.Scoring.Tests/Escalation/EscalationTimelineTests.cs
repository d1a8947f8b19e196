using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

/// <summary>
/// What a city's timeline hands back to decide a day from, and the level it says stood before a day: written after
/// mutation testing found <see cref="EscalationTimeline.StandingToDecide"/> tested only on the path that rewinds, and
/// <see cref="EscalationTimeline.LevelBefore"/> by no test of this library.
/// </summary>
public sealed class EscalationTimelineTests
{
    // Level 2 entered on day 10, level 3 on day 14: the standing after day 14 is the latest.
    private static (EscalationTimeline Timeline, EscalationState Latest) TwoChanges()
    {
        var timeline = new EscalationTimeline();
        timeline.Record(10, new EscalationState { Level = 2, EnteredDay = 10, LastEvaluatedDay = 10 });
        var latest = new EscalationState { Level = 3, EnteredDay = 14, LastEvaluatedDay = 14 };
        timeline.Record(14, latest);
        return (timeline, latest);
    }

    [Fact]
    public void StandingToDecide_TheDayTheLatestStandingDecided_IsFromTheEndOfTheDayBefore()
    {
        var (timeline, latest) = TwoChanges();

        var standing = timeline.StandingToDecide(latest, 14);

        Assert.Equal(2, standing.Level);
        Assert.Equal(10, standing.EnteredDay);
        Assert.Equal(13, standing.LastEvaluatedDay);
        // The day is being decided again: what was recorded for it is forgotten.
        Assert.Equal([10], timeline.Snapshots.Select(s => s.Day));
    }

    [Fact]
    public void StandingToDecide_ADayNotYetDecided_IsTheStateItself()
    {
        var (timeline, latest) = TwoChanges();

        Assert.Same(latest, timeline.StandingToDecide(latest, 15));
        Assert.Equal([10, 14], timeline.Snapshots.Select(s => s.Day));
    }

    [Fact]
    public void StandingToDecide_AStateTheTimelineDoesNotHoldAsItsLatest_IsTheStateItself()
    {
        // Stored before timelines were kept, or moved since the last record: rewinding would decide from a standing the
        // state never had.
        var (timeline, _) = TwoChanges();
        var other = new EscalationState { Level = 4, EnteredDay = 14, LastEvaluatedDay = 14 };

        Assert.Same(other, timeline.StandingToDecide(other, 14));
        Assert.Equal([10, 14], timeline.Snapshots.Select(s => s.Day));
    }

    [Fact]
    public void StandingToDecide_NothingRecordedYet_RewindsToTheInitialStanding()
    {
        var timeline = new EscalationTimeline();
        var state = new EscalationState { LastEvaluatedDay = 7 };

        var standing = timeline.StandingToDecide(state, 7);

        Assert.NotSame(state, standing);
        Assert.Equal(1, standing.Level);
        Assert.Equal(6, standing.LastEvaluatedDay);
    }

    [Fact]
    public void LevelBefore_IsTheLevelRecordedForTheLastChangeBeforeTheDay()
    {
        var (timeline, _) = TwoChanges();

        Assert.Equal(1, timeline.LevelBefore(10));
        Assert.Equal(2, timeline.LevelBefore(11));
        Assert.Equal(2, timeline.LevelBefore(14));
        Assert.Equal(3, timeline.LevelBefore(15));
        Assert.Equal(1, new EscalationTimeline().LevelBefore(15));
    }

    [Fact]
    public void Record_AndStandingToDecide_RefuseNoState()
    {
        var timeline = new EscalationTimeline();

        Assert.Throws<ArgumentNullException>(() => timeline.Record(1, null!));
        Assert.Throws<ArgumentNullException>(() => timeline.StandingToDecide(null!, 1));
    }
}
