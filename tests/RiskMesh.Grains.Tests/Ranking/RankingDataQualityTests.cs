using System.Text;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Model;
using RiskMesh.Grains.Tests.Entities;
using RiskMesh.Grains.Topologies;

namespace RiskMesh.Grains.Tests.Ranking;

/// <summary>
/// A ranking row's data quality says what the entity's own view says (review 17 M1: a stale city's row read "stale,
/// no-recent-report, capacity-not-reported" beside a view flagged "stale" alone): the view's flags among stale,
/// no-recent-report and estimated, plus the ranking's codes for assumed components, and for no score "stale" alone.
/// </summary>
public sealed class RankingDataQualityTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private static readonly string[] ViewCodes = [DataQualityFlags.Stale, DataQualityFlags.NoRecentReport, DataQualityFlags.Estimated];

    [Fact]
    public async Task RowCodes_AgreeWithTheViewsFlags_ForEveryCountryPortAndCity()
    {
        // Several states at 2020-04-20: RU reporting (its facing ports scored from exposure, estimated), KZ paused since
        // 04-10 (estimated), MN and the southern countries never reporting (stale, their ports and cities too);
        // heihe-road reporting traffic but no testing (capacity assumed), suifenhe-road both; hekou reporting its own
        // cases without capacity, suifenhe its cases and capacity.
        await IngestAsync(
            """{"id":"dq-ru-1","type":"country-cases","country":"RU","date":"2020-04-06","cumulativeCases":6000,"source":"t"}""",
            """{"id":"dq-ru-2","type":"country-cases","country":"RU","date":"2020-04-20","cumulativeCases":42000,"source":"t"}""",
            """{"id":"dq-kz-1","type":"country-cases","country":"KZ","date":"2020-03-27","cumulativeCases":100,"source":"t"}""",
            """{"id":"dq-kz-2","type":"country-cases","country":"KZ","date":"2020-04-10","cumulativeCases":900,"source":"t"}""",
            """{"id":"dq-t1","type":"traffic","port":"heihe-road","date":"2020-04-19","inbound":2000,"origins":{"RU":1900}}""",
            """{"id":"dq-t2","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":1000,"origins":{"RU":1000}}""",
            """{"id":"dq-k2","type":"capacity","subject":"port:suifenhe-road","date":"2020-04-19","testsPerDay":1200,"source":"t"}""",
            """{"id":"dq-c1","type":"case","location":"city:hekou","date":"2020-04-19","count":4,"classification":"local-confirmed","source":"t"}""",
            """{"id":"dq-c2","type":"case","location":"city:suifenhe","date":"2020-04-19","count":2,"classification":"local-confirmed","source":"t"}""",
            """{"id":"dq-k3","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","labs":3,"technicians":40,"isolationBeds":600,"source":"t"}""");
        var topology = await fixture.Service<TopologyCatalog>().CurrentAsync();
        var views = new List<RiskView>();
        foreach (var country in topology.Countries)
        {
            views.Add(await fixture.Client.GetGrain<ICountryGrain>(country.Code).GetView());
        }

        foreach (var port in topology.Ports)
        {
            views.Add(await fixture.Client.GetGrain<IPortGrain>(port.Id).GetView());
        }

        foreach (var city in topology.Cities)
        {
            views.Add(await fixture.Client.GetGrain<ICityGrain>(city.Id).GetView());
        }

        var rows = views.ToDictionary(v => v, v => RankingDataQualities.Codes(RankingDataQualities.Of(v)));
        foreach (var (view, codes) in rows)
        {
            var what = $"{view.Kind} {view.Id} (score {view.Score}, flags [{string.Join(", ", view.DataQuality.Flags)}]): row [{string.Join(", ", codes)}]";
            if (view.Score is null)
            {
                Assert.True(view.DataQuality.Stale ? codes.SequenceEqual([DataQualityFlags.Stale]) : codes.IsEmpty, what);
                continue;
            }

            Assert.True(codes.Where(ViewCodes.Contains).SequenceEqual(view.DataQuality.Flags.Where(ViewCodes.Contains)), what);
            Assert.True(codes.Contains(NoticeDataQuality.CapacityNotReported) == view.Components.Any(c => c.Assumed && c.Name == "capacityGap"), what);
            Assert.True(codes.Contains("assumed") == view.Components.Any(c => c.Assumed && c.Name != "capacityGap"), what);
            Assert.True(codes.Length == codes.Distinct().Count() && codes.All(c => ViewCodes.Contains(c) || c is NoticeDataQuality.CapacityNotReported or "assumed"), what);
        }

        // The states above were reached, so the comparison covered each: no score; scored from upstream data, on
        // estimates, with an assumed capacity; on the entity's own reports with an assumed capacity; on reports alone.
        Assert.Contains(rows, r => r.Key.Kind == "city" && r.Key.Score is null && r.Key.DataQuality is { Stale: true, NoRecentReport: true });
        Assert.Contains(rows, r => r.Key.Kind == "country" && r.Key.Score is null);
        Assert.Contains(rows, r => r.Key.Kind == "port" && r.Key.Score is not null && r.Value.SequenceEqual([DataQualityFlags.NoRecentReport, DataQualityFlags.Estimated, NoticeDataQuality.CapacityNotReported]));
        Assert.Contains(rows, r => r.Key.Kind == "city" && r.Key.Score is not null && r.Value.Contains(DataQualityFlags.NoRecentReport));
        Assert.Contains(rows, r => r.Key.Kind == "country" && r.Key.Score is not null && r.Value.SequenceEqual([DataQualityFlags.Estimated]));
        Assert.Contains(rows, r => r.Key.Id == "heihe-road" && r.Value.SequenceEqual([NoticeDataQuality.CapacityNotReported]));
        Assert.Contains(rows, r => r.Key.Id == "hekou" && r.Key.Score is not null && r.Value.SequenceEqual([NoticeDataQuality.CapacityNotReported]));
        Assert.Contains(rows, r => r.Key.Score is not null && r.Value.IsEmpty);
    }

    [Fact]
    public void AnEntryStoredWithEveryBit_ReadsAsANewOne()
    {
        // A silo of the version before stored "stale, no-recent-report, capacity-not-reported" for a city without a score.
        const RankingDataQuality Old = RankingDataQuality.Stale | RankingDataQuality.NoRecentReport | RankingDataQuality.CapacityNotReported;

        Assert.Equal([DataQualityFlags.Stale], RankingDataQualities.Codes(RankingDataQualities.Settled(Old, scored: false)).AsEnumerable());
        Assert.Equal(
            [DataQualityFlags.NoRecentReport, DataQualityFlags.Estimated, NoticeDataQuality.CapacityNotReported],
            RankingDataQualities.Codes(RankingDataQualities.Settled(RankingDataQuality.NoRecentReport | RankingDataQuality.Estimated | RankingDataQuality.CapacityNotReported, scored: true)).AsEnumerable());
    }

    private async Task IngestAsync(params string[] lines)
    {
        var result = await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
        Assert.Equal(lines.Length, result.Accepted);
    }
}
