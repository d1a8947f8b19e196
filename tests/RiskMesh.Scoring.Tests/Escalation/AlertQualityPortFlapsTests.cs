using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

/// <summary>
/// Review 19 M3: a port scoring 80 one day in eight and 55 on the others (default plan, city at 1) rose to level 4,
/// stepped down to 3 a week later and rose again the next day, ten notices in 40 days, and alert quality's flaps,
/// the city's level changes only, stayed 0. Port reversals are counted apart, as portFlaps; city flaps keep their meaning.
/// </summary>
public sealed class AlertQualityPortFlapsTests
{
    private static readonly DateOnly Day0 = new(2020, 7, 1);

    private static NoticeFact Port(long sequence, int day, int level, bool steppedDown, string port = "khorgos-road", NoticeKind kind = NoticeKind.PortAboveCity) =>
        new("khorgos", sequence, kind, 1, level, Day0.AddDays(day), DateTimeOffset.UnixEpoch, null, port, steppedDown);

    [Fact]
    public void PortRisingSteppingDownAndRisingAgainWithinTheWindow_CountsEachReversalAsAPortFlap_NotAsACityFlap()
    {
        // The review's oscillation: up on day 0, down on 7, up on 8, down on 15, up on 16.
        NoticeFact[] notices =
        [
            Port(1, 0, 4, false), Port(2, 7, 3, true), Port(3, 8, 4, false), Port(4, 15, 3, true), Port(5, 16, 4, false),
        ];

        var report = AlertQuality.Compute(Day0, Day0.AddDays(39), ["khorgos"], notices);

        var row = Assert.Single(report.Cities);
        Assert.Equal((5, 0, 4), (row.PortAboveCity, row.Flaps, row.PortFlaps));
        Assert.Equal((0, 4), (report.Overall.Flaps, report.Overall.PortFlaps));
    }

    [Fact]
    public void PortNotices_SameWayOrReversedAfterTheWindowOrOfAnotherPort_AreNoPortFlaps_ANoLongerAboveReversedByARiseIsOne()
    {
        NoticeFact[] quiet =
        [
            // Khorgos road: 4, down to 3 and to 2 (the year-2020 steps, same way), then up again 15 days after the last.
            Port(1, 0, 4, false), Port(2, 44, 3, true), Port(3, 76, 2, true), Port(4, 91, 4, false),
            // Another port's rise between them reverses nothing of this port's.
            Port(5, 77, 3, false, "khorgos-rail"),
        ];
        Assert.Equal(0, AlertQuality.PortFlaps(quiet));

        // No longer above the city, then above it again within the window: told back.
        NoticeFact[] back = [Port(1, 0, 3, false), Port(2, 20, 1, false, kind: NoticeKind.PortNoLongerAboveCity), Port(3, 34, 3, false)];
        Assert.Equal(1, AlertQuality.PortFlaps(back));
    }

    [Fact]
    public void APortNoticeRestatingTheLevelBefore_WhenTheCityStepsDownBelowThePort_IsNoRise_SoTheStepDownAfterIsNoPortFlap()
    {
        // The April replay (review 19 M4): Suifenhe road told at 4 on 7 April; on 2 May the city fell 4 -> 2 and the port,
        // still at 4, was told again at 4; on 7 May it was no longer above the city. The port fell once, 30 days after
        // its rise: no flap. A real rise 5 days before a fall stays one.
        NoticeFact[] restated = [Port(1, 0, 4, false), Port(2, 25, 4, false), Port(3, 30, 1, false, kind: NoticeKind.PortNoLongerAboveCity)];
        Assert.Equal(0, AlertQuality.PortFlaps(restated));
        NoticeFact[] rose = [Port(1, 0, 3, false), Port(2, 25, 4, false), Port(3, 30, 1, false, kind: NoticeKind.PortNoLongerAboveCity)];
        Assert.Equal(1, AlertQuality.PortFlaps(rose));
    }
}
