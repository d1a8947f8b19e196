using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Assistance;

/// <summary>
/// Assistance agrees with the response level in force (newcomer try-out 4): while a city's plan stands at level 4 it
/// asks for a national expert team, and the province and the nation said "keep monitoring: no assistance needed" as
/// soon as the score left the very-high band. On a host of this class's own, so no other test's plan moves the ranking.
/// </summary>
public sealed class AssistanceResponseLevelTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    private const string Today = "2020-04-20";

    [Fact]
    public async Task CityAtResponseLevel4BelowTheVeryHighBand_ProvinceHistoryAndNationSendTheTeamItsPlanAsksFor()
    {
        await host.SetClockAsync(Today);
        await host.PostNdjsonAsync(DongxingEvents());
        var before = await CityOfAsync("/api/v1/provinces/guangxi");
        Assert.NotEqual("send", before.Text("group"));
        Assert.DoesNotContain(Actions(before), a => a.StartsWith("send a national expert team", StringComparison.Ordinal));

        // A plan whose level 4 today's score already crosses: the city stands at level 4 at once, its band lower.
        await host.PutPlanAsync("dongxing", EscalationApi.LowPlan);
        var view = await host.Admin.GetJsonAsync("/api/v1/cities/dongxing");
        Assert.Equal(4, view.GetProperty("response").GetProperty("level").GetInt32());
        Assert.NotEqual("very-high", view.Text("level"));

        var city = await CityOfAsync("/api/v1/provinces/guangxi");
        Assert.Equal("send", city.Text("group"));
        Assert.Equal(1, city.GetProperty("rank").GetInt32());
        var team = city.GetProperty("recommendations").EnumerateArray().Single(a => a.Text("action") == "send a national expert team");
        Assert.Equal("national", team.Text("scope"));
        Assert.StartsWith($"Response level 4 in force since {Today}: the city's plan asks for a national expert team (score ", team.Text("reason"), StringComparison.Ordinal);
        Assert.Equal(before.GetProperty("need").GetDouble(), city.GetProperty("need").GetDouble());

        // The province's point of today ranks as its view does, and so does the nation.
        var point = (await host.Admin.GetJsonAsync($"/api/v1/provinces/guangxi/history?from={Today}&to={Today}")).EnumerateArray().Single();
        var ranked = (await host.Admin.GetJsonAsync("/api/v1/provinces/guangxi")).GetProperty("cities").EnumerateArray().Select(c => c.Text("cityId")).ToList();
        Assert.Equal(ranked, point.GetProperty("cities").EnumerateArray().Select(c => c.Text("cityId")).ToList());
        var nation = (await host.Admin.GetJsonAsync("/api/v1/assistance?limit=3")).EnumerateArray().First();
        Assert.Equal("dongxing", nation.Text("cityId"));
        Assert.Equal("send", nation.Text("group"));
    }

    private async Task<JsonElement> CityOfAsync(string path) =>
        (await host.Admin.GetJsonAsync(path)).GetProperty("cities").EnumerateArray().Single(c => c.Text("cityId") == "dongxing");

    private static List<string> Actions(JsonElement city) => [.. city.GetProperty("recommendations").EnumerateArray().Select(a => a.Text("action")!)];

    // Dongxing well equipped, a few local cases and steady traffic: scored, nothing short.
    private static IEnumerable<string> DongxingEvents()
    {
        yield return JsonSerializer.Serialize(new { id = "rl-dx-capacity", type = "capacity", subject = "city:dongxing", date = "2020-04-19", labs = 4, technicians = 120, isolationBeds = 400 });
        yield return JsonSerializer.Serialize(new { id = "rl-dx-local", type = "case", location = "city:dongxing", date = "2020-04-19", count = 2, classification = "local-confirmed" });
        for (var day = 14; day <= 20; day++)
        {
            yield return JsonSerializer.Serialize(new { id = $"rl-dx-traffic-{day}", type = "traffic", port = "dongxing", date = $"2020-04-{day}", inbound = 500 });
        }
    }
}
