using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Tests.Persistence;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>One in-process silo with every RiskMesh grain service on a temporary SQLite file; time is the clock grain's.</summary>
public class EntityClusterFixture : IAsyncLifetime
{
    private ITestDatabase? _database;
    private InProcessTestCluster? _cluster;

    /// <summary>The cluster's client.</summary>
    public IClusterClient Client => (_cluster ?? throw new InvalidOperationException("not deployed")).Client;

    /// <summary>A service of the silo.</summary>
    public T Service<T>()
        where T : notnull =>
        (_cluster ?? throw new InvalidOperationException("not deployed")).Silos[0].ServiceProvider.GetRequiredService<T>();

    /// <summary>A keyed service of the silo.</summary>
    public T KeyedService<T>(string key)
        where T : notnull =>
        (_cluster ?? throw new InvalidOperationException("not deployed")).Silos[0].ServiceProvider.GetRequiredKeyedService<T>(key);

    /// <summary>A service of the silo at <paramref name="index"/> (in start order), for a fixture of several silos.</summary>
    public T ServiceOf<T>(int index)
        where T : notnull =>
        (_cluster ?? throw new InvalidOperationException("not deployed")).Silos[index].ServiceProvider.GetRequiredService<T>();

    /// <summary>The address of the silo at <paramref name="index"/> (in start order).</summary>
    public SiloAddress AddressOf(int index) => (_cluster ?? throw new InvalidOperationException("not deployed")).Silos[index].SiloAddress;

    /// <summary>The silo's clock service: setting it through the silo updates the silo's cached day at once.</summary>
    public RiskClock Clock => (_cluster ?? throw new InvalidOperationException("not deployed")).Silos[0].ServiceProvider.GetRequiredService<RiskClock>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _database = TestDatabases.CreateSqlite();
        await SchemaInstaller.ApplyAsync(_database.Settings);
        var settings = _database.Settings;
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddRiskMeshGrains(settings);
            ConfigureSilo(silo);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        if (StartDay is { } day)
        {
            await Clock.SetAsync(day);
        }
    }

    /// <summary>Stops the silo gracefully, as SIGTERM does; the fixture serves nothing afterwards.</summary>
    public Task StopSiloAsync()
    {
        var cluster = _cluster ?? throw new InvalidOperationException("not deployed");
        return cluster.StopSiloAsync(cluster.Silos[0]);
    }

    /// <summary>
    /// Escalates a city to <paramref name="level"/> today: adds local cases, then sets a plan whose levels up to that
    /// one today's score has entered; returns the notices either issued (the first call for a city also issues its
    /// local-transmission notice, the cases being its first local ones). Shared by the webhook hand-off tests.
    /// </summary>
    public async Task<ImmutableArray<NoticeView>> EscalateCityAsync(string city, int level)
    {
        var response = Client.GetGrain<ICityResponseGrain>(city);
        var already = (await response.GetNotices(null, 0)).Length;
        // A plan out of the cases' reach first: under the default plan the ingest alone escalated the city (40 cases
        // scored 65.2, level 3 of the default plan, once the outbreak anchors were halved in 04a8ae8), so the call for
        // level 2 ended at 3 and the next call, for 3, issued nothing.
        await response.SetPlan([.. new[] { 2, 3, 4 }.Select(l => new PlanLevelView(l, $"level {l}", 96.0 + l, (96.0 + l) / 2, 1, ["act"]))]);
        await Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(
            Encoding.UTF8.GetBytes($$"""{"id":"{{city}}-cases","type":"case","location":"city:{{city}}","date":"2020-04-19","count":40,"classification":"local-confirmed","source":"t"}"""),
            IngestFormat.NdJson);
        var score = (await Client.GetGrain<ICityGrain>(city).GetView()).Score ?? throw new InvalidOperationException($"{city} has no score");
        // Levels above the one asked for begin at 98 to 100: out of reach while the score stays below them.
        Assert.True(score is > 4 and < 96, $"{city} scores {score}");
        var enter = new[] { 2, 3, 4 }.Select(l => l <= level ? score * l / 8 : 96 + l).ToArray();
        await response.SetPlan([.. enter.Select((e, i) => new PlanLevelView(i + 2, $"level {i + 2}", e, e / 2, 1, ["act"]))]);
        return [.. (await response.GetNotices(null, 0)).Skip(already)];
    }

    /// <summary>How many silos the cluster has; one unless a fixture needs grains on different silos.</summary>
    protected virtual short SiloCount => 1;

    /// <summary>The day the clock is set to once the silo runs; null leaves the clock as the silo starts it.</summary>
    protected virtual DateOnly? StartDay => new DateOnly(2020, 4, 20);

    /// <summary>Adds to the silo what a fixture of its own needs (a fault to inject, say).</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>Entity grains on a real silo: ingest through the ingest grain, views, replay after deactivation, time from the clock.</summary>
public sealed class EntityGrainTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private static readonly DateOnly Day = new(2020, 4, 20);

    [Fact]
    public async Task Country_CumulativeSeries_ViewShowsIncidenceAndSurvivesDeactivation()
    {
        // Kazakhstan, population 18,776,707 in the shipped ISO table: 2,600 cases in 14 days.
        var result = await IngestAsync(
            """{"id":"kz-a","type":"country-cases","country":"KZ","date":"2020-04-06","cumulativeCases":1400,"source":"gt"}""",
            """{"id":"kz-b","type":"country-cases","country":"KZ","date":"2020-04-20","cumulativeCases":4000,"source":"gt"}""");
        Assert.Equal(2, result.Accepted);

        var before = await fixture.Client.GetGrain<ICountryGrain>("KZ").GetView();
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await fixture.Client.GetGrain<ICountryGrain>("KZ").GetView();

        var expected = Math.Round(2600 / 18776707.0 * 100_000, 4);
        Assert.Equal(expected, before.Metrics["incidence14dPer100k"]);
        Assert.Equal(expected, after.Metrics["incidence14dPer100k"]);
        Assert.Equal(before.Score, after.Score);
    }

    [Fact]
    public async Task ViewJson_IsTheViewsHttpJson_AndIsWrittenAnewWhenAnEventMovesTheView()
    {
        await IngestAsync(
            """{"id":"uz-a","type":"country-cases","country":"UZ","date":"2020-04-06","cumulativeCases":100,"source":"gt"}""",
            """{"id":"uz-b","type":"country-cases","country":"UZ","date":"2020-04-19","cumulativeCases":900,"source":"gt"}""");
        var grain = fixture.Client.GetGrain<ICountryGrain>("UZ");

        var first = (await grain.GetViewJson()).ToJsonString();
        Assert.Equal(first, (await grain.GetViewJson()).ToJsonString());
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(await grain.GetView(), RiskViewJson.SerializerOptions), first);

        await IngestAsync("""{"id":"uz-c","type":"country-cases","country":"UZ","date":"2020-04-20","cumulativeCases":2900,"source":"gt"}""");
        var moved = (await grain.GetViewJson()).ToJsonString();

        Assert.NotEqual(first, moved);
        var view = await grain.GetView();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(view, RiskViewJson.SerializerOptions), moved);
        Assert.Equal(Math.Round(2800 / view.Metrics["population"]!.Value * 100_000, 4), view.Metrics["incidence14dPer100k"]);
    }

    [Fact]
    public async Task Port_TrafficFromRisingNeighbour_ImportPressureFromCountryPrevalence()
    {
        await IngestAsync(
            """{"id":"mn-a","type":"country-cases","country":"MN","date":"2020-04-05","cumulativeCases":100,"source":"gt"}""",
            """{"id":"mn-b","type":"country-cases","country":"MN","date":"2020-04-19","cumulativeCases":3400,"source":"gt"}""",
            """{"id":"er-t","type":"traffic","port":"erenhot-road","date":"2020-04-19","inbound":1000,"origins":{"MN":1000},"source":"gt"}""");

        var port = await fixture.Client.GetGrain<IPortGrain>("erenhot-road").GetView();

        var pressure = port.Components.Single(c => c.Name == "importPressure");
        Assert.NotNull(pressure.Value);
        Assert.True(pressure.Value > 0.1, $"expected import pressure from Mongolia's prevalence, got {pressure.Value}");
        // The origin by the topology's name for it, as people know it (eighth session: "MN" before).
        Assert.Contains("mostly from Mongolia", pressure.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_TravellersFromANewCountryAfterAnEarlierChange_FollowsThatCountry()
    {
        // The port keeps its origin countries until its ledger changes: the second report's new origin must still make
        // it pull that country's values and hear of its changes, although the first report's change found the origins.
        await IngestAsync("""{"id":"ik-t1","type":"traffic","port":"irkeshtam","date":"2020-04-18","inbound":500,"origins":{"KG":500},"source":"gt"}""");
        await IngestAsync("""{"id":"ik-t2","type":"traffic","port":"irkeshtam","date":"2020-04-19","inbound":800,"origins":{"BT":800},"source":"gt"}""");
        var port = fixture.Client.GetGrain<IPortGrain>("irkeshtam");
        var before = (await port.GetView()).Components.Single(c => c.Name == "importPressure");

        await IngestAsync(
            """{"id":"bt-a","type":"country-cases","country":"BT","date":"2020-04-05","cumulativeCases":100,"source":"gt"}""",
            """{"id":"bt-b","type":"country-cases","country":"BT","date":"2020-04-19","cumulativeCases":4000,"source":"gt"}""");
        var after = (await port.GetView()).Components.Single(c => c.Name == "importPressure");

        Assert.True(after.Value > (before.Value ?? 0), $"expected Bhutan's rise to raise the pressure: {before.Value} then {after.Value}");
        Assert.Contains("mostly from Bhutan", after.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Country_ClockMovesPastTheWindow_BecomesInsufficientWithoutNewEvents()
    {
        await IngestAsync(
            """{"id":"kg-a","type":"country-cases","country":"KG","date":"2020-04-06","cumulativeCases":100,"source":"gt"}""",
            """{"id":"kg-b","type":"country-cases","country":"KG","date":"2020-04-20","cumulativeCases":500,"source":"gt"}""");
        var fresh = await fixture.Client.GetGrain<ICountryGrain>("KG").GetView();

        await fixture.Clock.SetAsync(Day.AddDays(30));
        var later = await fixture.Client.GetGrain<ICountryGrain>("KG").GetView();
        await fixture.Clock.SetAsync(Day);

        Assert.NotNull(fresh.Score);
        Assert.Null(later.Score);
        Assert.Equal("insufficient-data", later.Level);
        Assert.True(later.DataQuality.Stale);
    }

    [Fact]
    public async Task Retry_OfBatchJournaledButNotApplied_AppliesItBeforeAcknowledging()
    {
        string[] lines =
        [
            """{"id":"tj-a","type":"country-cases","country":"TJ","date":"2020-04-06","cumulativeCases":10,"source":"gt"}""",
            """{"id":"tj-b","type":"country-cases","country":"TJ","date":"2020-04-20","cumulativeCases":960,"source":"gt"}""",
        ];

        // The grain is active already, so it will not replay the journal on its own.
        var before = await fixture.Client.GetGrain<ICountryGrain>("TJ").GetView();

        // The first attempt stopped after the journal append: its events are durable but no grain has them.
        var parsed = Scoring.Events.EventParser.ParseNdJson(
            Encoding.UTF8.GetBytes(string.Join('\n', lines)),
            new Scoring.Events.IngestRules(Day),
            TopologyCatalog.DirectoryOf(Scoring.Topologies.DefaultTopology.Load()));
        await fixture.Service<Journal.IngestJournal>().AppendAsync(
            [.. parsed.Events.Select(e => new Journal.JournalCandidate(e.Event.Source, e.Event.Id, e.Event.Entity.ToString(), e.Event.Date.DayNumber, e.CanonicalJson))]);

        var retry = await IngestAsync(lines);
        var view = await fixture.Client.GetGrain<ICountryGrain>("TJ").GetView();

        Assert.Null(before.Metrics["cases14d"]);
        Assert.Equal(0, retry.Accepted);
        Assert.Equal(2, retry.Duplicates);
        Assert.Equal(950, view.Metrics["cases14d"]);
    }

    [Fact]
    public async Task Retry_AppliesTheBatchHoldingItsEvents_NotAnotherRequestsUnfinishedBatch()
    {
        string[] mine = [CasesLine("np-a", "NP", "2020-04-06", 10), CasesLine("np-b", "NP", "2020-04-20", 510)];
        string[] other = [CasesLine("af-a", "AF", "2020-04-06", 10), CasesLine("af-b", "AF", "2020-04-20", 710)];
        await fixture.Client.GetGrain<ICountryGrain>("NP").GetView();
        await fixture.Client.GetGrain<ICountryGrain>("AF").GetView();

        // Two requests stopped after their journal appends (or are still applying elsewhere); only the first is retried.
        await JournalWithoutApplyingAsync(mine);
        await JournalWithoutApplyingAsync(other);
        var retry = await IngestAsync(mine);

        Assert.Equal(2, retry.Duplicates);
        Assert.Equal(500, (await fixture.Client.GetGrain<ICountryGrain>("NP").GetView()).Metrics["cases14d"]);
        Assert.Null((await fixture.Client.GetGrain<ICountryGrain>("AF").GetView()).Metrics["cases14d"]);

        // The other request's own retry applies its batch.
        await IngestAsync(other);
        Assert.Equal(700, (await fixture.Client.GetGrain<ICountryGrain>("AF").GetView()).Metrics["cases14d"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Retry_WhileItsFirstAttemptStillApplies_WaitsForIt_AndAppliesTheBatchOnlyIfThatFailed(bool firstAttemptFails)
    {
        var country = firstAttemptFails ? "IR" : "PK";
        string[] lines = [CasesLine($"{country}-a", country, "2020-04-06", 10), CasesLine($"{country}-b", country, "2020-04-20", 310)];
        await fixture.Client.GetGrain<ICountryGrain>(country).GetView();
        var batch = await JournalWithoutApplyingAsync(lines);

        // The first attempt is "applying" in this silo: the retry must wait for it, not apply the batch beside it.
        var firstAttempt = new TaskCompletionSource();
        using (fixture.Service<Journal.BatchesApplying>().Track(batch, firstAttempt.Task))
        {
            var retry = IngestAsync(lines);
            await Task.Delay(300);
            Assert.False(retry.IsCompleted, "the retry answered while the first attempt was still applying its batch");
            if (firstAttemptFails)
            {
                firstAttempt.SetException(new TimeoutException("first attempt failed"));
            }
            else
            {
                firstAttempt.SetResult();
            }

            Assert.Equal(2, (await retry).Duplicates);
        }

        // This stand-in first attempt applied nothing: the events show only where the retry applied them itself.
        var cases = (await fixture.Client.GetGrain<ICountryGrain>(country).GetView()).Metrics["cases14d"];
        Assert.Equal(firstAttemptFails ? 300 : null, cases);
    }

    [Fact]
    public async Task Sweep_ABatchLeftUnappliedAndNeverRetried_IsAppliedAndMarked_ButNotOneThisSiloIsStillApplying()
    {
        string[] abandoned = [CasesLine("bd-a", "BD", "2020-04-06", 10), CasesLine("bd-b", "BD", "2020-04-20", 410)];
        string[] underWay = [CasesLine("lk-a", "LK", "2020-04-06", 10), CasesLine("lk-b", "LK", "2020-04-20", 210)];
        await fixture.Client.GetGrain<ICountryGrain>("BD").GetView();
        await fixture.Client.GetGrain<ICountryGrain>("LK").GetView();
        var abandonedBatch = await JournalWithoutApplyingAsync(abandoned);
        var underWayBatch = await JournalWithoutApplyingAsync(underWay);
        var journal = fixture.Service<Journal.IngestJournal>();

        // Nothing is old enough yet: the sweep leaves both to their requests.
        var recovery = fixture.Service<Journal.JournalRecovery>();
        Assert.Equal(0, await recovery.SweepAsync(TimeSpan.FromHours(1)));

        var firstAttempt = new TaskCompletionSource();
        using (fixture.Service<Journal.BatchesApplying>().Track(underWayBatch, firstAttempt.Task))
        {
            // At least the abandoned batch's two events (other tests of this class may have left batches behind too).
            Assert.InRange(await recovery.SweepAsync(TimeSpan.Zero), 2, int.MaxValue);
        }

        firstAttempt.SetResult();
        Assert.Equal(400, (await fixture.Client.GetGrain<ICountryGrain>("BD").GetView()).Metrics["cases14d"]);
        Assert.Null((await fixture.Client.GetGrain<ICountryGrain>("LK").GetView()).Metrics["cases14d"]);
        Assert.DoesNotContain(abandonedBatch, await journal.UnappliedBatchesBeforeAsync(DateTime.UtcNow.AddMinutes(1)));

        // Once nobody applies the other, the next sweep does.
        Assert.Equal(2, await recovery.SweepAsync(TimeSpan.Zero));
        Assert.Empty(await journal.UnappliedBatchesBeforeAsync(DateTime.UtcNow.AddMinutes(1)));
        Assert.Equal(200, (await fixture.Client.GetGrain<ICountryGrain>("LK").GetView()).Metrics["cases14d"]);
    }

    private static string CasesLine(string id, string country, string date, int cumulative) =>
        $$"""{"id":"{{id}}","type":"country-cases","country":"{{country}}","date":"{{date}}","cumulativeCases":{{cumulative}},"source":"gt"}""";

    // A request that stopped after its journal append: its events are durable, no grain has them.
    private async Task<long> JournalWithoutApplyingAsync(string[] lines)
    {
        var parsed = Scoring.Events.EventParser.ParseNdJson(
            Encoding.UTF8.GetBytes(string.Join('\n', lines)),
            new Scoring.Events.IngestRules(Day),
            TopologyCatalog.DirectoryOf(Scoring.Topologies.DefaultTopology.Load()));
        var appended = await fixture.Service<Journal.IngestJournal>().AppendAsync(
            [.. parsed.Events.Select(e => new Journal.JournalCandidate(e.Event.Source, e.Event.Id, e.Event.Entity.ToString(), e.Event.Date.DayNumber, e.CanonicalJson))]);
        return appended.BatchId ?? throw new InvalidOperationException("nothing journaled");
    }

    [Fact]
    public async Task City_CountryRevisesAnOldDayButNotToday_CityHistoryShowsTheRevisedDays()
    {
        // Laos → Mengkang road port → Jiangcheng: the port has no traffic of its own, so its exposure (and the city's
        // score) follows Laos's incidence from nominal traffic, day by day.
        var start = new DateOnly(2020, 3, 1);
        var days = Enumerable.Range(0, Day.DayNumber - start.DayNumber + 1).Select(start.AddDays).ToList();
        await IngestAsync([.. days.Select(d => $$"""{"id":"la-{{d:yyyy-MM-dd}}","type":"country-cases","country":"LA","date":"{{d:yyyy-MM-dd}}","cumulativeCases":{{(d.DayNumber - start.DayNumber) * 40}},"source":"gt"}""")]);
        var city = fixture.Client.GetGrain<ICityGrain>("jiangcheng");
        var before = await city.GetHistory(start, Day);

        // A revision of 15 March changes the days whose 14-day windows it bounds (15 and 29 March), not today: the
        // port's today is the same, yet the city read (and kept) the port's March days before the revision.
        var revised = new DateOnly(2020, 3, 15);
        await IngestAsync($$"""{"id":"la-revised","type":"country-cases","country":"LA","date":"{{revised:yyyy-MM-dd}}","cumulativeCases":20000,"source":"gt"}""");
        var after = await city.GetHistory(start, Day);
        var fresh = await city.GetHistoryAsKnownOn(start, Day, Day);

        var dayOf = (ImmutableArray<HistoryPointView> points, DateOnly date) => points.Single(p => p.Date == date);
        Assert.Equal(dayOf(before, Day).Score, dayOf(after, Day).Score);
        Assert.NotEqual(dayOf(before, revised).Score, dayOf(after, revised).Score);
        Assert.Equal(fresh.Select(p => (p.Date, p.Score, p.Level)), after.Select(p => (p.Date, p.Score, p.Level)));
    }

    [Fact]
    public async Task City_PlanSetWhoseThresholdsTodaysScoreCrosses_EscalatesAtOnceWithoutAnEvent()
    {
        // Setting the plan decides today again with today's scores unmoved: a city skips deciding a day again when what
        // it decided with did not move, and the plan is part of that, so the new plan's level is reached now.
        var notices = await fixture.EscalateCityAsync("raohe", level: 3);

        Assert.Contains(notices, n => n.Kind == RiskMesh.Scoring.Escalation.NoticeKinds.Escalation && n.NewLevel == 3);
        Assert.Equal(3, (await fixture.Client.GetGrain<ICityGrain>("raohe").GetView()).Response?.Level);
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
