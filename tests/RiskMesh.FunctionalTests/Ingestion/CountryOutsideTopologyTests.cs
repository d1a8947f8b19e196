using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

/// <summary>
/// An event naming a country the topology does not hold is accepted (any ISO code is scored) with a warning in the 202
/// naming the topology's countries, so a typo (FR for RU) is seen; the country ranking lists every topology country,
/// insufficient data until reported, not only those events named (newcomer 19, M5).
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class CountryOutsideTopologyTests(RiskMeshHostFixture host)
{
    [Fact]
    public async Task PostEvents_IntelOnACountryOutsideTheTopology_AcceptedWithAWarningNamingTheTopologysCountries()
    {
        await host.SetClockAsync("2020-04-20");
        var id = "fr-" + Guid.NewGuid().ToString("N");

        using var response = await host.PostEventsAsync($$"""[{"id":"{{id}}","type":"intel","subject":"country:FR","date":"2020-04-20","severity":3,"confidence":0.5,"category":"outbreak","summary":"typo for RU"}]""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.BodyAsync();
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        var warning = Assert.Single(answer.GetProperty("warnings").EnumerateArray().ToList());
        Assert.Equal("FR", warning.GetProperty("country").GetString());
        Assert.Equal(0, warning.GetProperty("index").GetInt32());
        Assert.Equal(id, warning.GetProperty("id").GetString());
        Assert.StartsWith("country 'FR' is not in the topology (its countries: AF, BT, IN, KG, KP, KZ, LA, MM, MN, NP, PK, RU, TH, TJ, VN)", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_OnlyTopologyCountries_AnswersNoWarnings()
    {
        await host.SetClockAsync("2020-04-20");

        using var response = await host.PostEventsAsync($$"""[{"id":"ru-{{Guid.NewGuid():N}}","type":"intel","subject":"country:RU","date":"2020-04-20","severity":2,"confidence":0.5,"category":"c","summary":"s"}]""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty((await response.BodyAsync()).GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task GetRankings_Countries_ListsEveryTopologyCountry()
    {
        await host.SetClockAsync("2020-04-20");

        var rows = (await host.Admin.GetJsonAsync("/api/v1/rankings?kind=country&limit=100")).EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();

        Assert.All(["AF", "BT", "IN", "KG", "KP", "KZ", "LA", "MM", "MN", "NP", "PK", "RU", "TH", "TJ", "VN"], code => Assert.Contains(code, rows));
    }
}
