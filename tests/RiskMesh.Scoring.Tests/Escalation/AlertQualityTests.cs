using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

public sealed class AlertQualityTests
{
    private static readonly DateOnly From = new(2020, 4, 1);
    private static readonly DateOnly To = new(2020, 4, 28);
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_FourWeeksOfNotices_CountsEachKindPerCityAndOverall()
    {
        NoticeFact[] notices =
        [
            Fact("suifenhe", 1, NoticeKind.PortAboveCity, 1, 2, 4),
            Fact("suifenhe", 2, NoticeKind.Escalation, 1, 2, 8, ackAfterHours: 1),
            Fact("suifenhe", 3, NoticeKind.PortAboveCity, 2, 3, 8, ackAfterHours: 3),
            Fact("suifenhe", 4, NoticeKind.DeEscalation, 2, 1, 29),
            Fact("ruili", 1, NoticeKind.Escalation, 1, 2, 10, ackAfterHours: 10),
        ];

        var report = AlertQuality.Compute(From, To, ["suifenhe", "ruili", "heihe"], notices);

        var suifenhe = report.Cities.Single(c => c.City == "suifenhe");
        Assert.Equal(new CityAlertQuality("suifenhe", 3, 0.75, 1, 0, 2, 0, 2, 1, 3), suifenhe);
        Assert.Equal(new CityAlertQuality("heihe", 0, 0, 0, 0, 0, 0, 0, null, null), report.Cities.Single(c => c.City == "heihe"));
        Assert.Equal(["suifenhe", "ruili", "heihe"], report.Cities.Select(c => c.City));
        Assert.Equal(new OverallAlertQuality(3, 4, 0.33, 2, 0, 2, 0, 3, 0.75, 3, 10), report.Overall);
    }

    [Fact]
    public void Flaps_ChangeReversedWithin14Days_IsAFlap()
    {
        NoticeFact[] notices =
        [
            Fact("c", 1, NoticeKind.Escalation, 1, 2, 1),
            Fact("c", 2, NoticeKind.PortAboveCity, 2, 3, 2),
            Fact("c", 3, NoticeKind.DeEscalation, 2, 1, 15),
            Fact("c", 4, NoticeKind.Escalation, 1, 3, 20),
            Fact("c", 5, NoticeKind.Escalation, 3, 4, 22),
            Fact("c", 6, NoticeKind.DeEscalation, 4, 3, 40),
        ];

        // 1→2 (day 1) reversed on day 15: flap; 2→1 (15) reversed on 20: flap; 1→3 then 3→4: same way; 3→4 (22) reversed on 40: too late.
        Assert.Equal(2, AlertQuality.Flaps(notices));
    }

    [Fact]
    public void Compute_LocalTransmissionNotices_AreCountedAsNoticesInTheirOwnColumnAndNeverAsLevelChangesOrFlaps()
    {
        // Escalation 1→2, local transmission at level 2 two days later, step down 2→1 on day 5: the step down still
        // reverses the escalation (one flap), the local-transmission notice between them changing no level.
        NoticeFact[] notices =
        [
            Fact("heihe", 1, NoticeKind.Escalation, 1, 2, 1),
            Fact("heihe", 2, NoticeKind.LocalTransmission, 2, 2, 3, ackAfterHours: 2),
            Fact("heihe", 3, NoticeKind.DeEscalation, 2, 1, 5),
            Fact("ruili", 1, NoticeKind.LocalTransmission, 1, 1, 9),
        ];

        var report = AlertQuality.Compute(From, To, ["heihe", "ruili"], notices);

        Assert.Equal(new CityAlertQuality("heihe", 3, 0.75, 1, 1, 0, 1, 1, 2, 2, LocalTransmission: 1), report.Cities.Single(c => c.City == "heihe"));
        Assert.Equal(new CityAlertQuality("ruili", 1, 0.25, 0, 0, 0, 0, 0, null, null, LocalTransmission: 1), report.Cities.Single(c => c.City == "ruili"));
        Assert.Equal(new OverallAlertQuality(2, 4, 0.5, 1, 1, 0, 1, 1, 0.25, 2, 2, LocalTransmission: 2), report.Overall);
    }

    [Fact]
    public void Compute_TestingShortfallNotices_AreCountedAsNoticesInTheirOwnColumnAndNeverAsLevelChangesOrFlaps()
    {
        // Ruili short from day 10 at level 1 and told again when clearly worse on day 12; Hekou escalates 1→2 and steps
        // down 2→1 with a shortfall told and ended between: one flap (the city's own), the shortfall's end no flap.
        NoticeFact[] notices =
        [
            Fact("ruili", 1, NoticeKind.TestingShortfall, 1, 1, 10),
            Fact("ruili", 2, NoticeKind.TestingShortfall, 1, 1, 12, ackAfterHours: 1),
            Fact("hekou", 1, NoticeKind.Escalation, 1, 2, 1),
            Fact("hekou", 2, NoticeKind.TestingShortfall, 2, 2, 2),
            Fact("hekou", 3, NoticeKind.TestingShortfallEnded, 2, 2, 3),
            Fact("hekou", 4, NoticeKind.DeEscalation, 2, 1, 5),
        ];

        var report = AlertQuality.Compute(From, To, ["ruili", "hekou"], notices);

        Assert.Equal(new CityAlertQuality("ruili", 2, 0.5, 0, 0, 0, 0, 1, 1, 1, TestingShortfall: 2), report.Cities.Single(c => c.City == "ruili"));
        Assert.Equal(new CityAlertQuality("hekou", 4, 1, 1, 1, 0, 1, 0, null, null, TestingShortfall: 1, TestingShortfallEnded: 1), report.Cities.Single(c => c.City == "hekou"));
        Assert.Equal(new OverallAlertQuality(2, 6, 0.75, 1, 1, 0, 1, 1, 0.17, 1, 1, TestingShortfall: 3, TestingShortfallEnded: 1), report.Overall);
    }

    [Fact]
    public void Compute_EveryKindHasItsOwnCount_SoEachRowsKindsAddUpToItsNotices()
    {
        // One notice of every kind in one city: a port no longer above the city and a shortfall's end were counted in
        // notices alone, so a row read 7 notices against kinds summing to 5 (newcomer 21a L1: "jeminay 3 | 0 0 2").
        var kinds = Enum.GetValues<NoticeKind>();
        var notices = kinds.Select((kind, i) => Fact("jeminay", i + 1, kind, 1, 2, i + 1)).ToArray();

        var report = AlertQuality.Compute(From, To, ["jeminay", "ruili"], notices);

        foreach (var row in report.Cities)
        {
            Assert.Equal(row.Notices, KindsOf(row.Escalations, row.DeEscalations, row.PortAboveCity, row.PortNoLongerAboveCity, row.LocalTransmission, row.TestingShortfall, row.TestingShortfallEnded));
        }

        var all = report.Overall;
        Assert.Equal(kinds.Length, all.Notices);
        Assert.Equal(all.Notices, KindsOf(all.Escalations, all.DeEscalations, all.PortAboveCity, all.PortNoLongerAboveCity, all.LocalTransmission, all.TestingShortfall, all.TestingShortfallEnded));
        Assert.Equal((1, 1), (all.PortNoLongerAboveCity, all.TestingShortfallEnded));

        static int KindsOf(params int[] counts) => counts.Sum();
    }

    [Fact]
    public void Flaps_ReversedAfter15Days_NotAFlap()
    {
        Assert.Equal(0, AlertQuality.Flaps([Fact("c", 1, NoticeKind.Escalation, 1, 2, 1), Fact("c", 2, NoticeKind.DeEscalation, 2, 1, 16)]));
    }

    [Fact]
    public void Percentile_NearestRank()
    {
        double[] hours = [5, 1, 4, 2, 3, 10, 6, 7, 8, 9];

        Assert.Equal(5, AlertQuality.Percentile(hours, 0.5));
        Assert.Equal(9, AlertQuality.Percentile(hours, 0.9));
        Assert.Null(AlertQuality.Percentile([], 0.5));
    }

    [Fact]
    public void Compute_ToBeforeFrom_IsRefusedNamingBothDays()
    {
        var error = Assert.Throws<ArgumentException>(() => AlertQuality.Compute(To, From, [], []));

        Assert.Equal("to", error.ParamName);
        Assert.StartsWith("to (2020-04-01) is before from (2020-04-28)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_OneDayPeriod_CountsNoticesOnThatDayOnly()
    {
        NoticeFact[] notices =
        [
            Fact("c", 1, NoticeKind.Escalation, 1, 2, 9),
            Fact("c", 2, NoticeKind.Escalation, 2, 3, 10),
            Fact("c", 3, NoticeKind.DeEscalation, 3, 2, 11),
        ];
        var day = new DateOnly(2020, 4, 10);

        var report = AlertQuality.Compute(day, day, ["c"], notices);

        Assert.Equal(1, report.Overall.Notices);
        Assert.Equal(1, report.Overall.Escalations);
        Assert.Equal(0, report.Overall.DeEscalations);
    }

    [Fact]
    public void Compute_TotalsAddUpOverCities()
    {
        NoticeFact[] notices =
        [
            Fact("a", 1, NoticeKind.Escalation, 1, 2, 1),
            Fact("a", 2, NoticeKind.DeEscalation, 2, 1, 3),
            Fact("a", 3, NoticeKind.PortAboveCity, 1, 2, 5),
            Fact("b", 1, NoticeKind.Escalation, 1, 3, 2),
            Fact("b", 2, NoticeKind.DeEscalation, 3, 1, 4),
            Fact("b", 3, NoticeKind.PortAboveCity, 1, 2, 6),
        ];

        var overall = AlertQuality.Compute(From, To, ["a", "b"], notices).Overall;

        Assert.Equal(2, overall.DeEscalations);
        Assert.Equal(2, overall.PortAboveCity);
        Assert.Equal(2, overall.Flaps);
        Assert.Null(AlertQuality.Compute(From, To, ["a"], []).Overall.ShareAcknowledged);
    }

    private static NoticeFact Fact(string city, long sequence, NoticeKind kind, int previous, int next, int aprilDay, double? ackAfterHours = null) =>
        new(city, sequence, kind, previous, next, new DateOnly(2020, 3, 31).AddDays(aprilDay), Noon, ackAfterHours is { } h ? Noon.AddHours(h) : null);
}
