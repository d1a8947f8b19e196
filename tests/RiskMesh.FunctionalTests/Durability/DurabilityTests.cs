using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Durability;

public sealed class DurabilityTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-durability-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => RiskMeshHostFixture.DeleteDirectory(_dataDirectory);

    [Fact]
    public async Task Ingest_ThenKill_AcknowledgedEventsSurviveAndResendIsAllDuplicates()
    {
        Directory.CreateDirectory(_dataDirectory);
        var batch = Batch();
        string key;
        using (var first = await SiloProcess.StartAsync(_dataDirectory))
        {
            key = await RiskMeshHostFixture.ReadAdminKeyAsync(_dataDirectory);
            using var client = first.CreateClient(key);
            (await client.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
            var response = await Post(client, batch);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal(batch.Count, (await response.BodyAsync()).GetProperty("accepted").GetInt32());
            await first.KillAsync();
        }

        using var second = await SiloProcess.StartAsync(_dataDirectory);
        using var again = second.CreateClient(key);
        var port = await again.GetJsonAsync("/api/v1/ports/suifenhe-road");
        var country = await again.GetJsonAsync("/api/v1/countries/KZ");
        var city = await again.GetJsonAsync("/api/v1/cities/suifenhe");
        var resend = await Post(again, batch);

        Assert.Equal(20, port.Metric("importedCases14d"));
        Assert.Equal(14 * 500, port.Metric("inbound14d"));
        Assert.Equal(Math.Round(2600 / 18776707.0 * 100_000, 4), country.Metric("incidence14dPer100k")!.Value, 4);
        Assert.Equal(35, city.Metric("isolationBeds"));
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        var body = await resend.BodyAsync();
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        Assert.Equal(batch.Count, body.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task Restart_AfterCleanStop_KeepsReplayClockDateAndCheckpointedState()
    {
        Directory.CreateDirectory(_dataDirectory);
        string key;
        using (var first = await SiloProcess.StartAsync(_dataDirectory))
        {
            key = await RiskMeshHostFixture.ReadAdminKeyAsync(_dataDirectory);
            using var client = first.CreateClient(key);
            (await client.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
            Assert.Equal(HttpStatusCode.Accepted, (await Post(client, Batch())).StatusCode);

            // A clean stop deactivates every grain, which writes its state: the restart must read it back.
            await first.StopAsync();
        }

        using var second = await SiloProcess.StartAsync(_dataDirectory);
        using var again = second.CreateClient(key);
        var clock = await again.GetJsonAsync("/api/v1/clock");
        var port = await again.GetJsonAsync("/api/v1/ports/suifenhe-road");
        var city = await again.GetJsonAsync("/api/v1/cities/suifenhe");
        var ranking = await again.GetAsync("/api/v1/rankings?kind=port");

        Assert.Equal("2020-04-20", clock.GetProperty("date").GetString());
        Assert.Equal("replay", clock.GetProperty("mode").GetString());
        Assert.Equal(20, port.Metric("importedCases14d"));
        Assert.Equal(35, city.Metric("isolationBeds"));
        Assert.Equal(HttpStatusCode.OK, ranking.StatusCode);
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
            events.Add(new { id = $"dur-traffic-{date}", type = "traffic", port = "suifenhe-road", date, inbound = 500, origins = new Dictionary<string, int> { ["RU"] = 450 } });
        }

        events.Add(new { id = "dur-case-1", type = "case", location = "port:suifenhe-road", date = "2020-04-18", count = 12, classification = "imported-confirmed", origin = "RU" });
        events.Add(new { id = "dur-case-2", type = "case", location = "port:suifenhe-road", date = "2020-04-19", count = 8, classification = "imported-asymptomatic", origin = "RU" });
        events.Add(new { id = "dur-beds", type = "capacity", subject = "city:suifenhe", date = "2020-04-19", isolationBeds = 35 });
        events.Add(new { id = "dur-kz-1", type = "country-cases", country = "KZ", date = "2020-04-06", cumulativeCases = 1400 });
        events.Add(new { id = "dur-kz-2", type = "country-cases", country = "KZ", date = "2020-04-20", cumulativeCases = 4000 });
        return events;
    }
}
