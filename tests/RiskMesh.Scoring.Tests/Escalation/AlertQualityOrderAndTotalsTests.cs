using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

/// <summary>
/// Alert quality's rules that the twentieth session's mutation run found untested: notices of one day read in the order
/// of their numbers, ties among cities by id, totals of port flaps over cities, a report of no city at all, notices
/// of ports that name no port, and arguments refused by name.
/// </summary>
public sealed class AlertQualityOrderAndTotalsTests
{
    private static readonly DateOnly Day0 = new(2020, 4, 1);

    [Fact]
    public void Flaps_TwoLevelChangesOfOneDay_AreReadInTheOrderOfTheirNumbers()
    {
        // Up and back down on day 0 (notices 1 and 2), down again on day 4: one flap, the day's own reversal. Read in
        // the wrong order (down, up, down) it would be two.
        NoticeFact[] notices =
        [
            City(2, NoticeKind.DeEscalation, 3, 2, 0),
            City(1, NoticeKind.Escalation, 2, 3, 0),
            City(3, NoticeKind.DeEscalation, 2, 1, 4),
        ];

        Assert.Equal(1, AlertQuality.Flaps(notices));
    }

    [Fact]
    public void PortFlaps_TwoNoticesOfOnePortOnOneDay_AreReadInTheOrderOfTheirNumbers()
    {
        // The port rose on day 0 (notice 1), the city rose to it the same day (notice 2: no longer above), and the port
        // rose above it again on day 5: two reversals. Read in the wrong order (down, up, up) it would be one.
        NoticeFact[] notices =
        [
            Port(2, 0, 3, NoticeKind.PortNoLongerAboveCity),
            Port(1, 0, 3, NoticeKind.PortAboveCity),
            Port(3, 5, 4, NoticeKind.PortAboveCity),
        ];

        Assert.Equal(2, AlertQuality.PortFlaps(notices));
    }

    [Fact]
    public void PortFlaps_PortNoticesThatNameNoPort_AreNoMovesOfAnyPort()
    {
        // A port's notice without its port cannot be told apart from another port's: a rise and a fall of two unnamed
        // ports are no reversal of one.
        NoticeFact[] notices =
        [
            Port(1, 0, 3, NoticeKind.PortAboveCity, port: null),
            Port(2, 3, 1, NoticeKind.PortNoLongerAboveCity, port: null),
        ];

        Assert.Equal(0, AlertQuality.PortFlaps(notices));
        Assert.Equal(1, AlertQuality.PortFlaps([.. notices.Select(n => n with { Port = "heihe-river" })]));
    }

    [Fact]
    public void Compute_PortFlapsOfEveryCity_AddUpOverall()
    {
        NoticeFact[] notices =
        [
            Port(1, 0, 3, NoticeKind.PortAboveCity, city: "heihe"),
            Port(2, 3, 1, NoticeKind.PortNoLongerAboveCity, city: "heihe"),
            Port(1, 1, 3, NoticeKind.PortAboveCity, city: "ruili", port: "ruili-road"),
            Port(2, 4, 1, NoticeKind.PortNoLongerAboveCity, city: "ruili", port: "ruili-road"),
        ];

        var report = AlertQuality.Compute(Day0, Day0.AddDays(27), ["heihe", "ruili"], notices);

        Assert.All(report.Cities, row => Assert.Equal(1, row.PortFlaps));
        Assert.Equal(2, report.Overall.PortFlaps);
    }

    [Fact]
    public void Compute_CitiesWithAsManyNotices_ComeInTheOrderOfTheirIds()
    {
        NoticeFact[] notices =
        [
            City(1, NoticeKind.Escalation, 1, 2, 3, "suifenhe"),
            City(1, NoticeKind.Escalation, 1, 2, 5, "heihe"),
            City(2, NoticeKind.Escalation, 2, 3, 6, "heihe"),
            City(1, NoticeKind.Escalation, 1, 2, 4, "manzhouli"),
        ];

        var report = AlertQuality.Compute(Day0, Day0.AddDays(27), ["suifenhe", "ruili", "manzhouli", "heihe", "erenhot"], notices);

        Assert.Equal(["heihe", "manzhouli", "suifenhe", "erenhot", "ruili"], report.Cities.Select(c => c.City));
    }

    [Fact]
    public void Compute_NoCityAndNoNotice_IsZeroNoticesPerCityPerWeek_NotANumberThatJsonCannotWrite()
    {
        var overall = AlertQuality.Compute(Day0, Day0.AddDays(6), [], []).Overall;

        Assert.Equal(new OverallAlertQuality(0, 0, 0, 0, 0, 0, 0, 0, null, null, null), overall);
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        Assert.Equal("cities", Assert.Throws<ArgumentNullException>(() => AlertQuality.Compute(Day0, Day0, null!, [])).ParamName);
        Assert.Equal("notices", Assert.Throws<ArgumentNullException>(() => AlertQuality.Compute(Day0, Day0, [], null!)).ParamName);
        Assert.Equal("notices", Assert.Throws<ArgumentNullException>(() => AlertQuality.Flaps(null!)).ParamName);
        Assert.Equal("notices", Assert.Throws<ArgumentNullException>(() => AlertQuality.PortFlaps(null!)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => AlertQuality.Percentile(null!, 0.5)).ParamName);
    }

    private static NoticeFact City(long sequence, NoticeKind kind, int previous, int next, int day, string city = "heihe") =>
        new(city, sequence, kind, previous, next, Day0.AddDays(day), DateTimeOffset.UnixEpoch, null);

    private static NoticeFact Port(long sequence, int day, int level, NoticeKind kind, string city = "heihe", string? port = "heihe-river") =>
        new(city, sequence, kind, 1, level, Day0.AddDays(day), DateTimeOffset.UnixEpoch, null, port);
}
