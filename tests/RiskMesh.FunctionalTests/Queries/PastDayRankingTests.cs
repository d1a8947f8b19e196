using System.Net;
using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// <c>GET /api/v1/rankings?asKnownOn=</c> through the real host (newcomer 24b, M2: a 400 "Rankings are today's", so a
/// review of "the riskiest crossings on 19 April" meant every port's history sorted by hand). A host of its own: its
/// clock moves and its data sets the order.
/// </summary>
public sealed class PastDayRankingTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    [Fact]
    public async Task Rankings_AsKnownOnAPastDay_RankEveryPortAsKnownThen_ALaterReportLeftOut()
    {
        await host.SetClockAsync("2020-04-20");
        var events = Enumerable.Range(0, 29).Select(i =>
        {
            var date = $"{new DateOnly(2020, 3, 23).AddDays(i):yyyy-MM-dd}";
            return (object)new { id = $"pr-ru-{date}", type = "country-cases", country = "RU", date, cumulativeCases = (long)(1000 * Math.Exp(0.2 * i)), source = "pr" };
        }).Append(new { id = "pr-fuyuan", type = "case", location = "port:fuyuan", date = "2020-04-20", count = 3, classification = "imported-confirmed", origin = "RU" });
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(Json.Array([.. events]))).StatusCode);
        // Known on 21 April only: many cases at Heihe on the 20th, reported a day late.
        await host.SetClockAsync("2020-04-21");
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(Json.Array(
            new { id = "pr-heihe", type = "case", location = "port:heihe-road", date = "2020-04-20", count = 40, classification = "imported-confirmed", origin = "RU" }))).StatusCode);

        var today = Ids(await host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=200"));
        var then = await host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=200&asKnownOn=2020-04-20");
        var top = await host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=2&asKnownOn=2020-04-20");

        Assert.Equal("heihe-road", today[0]);
        var ids = Ids(then);
        Assert.True(ids.IndexOf("fuyuan") < ids.IndexOf("heihe-road"), string.Join(", ", ids.Take(5)));
        var heihe = then.EnumerateArray().Single(r => r.GetProperty("id").GetString() == "heihe-road");
        var heiheThen = await host.Admin.GetJsonAsync("/api/v1/ports/heihe-road?asKnownOn=2020-04-20");
        Assert.Equal(heiheThen.GetProperty("score").GetDouble(), heihe.GetProperty("score").GetDouble());
        Assert.Equal(ids.Take(2), Ids(top));
        // Every port of the topology, as the console lists them.
        var topology = await host.Admin.GetJsonAsync("/api/v1/topology");
        Assert.Equal(topology.GetProperty("ports").GetArrayLength(), ids.Count);
    }

    [Theory]
    [InlineData("20/04/2020", "'asKnownOn' must be an ISO date like 2020-04-10, got '20/04/2020'.")]
    [InlineData("2020-02-30", "'asKnownOn': 2020-02-30 is not a real date.")]
    [InlineData("2030-04-20", "'asKnownOn' (2030-04-20) is after the clock's day (")]
    [InlineData("2002-04-20", "'asKnownOn' (2002-04-20) is older than the history RiskMesh keeps: 731 days before ")]
    public async Task Rankings_AsKnownOnADayItCannotAnswer_400NamingTheFormOrTheRange(string day, string detail)
    {
        await host.SetClockAsync("2020-04-21");

        using var response = await host.Admin.GetAsync($"/api/v1/rankings?kind=city&asKnownOn={day}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(detail, (await response.BodyAsync()).Text("detail"), StringComparison.Ordinal);
    }

    private static List<string> Ids(JsonElement rows) => [.. rows.EnumerateArray().Select(r => r.GetProperty("id").GetString()!)];
}
