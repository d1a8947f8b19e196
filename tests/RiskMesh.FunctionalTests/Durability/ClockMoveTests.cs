using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Durability;

/// <summary>
/// Raw events a user sent and RiskMesh acknowledged are never dropped because an operator moved the clock (issue 7,
/// item 2): forward to live, a checkpoint, back to 2020, and a restart leave every port with its cases and score.
/// </summary>
public sealed class ClockMoveTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-clockmove-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => RiskMeshHostFixture.DeleteDirectory(_dataDirectory);

    [Fact]
    public async Task Clock_ToLiveCheckpointThenBackTo2020_PortKeepsCasesAndScore_AlsoAfterRestart()
    {
        Directory.CreateDirectory(_dataDirectory);

        // Every fold checkpoints at once, so the checkpoint after the clock moved is not left to a timer.
        string[] args = ["--RiskMesh:Model:CheckpointAfterEvents=1"];
        string key;
        JsonElement before;
        JsonElement back;
        JsonElement historyBefore;
        using (var first = await SiloProcess.StartAsync(_dataDirectory, args))
        {
            key = await RiskMeshHostFixture.ReadAdminKeyAsync(_dataDirectory);
            using var client = first.CreateClient(key);
            await SetClockAsync(client, new { date = "2020-04-20" });
            Assert.Equal(HttpStatusCode.Accepted, (await Post(client, Batch())).StatusCode);
            before = await client.GetJsonAsync("/api/v1/ports/suifenhe-road");
            historyBefore = await client.GetJsonAsync("/api/v1/ports/suifenhe-road/history?from=2020-04-01&to=2020-04-20");

            // Live: a report for today reaches the same port, which folds it and checkpoints with the clock years ahead.
            var live = await SetClockAsync(client, new { mode = "live" });
            var today = live.GetProperty("date").GetString()!;
            var todayReport = Json.Array(new { id = "move-live-traffic", type = "traffic", port = "suifenhe-road", date = today, inbound = 10 });
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/events", new StringContent(todayReport, Encoding.UTF8, "application/json"))).StatusCode);
            Assert.Equal(10, (await client.GetJsonAsync("/api/v1/ports/suifenhe-road")).Metric("inbound14d"));

            await SetClockAsync(client, new { date = "2020-04-20" });
            back = await client.GetJsonAsync("/api/v1/ports/suifenhe-road");
            await first.StopAsync();
        }

        using var second = await SiloProcess.StartAsync(_dataDirectory, args);
        using var again = second.CreateClient(key);
        var restarted = await again.GetJsonAsync("/api/v1/ports/suifenhe-road");
        var historyRestarted = await again.GetJsonAsync("/api/v1/ports/suifenhe-road/history?from=2020-04-01&to=2020-04-20");

        Assert.Equal(20, before.Metric("importedCases14d"));
        Assert.NotEqual(JsonValueKind.Null, before.GetProperty("score").ValueKind);
        foreach (var view in new[] { back, restarted })
        {
            Assert.Equal(20, view.Metric("importedCases14d"));
            Assert.Equal(14 * 500, view.Metric("inbound14d"));
            Assert.Equal(before.GetProperty("score").GetDouble(), view.GetProperty("score").GetDouble());
            Assert.Equal(before.GetProperty("level").GetString(), view.GetProperty("level").GetString());
        }

        Assert.Equal(historyBefore.Canonical(), historyRestarted.Canonical());
    }

    private static async Task<JsonElement> SetClockAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/clock", body);
        response.EnsureSuccessStatusCode();
        return await response.BodyAsync();
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, List<object> batch) =>
        client.PostAsync("/api/v1/events", new StringContent(Json.Array([.. batch]), Encoding.UTF8, "application/json"));

    private static List<object> Batch()
    {
        var today = new DateOnly(2020, 4, 20);
        var events = new List<object>();
        for (var i = 0; i < 14; i++)
        {
            var date = today.AddDays(-i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            events.Add(new { id = $"move-traffic-{date}", type = "traffic", port = "suifenhe-road", date, inbound = 500, origins = new Dictionary<string, int> { ["RU"] = 450 } });
        }

        events.Add(new { id = "move-case-1", type = "case", location = "port:suifenhe-road", date = "2020-04-18", count = 12, classification = "imported-confirmed", origin = "RU" });
        events.Add(new { id = "move-case-2", type = "case", location = "port:suifenhe-road", date = "2020-04-19", count = 8, classification = "imported-asymptomatic", origin = "RU" });
        events.Add(new { id = "move-ru-1", type = "country-cases", country = "RU", date = "2020-04-06", cumulativeCases = 7000 });
        events.Add(new { id = "move-ru-2", type = "country-cases", country = "RU", date = "2020-04-20", cumulativeCases = 47000 });
        return events;
    }
}
