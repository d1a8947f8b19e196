using System.Collections.Immutable;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;
using static RiskMesh.Grains.Tests.Entities.CityDayDriver;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A city short of laboratories or technicians by the assistance rule tells its team so, whatever its level (newcomer
/// 20b, finding 3: Ruili at level 1 with no laboratory heard nothing): once when the shortfall starts, again only when
/// it is clearly worse, and when it ends; never twice for a day decided again, a restart or the clock moved back and
/// jumped forward.
/// </summary>
public sealed class TestingShortfallNoticeTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private static string Capacity(string city, DateOnly day, double technicians, double labs = 1) =>
        Event(new { id = $"{city}-capacity-{Iso(day)}", type = "capacity", subject = $"city:{city}", date = Iso(day), labs, technicians, isolationBeds = 100, source = "shortfall-tests" });

    private async Task<ImmutableArray<NoticeView>> ShortfallNoticesAsync(string city) =>
        [.. (await fixture.Client.GetGrain<ICityResponseGrain>(city).GetNotices(null, 0)).Where(n => n.Kind is NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded)];

    [Fact]
    public async Task ShortCityAtLevel1_IsToldOnce_NotOnReEvaluationOrRestartOrAtTheLine_ThenWhenWorse_ThenItsEnd()
    {
        // Menglian, 140,000 people: 14 technicians is its target; 10 is a gap of 0.29, 11 of 0.21 (either side of 0.25).
        const string City = "menglian";
        var days = new CityDayDriver(fixture, City);
        var response = fixture.Client.GetGrain<ICityResponseGrain>(City);
        var start = new DateOnly(2020, 4, 20);
        await days.SetClockAsync(start);
        await days.IngestAsync(Capacity(City, start, technicians: 10));

        var told = Assert.Single(await ShortfallNoticesAsync(City));
        Assert.Equal((NoticeKinds.TestingShortfall, 1, 1, start), (told.Kind, told.PreviousLevel, told.NewLevel, told.Date));
        Assert.Equal(new NoticeTestingShortfall(0, 0.2857, Worse: false), told.TestingShortfall);
        Assert.Equal(TestingCapacity.Short, told.TestingCapacity?.Standing);
        // The plan's own request (the default plan asks at level 3), marked as the shortfall's, not the level's.
        Assert.Equal(["Request testing kits and laboratory technicians from the province (for the testing shortfall, from level 3 (high) of the plan)."], told.Actions.AsEnumerable());
        Assert.StartsWith(
            "Menglian Dai, Lahu and Va Autonomous County is short of testing capacity on 2020-04-20: 10 technicians for 140,000 people (7.14 per 100,000, target 10; gap 0.29, short by 4). The province is recommended to dispatch testing kits and laboratory technicians; Menglian Dai, Lahu and Va Autonomous County stands at level 1 (normal vigilance), city score ",
            told.Summary,
            StringComparison.Ordinal);

        // The day decided again, then a new activation (a restart): nothing more.
        Assert.Empty(await response.EvaluateToToday());
        await fixture.Client.GetGrain<ICityGrain>(City).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Empty(await response.EvaluateToToday());

        // Reports either side of the line, day after day: no flap (an end needs a gap of 0.125 at most).
        var day = start;
        foreach (var technicians in new[] { 11.0, 10, 11, 10 })
        {
            day = day.AddDays(1);
            await days.SetClockAsync(day);
            await days.IngestAsync(Capacity(City, day, technicians));
        }

        Assert.Single(await ShortfallNoticesAsync(City));

        // Clearly worse (0.29 told, 0.71 now): told again; then back at target: its end.
        day = day.AddDays(1);
        await days.SetClockAsync(day);
        await days.IngestAsync(Capacity(City, day, technicians: 4));
        day = day.AddDays(1);
        await days.SetClockAsync(day);
        await days.IngestAsync(Capacity(City, day, technicians: 14));

        var notices = await ShortfallNoticesAsync(City);
        Assert.Equal(
            [(NoticeKinds.TestingShortfall, start, false), (NoticeKinds.TestingShortfall, start.AddDays(5), true), (NoticeKinds.TestingShortfallEnded, start.AddDays(6), false)],
            notices.Select(n => (n.Kind, n.Date, n.TestingShortfall!.Worse)));
        Assert.StartsWith("Menglian Dai, Lahu and Va Autonomous County is still shorter of testing capacity on 2020-04-25: 4 technicians", notices[1].Summary, StringComparison.Ordinal);
        Assert.StartsWith("Menglian Dai, Lahu and Va Autonomous County is no longer short of testing capacity on 2020-04-26: laboratories gap 0, technicians gap 0 against their targets", notices[2].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClockMovedBackThenJumpedForwardOverShortDays_TellsNothingTwice()
    {
        // Jiangcheng, 110,000 people: 11 technicians is its target; 8 is a gap of 0.27, 9 of 0.18.
        const string City = "jiangcheng";
        var days = new CityDayDriver(fixture, City);
        var first = new DateOnly(2020, 6, 1);
        var day = first;
        foreach (var technicians in new[] { 8.0, 9, 8, 9, 8 })
        {
            await days.SetClockAsync(day);
            await days.IngestAsync(Capacity(City, day, technicians));
            day = day.AddDays(1);
        }

        var told = Assert.Single(await ShortfallNoticesAsync(City));
        Assert.Equal(first, told.Date);

        // Back before the shortfall, then forward past it by more than a year (every day in between decided again).
        await days.SetClockAsync(first.AddDays(-1));
        await days.SetClockAsync(first.AddDays(400));

        Assert.Equal([told.Id], (await ShortfallNoticesAsync(City)).Select(n => n.Id));
    }
}
