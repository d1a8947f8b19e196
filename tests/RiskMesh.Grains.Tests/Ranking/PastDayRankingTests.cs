using System.Text;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Tests.Entities;

namespace RiskMesh.Grains.Tests.Ranking;

/// <summary>
/// A ranking as known on a past day (newcomer 24b, M2: "which crossings were the riskiest on 19 April" needed every
/// port's history sorted by hand): every entity of the kind evaluated as RiskMesh knew it at the end of that day, a
/// batch accepted later left out, and ranked as today's ranking ranks. A cluster of its own: its clock moves.
/// </summary>
public sealed class PastDayRankingTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private static readonly DateOnly Day = new(2020, 4, 20);

    [Fact]
    public async Task PortRanking_AsKnownOnAPastDay_RanksEveryPortAsKnownThen_WithoutALaterBatch()
    {
        // Russia rising for four weeks, and imported cases found at Fuyuan on 20 April, all known on 20 April.
        var events = Enumerable.Range(0, 29).Select(i =>
            $$"""{"id":"past-ru-{{i}}","type":"country-cases","country":"RU","date":"{{Day.AddDays(i - 28):yyyy-MM-dd}}","cumulativeCases":{{(long)(1000 * Math.Exp(0.2 * i))}},"source":"past"}""")
            .Append(Imported("past-fuyuan", "fuyuan", 3));
        await IngestAsync([.. events]);

        // On 21 April a late report: many more imported cases at Heihe on 20 April, so Heihe leads today's ranking.
        await fixture.Clock.SetAsync(Day.AddDays(1));
        await IngestAsync(Imported("past-heihe", "heihe-road", 40));

        var ranking = fixture.Client.GetGrain<IRankingGrain>("port");
        var today = await ranking.Top(1000);
        var then = await ranking.TopAsKnownOn(1000, Day);

        Assert.Equal("heihe-road", today[0].Id);
        var ids = then.Select(e => e.Id).ToList();
        Assert.True(ids.IndexOf("fuyuan") < ids.IndexOf("heihe-road"), string.Join(", ", ids.Take(5)));
        var heihe = then.Single(e => e.Id == "heihe-road");
        Assert.Equal((await fixture.Client.GetGrain<IPortGrain>("heihe-road").GetViewAsKnownOn(Day)).Score, heihe.Score);
        Assert.True(heihe.Score < today.Single(e => e.Id == "heihe-road").Score, $"{heihe.Score} then, as high as today's");

        // Every port of the topology, not only the ones today's ranking kept; in today's ranking's order.
        var topology = await fixture.Service<TopologyCatalog>().CurrentAsync();
        Assert.Equal(topology.Ports.Select(p => p.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(RankingEntry.Ranked(then).Select(e => e.Id), ids);
        Assert.Equal(then.Take(3), await ranking.TopAsKnownOn(3, Day));

        // Provinces as today's are ranked: each its riskiest city, here as known on the day.
        var cities = (await fixture.Client.GetGrain<IRankingGrain>("city").TopAsKnownOn(1000, Day)).ToDictionary(c => c.Id);
        var provinces = await fixture.Client.GetGrain<IRankingGrain>(RankingEntry.ProvinceKind).TopAsKnownOn(1000, Day);
        Assert.Equal(topology.Provinces.Length, provinces.Length);
        Assert.All(provinces.Where(p => p.HighestCity is not null), p => Assert.Equal(cities[p.HighestCity!].Score, p.Score));
        Assert.Equal("province", provinces[0].Kind);
    }

    [Fact]
    public async Task CityRanking_AsKnownOnTheClocksDay_IsTodaysRanking_PlusTheCitiesItHasNotListed()
    {
        // The same views read two ways (kept entries, every city asked as known on today): the same rows in one order.
        // Today's ranking lists the cities something reached (the daily evaluation reaches them all); a day's asks
        // every city of the topology.
        var clock = await fixture.Clock.TodayAsync();
        await IngestAsync($$"""{"id":"past-suifenhe","type":"case","location":"port:suifenhe-road","date":"{{clock:yyyy-MM-dd}}","count":5,"classification":"imported-confirmed","origin":"RU"}""");
        var ranking = fixture.Client.GetGrain<IRankingGrain>("city");

        var today = await ranking.Top(1000);
        var then = await ranking.TopAsKnownOn(1000, clock);

        Assert.Contains(today, e => e.Id == "suifenhe" && e.Score is not null);
        var listed = today.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(today, then.Where(e => listed.Contains(e.Id)));
        Assert.Equal((await fixture.Service<TopologyCatalog>().CurrentAsync()).Cities.Length, then.Length);
    }

    private static string Imported(string id, string port, int count) =>
        $$"""{"id":"{{id}}","type":"case","location":"port:{{port}}","date":"{{Day:yyyy-MM-dd}}","count":{{count}},"classification":"imported-confirmed","origin":"RU"}""";

    private async Task IngestAsync(params string[] lines)
    {
        var result = await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
        Assert.Equal(lines.Length, result.Accepted);
    }
}
