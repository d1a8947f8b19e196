using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// Newcomer 20b F2: on 2 May 2020 Suifenhe's road port was told at level 4 above the city at 2 with a score of 58.4, in
/// the "high" band, and nothing said that the plan's hysteresis and dwell held it there, nor that level 4's measures were
/// the crossing's. A port-above-city notice now says both.
/// </summary>
public sealed class NoticePortHoldTests
{
    private static readonly DateOnly May2 = new(2020, 5, 2);

    private static NoticeView PortNotice(double? score, NoticePortHold? hold) =>
        new("suifenhe-8", "suifenhe", 8, NoticeKinds.PortAboveCity, 2, 4, score, "suifenhe-road", [], ResponsePlan.Default.ActionsOf(4), May2, DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null)
        {
            CityName = "Suifenhe",
            PortName = "Suifenhe road port",
            PreviousLevelName = "heightened",
            NewLevelName = "very high",
            PortHold = hold,
        };

    [Fact]
    public void Of_ScoreBelowTheExit_HeldByTheDwell_UntilItsDaysHaveRun()
    {
        var port = new LevelTracker { Level = 4, EnteredDay = May2.DayNumber - 20, BelowExitSinceDay = May2.DayNumber - 1 };

        var hold = NoticePortHold.Of(port, ResponsePlan.Default, 58.4);

        // Level 4 of the default plan: entry 75, exit 67, 7 days' dwell counted from the first day below (1 May).
        Assert.Equal(new NoticePortHold(75, 67, 7, new DateOnly(2020, 5, 1), new DateOnly(2020, 5, 7)), hold);
    }

    [Fact]
    public void Of_ScoreBetweenExitAndEntry_HeldByHysteresis_AndAScoreAtTheEntry_NotHeld()
    {
        var port = new LevelTracker { Level = 4, EnteredDay = May2.DayNumber - 3 };

        Assert.Equal(new NoticePortHold(75, 67, 7, null, null), NoticePortHold.Of(port, ResponsePlan.Default, 70));
        Assert.Null(NoticePortHold.Of(port, ResponsePlan.Default, 75));
        Assert.Null(NoticePortHold.Of(new LevelTracker(), ResponsePlan.Default, 10));
    }

    [Fact]
    public void PortLevelNote_Held_SaysWhyAndUntilWhen_ThenThatTheMeasuresAreTheCrossings()
    {
        var notice = PortNotice(58.4, new NoticePortHold(75, 67, 7, new DateOnly(2020, 5, 1), new DateOnly(2020, 5, 7)));

        Assert.Equal(
            "Held at level 4 (very high) by the plan: the port's score has been below level 4's exit line (67) since 2020-05-01, and the plan's 7-day dwell keeps it there until at least 2020-05-07. "
            + "Level 4's measures of the plan apply at Suifenhe road port only; Suifenhe stands at level 2 (heightened).",
            notice.PortLevelNote);
        // In the one line a relay passes on, before the first action.
        Assert.Contains(notice.PortLevelNote + " First action: Request a national expert team (+3 more actions).", notice.Summary, StringComparison.Ordinal);
        Assert.Contains("since 2020-05-01, and", (notice with { Score = null }).PortLevelNote, StringComparison.Ordinal);
        Assert.Contains("below level 4's exit line (67), or absent, since", (notice with { Score = null }).PortLevelNote, StringComparison.Ordinal);
    }

    [Fact]
    public void PortLevelNote_HeldByHysteresis_SaysTheExitLine_AndARise_OnlyTheMeasures_AndOtherKinds_Nothing()
    {
        Assert.StartsWith(
            "Held at level 4 (very high) by the plan: the port's score is below level 4's entry (75) but not below its exit line (67); it steps down only after 7 days below 67. Level 4's measures",
            PortNotice(70, new NoticePortHold(75, 67, 7, null, null)).PortLevelNote, StringComparison.Ordinal);
        Assert.Equal(
            "Level 4's measures of the plan apply at Suifenhe road port only; Suifenhe stands at level 2 (heightened).",
            PortNotice(80, null).PortLevelNote);
        Assert.Null((PortNotice(80, null) with { Kind = NoticeKinds.Escalation }).PortLevelNote);
        Assert.Null((PortNotice(80, null) with { Kind = NoticeKinds.PortNoLongerAboveCity }).PortLevelNote);
    }

    [Fact]
    public void Stored_KeepsTheHold_NotTheNote()
    {
        var notice = PortNotice(58.4, new NoticePortHold(75, 67, 7, new DateOnly(2020, 5, 1), new DateOnly(2020, 5, 7)));

        var stored = System.Text.Json.JsonSerializer.Serialize(notice, NoticeJson.StoredOptions);
        var read = System.Text.Json.JsonSerializer.Deserialize<NoticeView>(stored, NoticeJson.StoredOptions)!;

        Assert.Contains("\"portHold\":{\"enterAt\":75,\"exitBelow\":67,\"dwellDays\":7,\"belowExitSince\":\"2020-05-01\",\"stepDownFrom\":\"2020-05-07\"}", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("portLevelNote", stored, StringComparison.Ordinal);
        Assert.Equal(notice.PortHold, read.PortHold);
        Assert.Equal(notice.PortLevelNote, read.PortLevelNote);
        Assert.Contains("\"portLevelNote\":\"Held at level 4", NoticeJson.Write(notice), StringComparison.Ordinal);
    }
}
