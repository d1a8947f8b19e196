using System.Globalization;
using System.Net;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>Rankings on a host of its own, so no other test's data moves the order.</summary>
public sealed class RankingTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2020, 4, 20);
    private readonly RiskMeshHostFixture _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Rankings_PortWithImportedCasesFromRisingNeighbour_RanksAboveQuietPortsAndExplainsWhy()
    {
        await _host.SetClockAsync("2020-04-20");
        var events = new List<object>();
        for (var i = 0; i < 29; i++)
        {
            var date = Format(Today.AddDays(i - 28));
            events.Add(new { id = $"ru-{date}", type = "country-cases", country = "RU", date, cumulativeCases = (long)(1000 * Math.Exp(0.2 * i)), source = "rospotrebnadzor" });
        }

        for (var i = 0; i < 14; i++)
        {
            var date = Format(Today.AddDays(-i));
            events.Add(new { id = $"heihe-traffic-{date}", type = "traffic", port = "heihe-road", date, inbound = 2000, origins = new Dictionary<string, int> { ["RU"] = 1900 } });
            events.Add(new { id = $"fuyuan-traffic-{date}", type = "traffic", port = "fuyuan", date, inbound = 40, origins = new Dictionary<string, int> { ["RU"] = 5 } });
            events.Add(new { id = $"jiayin-traffic-{date}", type = "traffic", port = "jiayin", date, inbound = 30, origins = new Dictionary<string, int> { ["RU"] = 3 } });
        }

        for (var i = 0; i < 5; i++)
        {
            var date = Format(Today.AddDays(-2 * i));
            events.Add(new { id = $"heihe-imported-{date}", type = "case", location = "port:heihe-road", date, count = 6, classification = "imported-confirmed", origin = "RU" });
        }

        var response = await _host.PostEventsAsync(Json.Array([.. events]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var ranking = await SettledRankingAsync();
        var ids = ranking.Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.True(ids.IndexOf("heihe-road") < ids.IndexOf("fuyuan"), string.Join(", ", ids));
        Assert.True(ids.IndexOf("heihe-road") < ids.IndexOf("jiayin"), string.Join(", ", ids));
        var score = (string id) => ranking.Single(e => e.GetProperty("id").GetString() == id).GetProperty("score").GetDouble();
        Assert.True(score("heihe-road") > score("fuyuan"));

        var view = await _host.Admin.GetJsonAsync("/api/v1/ports/heihe-road");
        var explanations = view.GetProperty("components").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("explanation").GetString()!);
        Assert.Contains("30 imported cases", explanations["importedCases"], StringComparison.Ordinal);
        // The origin by name, as people know it (eighth session: "from RU (30)" before); the code stays in the event.
        Assert.Contains(", from Russia (30).", explanations["importedCases"], StringComparison.Ordinal);
        Assert.Equal(30, view.Metric("importedCases14d"));
        var country = await _host.Admin.GetJsonAsync("/api/v1/countries/RU");
        Assert.True(country.Metric("growth7d") > 1, $"RU growth7d {country.Metric("growth7d")}");
    }

    [Fact]
    public async Task Rankings_EachRowSaysWhatItsScoreRestsOnBesidesReports_EmptyForAPortThatReports()
    {
        // Newcomer 17 F3: ports that reported nothing ranked above one reporting its traffic and testing, and the
        // ranking could not tell them apart. heihe-road reports its traffic and testing; fuyuan reports nothing.
        await _host.SetClockAsync("2020-04-20");
        var events = new List<object>();
        for (var i = 0; i < 29; i++)
        {
            var date = Format(Today.AddDays(i - 28));
            events.Add(new { id = $"dq-ru-{date}", type = "country-cases", country = "RU", date, cumulativeCases = (long)(1000 * Math.Exp(0.2 * i)), source = "rospotrebnadzor" });
        }

        for (var i = 0; i < 14; i++)
        {
            var date = Format(Today.AddDays(-i));
            events.Add(new { id = $"dq-heihe-traffic-{date}", type = "traffic", port = "heihe-road", date, inbound = 2000, origins = new Dictionary<string, int> { ["RU"] = 1900 } });
        }

        events.Add(new { id = "dq-heihe-capacity", type = "capacity", subject = "port:heihe-road", date = Format(Today.AddDays(-3)), testsPerDay = 2500 });
        var response = await _host.PostEventsAsync(Json.Array([.. events]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        Dictionary<string, string[]> quality = [];
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var ranking = await _host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=1000");
            quality = ranking.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("dataQuality").EnumerateArray().Select(c => c.GetString()!).ToArray());
            if (quality.TryGetValue("heihe-road", out var heihe) && heihe.Length == 0 && quality.ContainsKey("fuyuan"))
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Empty(quality["heihe-road"]);
        Assert.Equal(["no-recent-report", "estimated", "capacity-not-reported"], quality["fuyuan"]);

        // The codes are the view's own: its flags, and its assumed capacity gap.
        var fuyuan = await _host.Admin.GetJsonAsync("/api/v1/ports/fuyuan");
        Assert.Equal(["no-recent-report", "estimated"], fuyuan.GetProperty("dataQuality").GetProperty("flags").EnumerateArray().Select(f => f.GetString()!));
        Assert.Contains(fuyuan.GetProperty("components").EnumerateArray(), c => c.GetProperty("name").GetString() == "capacityGap" && c.TryGetProperty("assumed", out var a) && a.GetBoolean());
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<List<JsonElement>> SettledRankingAsync()
    {
        // The ranking hears from the ports after they apply, so it may lag the acknowledgement; wait until it has settled.
        List<JsonElement> entries = [];
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var ranking = await _host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=1000");
            entries = [.. ranking.EnumerateArray()];
            var ids = entries.Select(e => e.GetProperty("id").GetString()).ToList();
            int Rank(string id) => ids.IndexOf(id) is var i and >= 0 ? i : int.MaxValue;
            if (Rank("heihe-road") < Rank("fuyuan") && Rank("heihe-road") < Rank("jiayin") && Rank("fuyuan") < int.MaxValue && Rank("jiayin") < int.MaxValue)
            {
                return entries;
            }

            await Task.Delay(500);
        }

        return entries;
    }
}
