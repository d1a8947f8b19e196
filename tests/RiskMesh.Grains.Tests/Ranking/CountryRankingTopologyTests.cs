using System.Text;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Tests.Entities;

namespace RiskMesh.Grains.Tests.Ranking;

/// <summary>
/// The country ranking lists every country of the topology, insufficient data until a report reaches it, as the port
/// ranking lists every port, and a country outside the topology once an event names it; the batch naming that one is
/// accepted with a warning naming the topology's countries (newcomer 19, M5: 3 of 15 neighbours listed, and FR, named
/// by one intel event, accepted in silence). A cluster of its own (a class fixture): no other test's events rank here.
/// </summary>
public sealed class CountryRankingTopologyTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task CountryRanking_ListsEveryTopologyCountry_AndOneOutsideItOnceNamed_WhoseBatchIsWarned()
    {
        var result = await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(
            Encoding.UTF8.GetBytes(string.Join('\n',
                """{"id":"cr-ru","type":"country-cases","country":"RU","date":"2020-04-20","newCases":50,"source":"t"}""",
                """{"id":"cr-fr","type":"intel","subject":"country:FR","date":"2020-04-20","severity":3,"confidence":0.5,"category":"c","summary":"s","source":"t"}""")),
            IngestFormat.NdJson);

        Assert.Equal(2, result.Accepted);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(("FR", 1, 1, "cr-fr"), (warning.Country, warning.Events, warning.Index, warning.Id));
        Assert.Contains("its countries: AF, BT, IN, KG, KP, KZ, LA, MM, MN, NP, PK, RU, TH, TJ, VN", warning.Message, StringComparison.Ordinal);

        var topology = await fixture.Service<TopologyCatalog>().CurrentAsync();
        var rows = await fixture.Client.GetGrain<IRankingGrain>("country").Top(100);

        var expected = topology.Countries.Select(c => c.Code).Append("FR").Order(StringComparer.Ordinal);
        Assert.Equal(expected, rows.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(rows.Where(r => r.Id is not ("RU" or "FR")), r => Assert.Equal("insufficient-data", r.Level));
    }
}
