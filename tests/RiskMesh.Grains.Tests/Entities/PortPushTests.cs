using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>The entity cluster, counting the changes each city is told of by its ports and the days each port is asked for.</summary>
public sealed class PortPushCountingClusterFixture : EntityClusterFixture
{
    /// <summary>Every <c>OnPortChanged</c> call a city received, by city.</summary>
    public ConcurrentDictionary<string, int> PortChangesTold { get; } = new();

    /// <summary>The first day of every live <c>GetUpstreamDays</c> an entity was asked for, by its key (a port's id, a country's code).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<int>> PortDaysAskedFrom { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.AddIncomingGrainCallFilter(context =>
        {
            if (context.MethodName == nameof(ICityGrain.OnPortChanged))
            {
                PortChangesTold.AddOrUpdate(context.TargetId.Key.ToString()!, 1, (_, n) => n + 1);
            }
            else if (context.MethodName == nameof(IPortGrain.GetUpstreamDays))
            {
                PortDaysAskedFrom.GetOrAdd(context.TargetId.Key.ToString()!, _ => new()).Enqueue((int)context.Request.GetArgument(0)!);
            }

            return context.Invoke();
        });
}

/// <summary>
/// A port tells its city of a change only when the city may hold something the change moved: today's value, or an
/// earlier day it read. A change the city cannot have seen costs no call, and the city still answers as a fresh read.
/// </summary>
public sealed class PortPushTests(PortPushCountingClusterFixture fixture) : IClassFixture<PortPushCountingClusterFixture>
{
    private static readonly DateOnly Day = new(2020, 4, 20);
    private static readonly DateOnly Start = new(2020, 3, 25);

    [Fact]
    public async Task PortChangeOfEarlierDaysOnly_CityHeldNone_IsNotTold_YetAnswersAsAFreshRead()
    {
        await IngestAsync("""{"id":"sr-1","type":"case","location":"port:suifenhe-road","date":"2020-04-18","count":12,"classification":"imported-confirmed","origin":"RU","source":"t"}""");
        var port = await fixture.Client.GetGrain<IPortGrain>("suifenhe-road").GetView();
        var told = Told("suifenhe");

        // Cases of 25 March fall out of today's 14-day windows, and out of the 14 days to 13 April whose imported cases
        // today's value also gives (for the city's severe cases): the port's days from 25 March to 14 April move, today
        // does not.
        await IngestAsync("""{"id":"sr-2","type":"case","location":"port:suifenhe-road","date":"2020-03-25","count":30,"classification":"imported-confirmed","origin":"RU","source":"t"}""");

        Assert.Equal(told, Told("suifenhe"));
        Assert.Equal(port.Score, (await fixture.Client.GetGrain<IPortGrain>("suifenhe-road").GetView()).Score);
        var city = fixture.Client.GetGrain<ICityGrain>("suifenhe");
        var history = await city.GetHistory(Start, Day);
        var fresh = await city.GetHistoryAsKnownOn(Start, Day, Day);
        Assert.Equal(Points(fresh), Points(history));

        // A change of today is told, as before.
        await IngestAsync("""{"id":"sr-3","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":20,"classification":"imported-confirmed","origin":"RU","source":"t"}""");
        Assert.Equal(told + 1, Told("suifenhe"));
    }

    [Fact]
    public async Task PortChangeOfEarlierDaysOnly_CityReadThoseDays_IsTold_AndItsHistoryShowsTheChange()
    {
        await IngestAsync("""{"id":"mz-1","type":"case","location":"port:manzhouli-road","date":"2020-04-18","count":12,"classification":"imported-confirmed","origin":"RU","source":"t"}""");
        var city = fixture.Client.GetGrain<ICityGrain>("manzhouli");
        var before = await city.GetHistory(Start, Day);
        var told = Told("manzhouli");

        await IngestAsync("""{"id":"mz-2","type":"case","location":"port:manzhouli-road","date":"2020-04-01","count":30,"classification":"imported-confirmed","origin":"RU","source":"t"}""");

        Assert.Equal(told + 1, Told("manzhouli"));
        var after = await city.GetHistory(Start, Day);
        var fresh = await city.GetHistoryAsKnownOn(Start, Day, Day);
        Assert.Equal(Points(fresh), Points(after));
        Assert.NotEqual(Points(before), Points(after));
        Assert.Equal(before.Single(p => p.Date == Day).Score, after.Single(p => p.Date == Day).Score);
    }

    [Fact]
    public async Task PortChangeOfToday_CityHoldsOnlyThePushedToday_IsTold_AndItsViewShowsIt()
    {
        var city = fixture.Client.GetGrain<ICityGrain>("heihe");
        await IngestAsync("""{"id":"hh-1","type":"case","location":"port:heihe-river","date":"2020-04-19","count":3,"classification":"imported-confirmed","origin":"RU","source":"t"}""");
        var told = Told("heihe");

        // A revision of the same day, source and kind replaces the count: the port's today moves.
        await IngestAsync("""{"id":"hh-2","type":"case","location":"port:heihe-river","date":"2020-04-19","count":60,"classification":"imported-confirmed","origin":"RU","source":"t"}""");

        Assert.Equal(told + 1, Told("heihe"));
        Assert.Equal((await city.GetViewAsKnownOn(Day)).Score, (await city.GetView()).Score);
    }

    [Fact]
    public async Task CityWithSevereCases_ReadsItsPortsImportsOfAWeekEarlierFromTheirValuesOfToday_AndInfersNoSpreadFromTheSamePatients()
    {
        // Fuyuan: 35 imported cases at its river port on 5 April, 6 severe cases in the city on 12 April. On 20 April the
        // imports have left the 14 days and the severe cases have not; against the port's 14 days to 13 April they
        // imply no local spread (newcomer 21a M3), live and as a fresh read alike. The port hands those 14 days with
        // each day's value: the city asks it for no day before its view's week (it asked for a week more, and was told
        // of every change of it, while it read them from the port's value of 13 April).
        await IngestAsync(
            """{"id":"fy-1","type":"case","location":"port:fuyuan","date":"2020-04-05","count":35,"classification":"imported-confirmed","origin":"RU","source":"t"}""",
            """{"id":"fy-2","type":"case","location":"city:fuyuan","date":"2020-04-12","count":6,"classification":"severe","source":"t"}""");
        var city = fixture.Client.GetGrain<ICityGrain>("fuyuan");

        var view = await city.GetView();

        Assert.Equal(6, view.Metrics["severe14d"]);
        Assert.Equal(0, view.Metrics["localInfections14dPer100k"] ?? 0);
        Assert.Equal(Day.DayNumber - 6, fixture.PortDaysAskedFrom["fuyuan"].Min());
        Assert.Equal((await city.GetViewAsKnownOn(Day)).Score, view.Score);
    }

    private int Told(string city) => fixture.PortChangesTold.GetValueOrDefault(city);

    private static IEnumerable<(DateOnly, double?, string)> Points(ImmutableArray<HistoryPointView> points) =>
        points.Select(p => (p.Date, p.Score, p.Level));

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}

/// <summary>
/// A port that left its city and came back may have changed meanwhile without telling it: the city forgets what it
/// held of its ports when the topology changes, and answers as a fresh read (review of the ninth session, F1).
/// </summary>
public sealed class PortTopologyPushTests(PortPushCountingClusterFixture fixture) : IClassFixture<PortPushCountingClusterFixture>
{
    private static readonly DateOnly Day = new(2020, 4, 20);
    private static readonly DateOnly Start = new(2020, 3, 20);

    [Fact]
    public async Task PortMovedToAnotherCityAndBack_ChangedMeanwhile_CityAnswersAsAFreshRead()
    {
        var catalog = fixture.Service<TopologyCatalog>();
        var city = fixture.Client.GetGrain<ICityGrain>("suifenhe");
        await IngestAsync("""{"id":"t-1","type":"case","location":"port:suifenhe-rail","date":"2020-04-18","count":12,"classification":"imported-confirmed","origin":"RU","source":"t"}""");
        await city.GetHistory(Start, Day);
        await city.GetView();

        await catalog.ReplaceAsync(WithRailPortIn("dongning"));
        await IngestAsync("""{"id":"t-2","type":"case","location":"port:suifenhe-rail","date":"2020-04-19","count":40,"classification":"imported-confirmed","origin":"RU","source":"t"}""");
        await catalog.ReplaceAsync(WithRailPortIn("suifenhe"));

        Assert.Equal((await city.GetViewAsKnownOn(Day)).Score, (await city.GetView()).Score);
        Assert.Equal(
            (await city.GetHistoryAsKnownOn(Start, Day, Day)).Select(p => (p.Date, p.Score)),
            (await city.GetHistory(Start, Day)).Select(p => (p.Date, p.Score)));
    }

    private static RiskMesh.Scoring.Topologies.TopologyDocument WithRailPortIn(string city)
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(RiskMesh.Scoring.Topologies.DefaultTopology.ReadText())!;
        document["ports"]!.AsArray().Single(p => (string?)p!["id"] == "suifenhe-rail")!["city"] = city;
        return RiskMesh.Scoring.Topologies.TopologyParser.ParseJson(document.ToJsonString());
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
