using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// The clock moved through another process (an API node) while a silo still trusts the day it cached: the daily
/// evaluation that the move asks for evaluates every city to the day the clock was set to, not to the cached one.
/// The silo's time stands still here, so its cached day never expires by itself.
/// </summary>
public sealed class ClockVersionTests(ClockVersionTests.Fixture fixture) : IClassFixture<ClockVersionTests.Fixture>
{
    [Fact]
    public async Task ClockMovedByAnotherProcess_DailyEvaluationOfThatVersion_EvaluatesCitiesToTheNewDay_NotTheSilosCachedOne()
    {
        // Russia's series escalates Suifenhe on 20 April (EarlyWarningGrainTests); the series then stops.
        await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n',
            """{"id":"ru-a","type":"country-cases","country":"RU","date":"2020-04-06","cumulativeCases":100000,"source":"gt"}""",
            """{"id":"ru-b","type":"country-cases","country":"RU","date":"2020-04-20","cumulativeCases":250000,"source":"gt"}""")), IngestFormat.NdJson);
        var city = fixture.Client.GetGrain<ICityResponseGrain>("suifenhe");
        await city.EvaluateToToday();
        Assert.Contains(await city.GetNotices(null, 0), n => n.Kind == NoticeKinds.Escalation);

        // An API node moves the clock six weeks on; the silo still has 20 April cached.
        var apiNodeClock = new RiskClock(fixture.Client, TimeProvider.System);
        var moved = await apiNodeClock.SetAsync(new DateOnly(2020, 6, 1));
        Assert.Equal(new DateOnly(2020, 4, 20), await fixture.Clock.TodayAsync());

        var notices = await fixture.Client.GetGrain<IDailyEvaluationGrain>(GrainKeys.Singleton).RunToClock(moved.Version);

        // The data went quiet: the city steps down within those weeks, which only an evaluation past 20 April sees.
        Assert.Contains(notices, n => n.City == "suifenhe" && n.Kind == NoticeKinds.DeEscalation && n.Date > new DateOnly(2020, 4, 20));
        Assert.Equal(new DateOnly(2020, 6, 1), await fixture.Clock.TodayAsync());
    }

    [Fact]
    public async Task AtLeast_CachedStateOlderThanTheVersion_ReadsTheClockGrain_ElseKeepsTheCache()
    {
        var frozen = new FakeTimeProvider();
        var silo = new RiskClock(fixture.Client, frozen);
        var apiNode = new RiskClock(fixture.Client, TimeProvider.System);
        var before = await silo.StateAsync();

        var moved = await apiNode.SetAsync(before.Date.AddDays(3));

        Assert.Equal(before.Version, (await silo.StateAsync()).Version);
        Assert.Equal(moved, await silo.AtLeastAsync(moved.Version));
        Assert.Equal(moved, await silo.AtLeastAsync(before.Version));
    }

    [Fact]
    public async Task TodayNotBefore_CachedDayBeforeTheDaySeen_ReadsTheClockGrain_ElseKeepsTheCache()
    {
        // An API node's stream marks a notice "ahead of the clock" by the day it has cached (review 14): a notice issued
        // for the day another node just moved the clock to must not read as dated after it.
        var frozen = new FakeTimeProvider();
        var streamingNode = new RiskClock(fixture.Client, frozen);
        var replayingNode = new RiskClock(fixture.Client, TimeProvider.System);
        var before = await streamingNode.TodayAsync();

        var moved = await replayingNode.SetAsync(before.AddDays(2));

        Assert.Equal(before, await streamingNode.TodayAsync());
        Assert.Equal(before, await streamingNode.TodayNotBeforeAsync(before));
        Assert.Equal(moved.Date, await streamingNode.TodayNotBeforeAsync(moved.Date));
        Assert.Equal(moved.Date, await streamingNode.TodayAsync());

        // A notice dated after the clock's day itself (the clock moved back) stays after it.
        Assert.Equal(moved.Date, await streamingNode.TodayNotBeforeAsync(moved.Date.AddDays(30)));
    }

    /// <summary>The entity fixture on a silo whose time stands still.</summary>
    public sealed class Fixture : EntityClusterFixture
    {
        /// <inheritdoc />
        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            silo.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(DateTimeOffset.UtcNow));

            // Only the grains' time stands still; the silo's own loops stay on real time.
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        }
    }
}
