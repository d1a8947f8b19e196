using System.Globalization;
using System.Net;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// <c>GET /api/v1/rankings?kind=province</c> (newcomer 23a L1: provinces ranked only in the console): each province is
/// its riskiest city, with that city's score, band, trend and data quality and its id in <c>highestCity</c>, ranked as
/// every ranking is; a plural kind is pointed to its singular. On a host of its own, so no other test moves the order.
/// </summary>
public sealed class ProvinceRankingTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2020, 4, 20);
    private readonly RiskMeshHostFixture _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task ProvinceRanking_EachProvinceIsItsRiskiestCity_RankedAsTheCityRankingIs()
    {
        await _host.SetClockAsync("2020-04-20");
        // Heihe (Heilongjiang) with local cases every other day, and Russia's cases rising, so ports facing it are scored.
        var events = new List<object>();
        for (var i = 0; i < 29; i++)
        {
            var date = Format(Today.AddDays(i - 28));
            events.Add(new { id = $"pr-ru-{date}", type = "country-cases", country = "RU", date, cumulativeCases = (long)(1000 * Math.Exp(0.2 * i)), source = "rospotrebnadzor" });
        }

        for (var i = 0; i < 7; i++)
        {
            var date = Format(Today.AddDays(-2 * i));
            events.Add(new { id = $"pr-heihe-local-{date}", type = "case", location = "city:heihe", date, count = 40, classification = "local-confirmed" });
        }

        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostEventsAsync(Json.Array([.. events]))).StatusCode);

        var topology = await _host.Admin.GetJsonAsync("/api/v1/topology");
        var provinceOf = topology.GetProperty("cities").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("province").GetString()!);
        var provinces = topology.GetProperty("provinces").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();

        // The city ranking hears from the cities after they apply: read both once it has settled (read alike twice).
        List<JsonElement> cities = [], ranked = [];
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var before = await _host.Admin.GetJsonAsync("/api/v1/rankings?kind=city&limit=1000");
            ranked = [.. (await _host.Admin.GetJsonAsync("/api/v1/rankings?kind=province&limit=1000")).EnumerateArray()];
            var after = await _host.Admin.GetJsonAsync("/api/v1/rankings?kind=city&limit=1000");
            cities = [.. after.EnumerateArray()];
            if (cities.Count > 0 && cities[0].GetProperty("id").GetString() == "heihe" && before.GetRawText() == after.GetRawText())
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Equal("heihe", cities[0].GetProperty("id").GetString());
        Assert.Equal(provinces.Order(StringComparer.Ordinal), ranked.Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));

        // Heilongjiang first: Heihe's own figures, and its id.
        var first = ranked[0];
        Assert.Equal("heilongjiang", first.GetProperty("id").GetString());
        Assert.Equal("province", first.GetProperty("kind").GetString());
        Assert.Equal("heihe", first.GetProperty("highestCity").GetString());
        foreach (var field in new[] { "score", "level", "trend", "dataQuality" })
        {
            Assert.Equal(cities[0].GetProperty(field).GetRawText(), first.GetProperty(field).GetRawText());
        }

        // Every province: the highest score of its cities (ties to the first id), or insufficient data without one.
        foreach (var row in ranked)
        {
            var id = row.GetProperty("id").GetString()!;
            var riskiest = cities
                .Where(c => provinceOf[c.GetProperty("id").GetString()!] == id && c.GetProperty("score").ValueKind == JsonValueKind.Number)
                .OrderByDescending(c => c.GetProperty("score").GetDouble())
                .ThenBy(c => c.GetProperty("id").GetString(), StringComparer.Ordinal)
                .FirstOrDefault();
            if (riskiest.ValueKind == JsonValueKind.Undefined)
            {
                Assert.Equal(JsonValueKind.Null, row.GetProperty("score").ValueKind);
                Assert.Equal("insufficient-data", row.GetProperty("level").GetString());
                Assert.False(row.TryGetProperty("highestCity", out _), id);
            }
            else
            {
                Assert.Equal(riskiest.GetProperty("id").GetString(), row.GetProperty("highestCity").GetString());
                Assert.Equal(riskiest.GetProperty("score").GetDouble(), row.GetProperty("score").GetDouble());
                Assert.Equal(riskiest.GetProperty("level").GetString(), row.GetProperty("level").GetString());
            }
        }

        // Ranked as every ranking is: scored first, higher score first, ties by id.
        var order = ranked.Select(r => (Scored: r.GetProperty("score").ValueKind == JsonValueKind.Number, Score: r.GetProperty("score").ValueKind == JsonValueKind.Number ? r.GetProperty("score").GetDouble() : 0, Id: r.GetProperty("id").GetString()!)).ToList();
        Assert.Equal(order.OrderByDescending(o => o.Scored).ThenByDescending(o => o.Score).ThenBy(o => o.Id, StringComparer.Ordinal), order);
        Assert.Contains(order, o => o.Scored);

        // limit takes the first rows.
        var two = (await _host.Admin.GetJsonAsync("/api/v1/rankings?kind=province&limit=2")).EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(ranked.Take(2).Select(r => r.GetProperty("id").GetString()), two);
    }

    [Theory]
    [InlineData("provinces", "'kind' must be country, port, city or province, got 'provinces'; did you mean 'province'?")]
    [InlineData("ports", "'kind' must be country, port, city or province, got 'ports'; did you mean 'port'?")]
    [InlineData("Cities", "'kind' must be country, port, city or province, got 'Cities'; did you mean 'city'?")]
    [InlineData("provnce", "'kind' must be country, port, city or province, got 'provnce'; did you mean 'province'?")]
    public async Task Rankings_APluralOrMisspeltKind_IsRefused_NamingTheKindMeant(string kind, string detail)
    {
        var response = await _host.Admin.GetAsync($"/api/v1/rankings?kind={kind}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal("Invalid kind", body.GetProperty("title").GetString());
        Assert.Equal(detail, body.GetProperty("detail").GetString());
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
