using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>The entity cluster, counting the changes each port is told of by its countries.</summary>
public sealed class CountryPushCountingClusterFixture : EntityClusterFixture
{
    /// <summary>Every <c>OnCountryChanged</c> call a port received, by port.</summary>
    public ConcurrentDictionary<string, int> CountryChangesTold { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.AddIncomingGrainCallFilter(context =>
        {
            if (context.MethodName == nameof(IPortGrain.OnCountryChanged))
            {
                CountryChangesTold.AddOrUpdate(context.TargetId.Key.ToString()!, 1, (_, n) => n + 1);
            }

            return context.Invoke();
        });
}

/// <summary>
/// A country tells the ports facing it of a change only when one of them may hold something the change moved: today's
/// value, or an earlier day one of them read. A change none of them can have seen costs no call (about 20 for a
/// country of the bench's world), and every port still answers as a fresh read.
/// </summary>
public sealed class CountryPushTests(CountryPushCountingClusterFixture fixture) : IClassFixture<CountryPushCountingClusterFixture>
{
    private static readonly DateOnly Day = new(2020, 4, 20);
    private static readonly DateOnly Start = new(2020, 3, 25);

    [Fact]
    public async Task CountryChangeOfEarlierDaysOnly_NoPortHeldThem_IsNotTold_YetThePortAnswersAsAFreshRead()
    {
        // Pakistan faces one port, Khunjerab (Tashkurgan).
        await IngestAsync(Report("pk-1", "PK", "2020-04-18", 900));
        var port = fixture.Client.GetGrain<IPortGrain>("khunjerab");
        var told = Told("khunjerab");

        // A report of 1 April falls out of today's 14-day window: the country's days from 1 to 14 April move, today does not.
        await IngestAsync(Report("pk-2", "PK", "2020-04-01", 5000));

        Assert.Equal(told, Told("khunjerab"));
        Assert.Equal((await port.GetViewAsKnownOn(Day)).Score, (await port.GetView()).Score);
        Assert.Equal(Points(await port.GetHistoryAsKnownOn(Start, Day, Day)), Points(await port.GetHistory(Start, Day)));

        // A change of today is told, as before.
        await IngestAsync(Report("pk-3", "PK", "2020-04-19", 4000));
        Assert.Equal(told + 1, Told("khunjerab"));
    }

    [Fact]
    public async Task CountryChangeOfEarlierDaysOnly_APortReadThoseDays_IsTold_AndItsHistoryShowsTheChange()
    {
        // Tajikistan faces one port, Karasu (Tashkurgan); the port's history reads Tajikistan's days.
        await IngestAsync(Report("tj-1", "TJ", "2020-04-18", 900));
        var port = fixture.Client.GetGrain<IPortGrain>("karasu");
        await IngestAsync("""{"id":"ka-1","type":"case","location":"port:karasu","date":"2020-04-10","count":5,"classification":"imported-confirmed","origin":"TJ","source":"t"}""");
        var before = await port.GetHistory(Start, Day);
        var told = Told("karasu");

        await IngestAsync(Report("tj-2", "TJ", "2020-04-01", 5000));

        Assert.Equal(told + 1, Told("karasu"));
        var after = await port.GetHistory(Start, Day);
        Assert.Equal(Points(await port.GetHistoryAsKnownOn(Start, Day, Day)), Points(after));
        Assert.NotEqual(Points(before), Points(after));
    }

    [Fact]
    public async Task EveryPortFacingTheCountry_CountsAsHoldingWhatAnyOfThemRead()
    {
        // Kyrgyzstan faces Irkeshtam (Ulugqat) and Torugart (Artux): the country cannot tell which of them asked.
        await IngestAsync(Report("kg-1", "KG", "2020-04-18", 900));
        await fixture.Client.GetGrain<IPortGrain>("irkeshtam").GetHistory(Start, Day);
        var told = (Told("irkeshtam"), Told("torugart"));

        await IngestAsync(Report("kg-2", "KG", "2020-04-01", 5000));

        Assert.Equal((told.Item1 + 1, told.Item2 + 1), (Told("irkeshtam"), Told("torugart")));
    }

    [Fact]
    public async Task RevisedEarlierDayOfAnOriginThePortDoesNotFace_ReachesThePortAndItsCity_ThroughTheSubscription()
    {
        // Heihe road port faces Russia only; travellers from Mongolia subscribe it to Mongolia, which then tells it of
        // changes as it tells the ports facing it (CountryGrain.PortsToTell's subscribers; review 17 M4).
        await IngestAsync(
            Report("mn-1", "MN", "2020-04-01", 300),
            Report("mn-2", "MN", "2020-04-18", 900),
            """{"id":"hh-t1","type":"traffic","port":"heihe-road","date":"2020-04-05","inbound":2000,"origins":{"MN":1900}}""");
        var port = fixture.Client.GetGrain<IPortGrain>("heihe-road");
        var city = fixture.Client.GetGrain<ICityGrain>("heihe");
        var before = await port.GetHistory(Start, Day);
        var cityBefore = await city.GetHistory(Start, Day);
        var told = Told("heihe-road");

        // Mongolia's 1 April revised: its days from 1 to 14 April move, today does not; the port read those days.
        await IngestAsync(Report("mn-1r", "MN", "2020-04-01", 5000));

        var after = await port.GetHistory(Start, Day);
        var cityAfter = await city.GetHistory(Start, Day);
        Assert.NotEqual(Points(before), Points(after));
        Assert.Equal(Points(await port.GetHistoryAsKnownOn(Start, Day, Day)), Points(after));
        Assert.NotEqual(Points(cityBefore), Points(cityAfter));
        Assert.Equal(Points(await city.GetHistoryAsKnownOn(Start, Day, Day)), Points(cityAfter));
        Assert.Equal(told + 1, Told("heihe-road"));
    }

    private static string Report(string id, string country, string date, int newCases) =>
        $$"""{"id":"{{id}}","type":"country-cases","country":"{{country}}","date":"{{date}}","newCases":{{newCases}},"tests":200000,"positivity":0.05,"source":"t"}""";

    private int Told(string port) => fixture.CountryChangesTold.GetValueOrDefault(port);

    private static IEnumerable<(DateOnly, double?, string)> Points(ImmutableArray<HistoryPointView> points) =>
        points.Select(p => (p.Date, p.Score, p.Level));

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
