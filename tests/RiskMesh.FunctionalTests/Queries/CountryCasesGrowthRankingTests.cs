using System.Globalization;
using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// A country's ranking row carries its cases of the last week and the week before beside the score's trend: Russia read "falling" in
/// the April 2020 replay while its cases still grew 26% a week, because its score falls when growth slows (newcomer 19,
/// L16). Ports and cities carry none.
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class CountryCasesGrowthRankingTests(RiskMeshHostFixture host)
{
    [Fact]
    public async Task GetRankings_Country_CarriesItsCasesOfTheLastWeekAndTheWeekBefore_PortsNone()
    {
        await host.SetClockAsync("2020-04-20");
        // Iceland, which no other test reports: 100 cases a day from 7 to 13 April, 126 a day from 14 to 20 April.
        var run = Guid.NewGuid().ToString("N");
        var events = new List<string>();
        for (var day = new DateOnly(2020, 4, 7); day <= new DateOnly(2020, 4, 20); day = day.AddDays(1))
        {
            var cases = day < new DateOnly(2020, 4, 14) ? 100 : 126;
            events.Add(string.Create(CultureInfo.InvariantCulture, $$"""{"id":"is-{{run}}-{{day:yyyyMMdd}}","type":"country-cases","country":"IS","date":"{{day:yyyy-MM-dd}}","newCases":{{cases}},"source":"growth-test-{{run}}"}"""));
        }

        // And a port with a report of its own, so the port ranking has a row to look at.
        events.Add($$"""{"id":"port-{{run}}","type":"traffic","port":"suifenhe-road","date":"2020-04-20","inbound":1000,"origins":{"RU":1000},"source":"growth-test-{{run}}"}""");
        using var posted = await host.PostEventsAsync("[" + string.Join(",", events) + "]");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var countries = (await host.Admin.GetJsonAsync("/api/v1/rankings?kind=country&limit=1000")).EnumerateArray().ToList();
        var iceland = Assert.Single(countries, r => r.GetProperty("id").GetString() == "IS");
        Assert.Equal((882.0, 700.0), (iceland.GetProperty("cases7d").GetDouble(), iceland.GetProperty("casesPrevious7d").GetDouble()));
        Assert.False(iceland.TryGetProperty("casesThrough", out _), iceland.ToString());
        var metrics = (await host.Admin.GetJsonAsync("/api/v1/countries/IS")).GetProperty("metrics");
        Assert.Equal(882.0, metrics.GetProperty("cases7d").GetDouble());
        Assert.Equal(1582.0, metrics.GetProperty("cases14d").GetDouble());

        var ports = (await host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=1000")).EnumerateArray().ToList();
        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.False(p.TryGetProperty("cases7d", out _) || p.TryGetProperty("casesPrevious7d", out _), p.ToString()));
    }

    [Fact]
    public async Task GetRankings_CountryWhoseLastCaseReportIsOlderThanToday_NamesTheDayItsWeeksEndOn()
    {
        await host.SetClockAsync("2020-04-20");
        // Greenland, which no other test reports: a case a day from 3 to 16 April, nothing since (newcomer 22: Myanmar's
        // week to 20 April read as the week to 30 April).
        var run = Guid.NewGuid().ToString("N");
        var events = new List<string>();
        for (var day = new DateOnly(2020, 4, 3); day <= new DateOnly(2020, 4, 16); day = day.AddDays(1))
        {
            events.Add(string.Create(CultureInfo.InvariantCulture, $$"""{"id":"gl-{{run}}-{{day:yyyyMMdd}}","type":"country-cases","country":"GL","date":"{{day:yyyy-MM-dd}}","newCases":1,"source":"paused-{{run}}"}"""));
        }

        using var posted = await host.PostEventsAsync("[" + string.Join(",", events) + "]");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var countries = (await host.Admin.GetJsonAsync("/api/v1/rankings?kind=country&limit=1000")).EnumerateArray().ToList();
        var greenland = Assert.Single(countries, r => r.GetProperty("id").GetString() == "GL");
        Assert.Equal((7.0, 7.0, "2020-04-16"), (greenland.GetProperty("cases7d").GetDouble(), greenland.GetProperty("casesPrevious7d").GetDouble(), greenland.GetProperty("casesThrough").GetString()));
    }
}
