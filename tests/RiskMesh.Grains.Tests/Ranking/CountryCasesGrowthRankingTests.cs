using System.Text;
using Orleans.Core.Internal;
using Orleans.Storage;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Ranking;
using RiskMesh.Grains.Tests.Entities;

namespace RiskMesh.Grains.Tests.Ranking;

/// <summary>
/// A country's ranking entry carries its cases of the last two weeks beside the score's trend (newcomer 19, L16: Russia
/// "falling" while its cases grew 26% a week), and an entry stored before entries carried it is taken anew once, as a
/// host upgraded mid-day would otherwise rank every country without it until the next day. A cluster of its own.
/// </summary>
public sealed class CountryCasesGrowthRankingTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task CountryEntry_CarriesItsLastTwoWeeksOfCases_AndAStoredEntryWithoutThem_IsTakenAnew()
    {
        // Russia: 100 cases a day from 7 to 13 April, 150 a day from 14 to 20 April.
        await IngestTwoWeeksAsync("RU", new DateOnly(2020, 4, 7), 100, 150);

        var ranking = fixture.Client.GetGrain<IRankingGrain>("country");
        var russia = Assert.Single(await ranking.Top(100), r => r.Id == "RU");
        Assert.Equal((1050.0, 700.0), (russia.Cases7d, russia.CasesPrevious7d));
        Assert.Null(russia.CasesThrough);

        // As a version before the field stored it: the same entry without the growth, for today, not stale.
        var storage = fixture.KeyedService<IGrainStorage>(RiskMeshStorage.Name);
        await ranking.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var stored = new GrainState<RankingState>(new RankingState());
        for (var attempt = 0; attempt < 50 && stored.State?.Entries.ContainsKey("RU") != true; attempt++)
        {
            await Task.Delay(100);
            await storage.ReadStateAsync("ranking", ranking.GetGrainId(), stored);
        }

        var state = stored.State ?? throw new InvalidOperationException("the ranking was not stored");
        var record = state.Entries["RU"];
        state.Entries["RU"] = new RankingRecord { Entry = record.Entry with { Cases7d = null, CasesPrevious7d = null }, Day = record.Day };
        await storage.WriteStateAsync("ranking", ranking.GetGrainId(), stored);

        russia = Assert.Single(await ranking.Top(100), r => r.Id == "RU");
        Assert.Equal((1050.0, 700.0), (russia.Cases7d, russia.CasesPrevious7d));
        Assert.All(await fixture.Client.GetGrain<IRankingGrain>("port").Top(100), p => Assert.Null(p.Cases7d));
    }

    [Fact]
    public async Task CountryEntry_LastCaseReportBeforeToday_NamesTheDayItsWeeksEndOn()
    {
        // Mongolia: 10 cases a day from 3 to 9 April, 20 a day from 10 to 16 April, then nothing; the clock is on 20 April
        // (newcomer 22: Myanmar's week to 20 April read as the week to 30 April).
        await IngestTwoWeeksAsync("MN", new DateOnly(2020, 4, 3), 10, 20);

        var mongolia = Assert.Single(await fixture.Client.GetGrain<IRankingGrain>("country").Top(100), r => r.Id == "MN");

        Assert.Equal((140.0, 70.0, new DateOnly(2020, 4, 16)), (mongolia.Cases7d, mongolia.CasesPrevious7d, mongolia.CasesThrough));
    }

    // A country's new cases on 14 days from the first: one figure a day the first week, another the second.
    private async Task IngestTwoWeeksAsync(string country, DateOnly first, int firstWeek, int secondWeek)
    {
        var events = Enumerable.Range(0, 14).Select(i =>
            $$"""{"id":"growth-{{country}}-{{i}}","type":"country-cases","country":"{{country}}","date":"{{first.AddDays(i):yyyy-MM-dd}}","newCases":{{(i < 7 ? firstWeek : secondWeek)}},"source":"growth-test"}""");
        var accepted = await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', events)), IngestFormat.NdJson);
        Assert.Equal(14, accepted.Accepted);
    }
}
