using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Durability;

/// <summary>
/// A real silo process killed with SIGKILL right after a city stored a notice, before the notice reached the webhook
/// outbox: after a restart the notice still arrives at the webhook, once, and is not issued again.
/// </summary>
public sealed class NoticeDeliveryCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-notice-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => RiskMeshHostFixture.DeleteDirectory(_dataDirectory);

    [Fact]
    public async Task Kill_AfterNoticeStoredBeforeOutbox_NoticeIsDeliveredAfterRestart()
    {
        const string city = "dongxing";
        const string secret = "crash-secret-0123456789";
        Directory.CreateDirectory(_dataDirectory);
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        string[] common = ["--RiskMesh:Webhooks:InitialBackoff=00:00:00.200", "--RiskMesh:Webhooks:MaxBackoff=00:00:01", "--RiskMesh:Webhooks:AllowLoopback=true"];
        string key;
        using (var first = await SiloProcess.StartAsync(_dataDirectory, [.. common, "--RiskMesh:TestHooks:KillAfterNoticeStored=true"]))
        {
            key = await RiskMeshHostFixture.ReadAdminKeyAsync(_dataDirectory);
            using var client = first.CreateClient(key);
            (await client.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
            (await client.PutAsJsonAsync($"/api/v1/cities/{city}/plan", EscalationApi.LowPlan)).EnsureSuccessStatusCode();
            (await client.PutAsJsonAsync($"/api/v1/cities/{city}/webhooks", new[] { new { url = receiver.UrlOf("crash"), secret } })).EnsureSuccessStatusCode();

            // The escalation this batch causes kills the process between storing the notice and queueing its delivery.
            // Imported cases isolated in the city: one notice (local cases would begin local transmission too).
            var batch = Json.Array(new { id = "crash-imported-1", type = "case", location = $"city:{city}", date = "2020-04-20", count = 40, classification = "imported-confirmed", source = "crash-test" });
            await Assert.ThrowsAnyAsync<Exception>(() => client.PostAsync("/api/v1/events", new StringContent(batch, Encoding.UTF8, "application/json")));
            Assert.NotEqual(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.Empty(receiver.Requests);
        using var second = await SiloProcess.StartAsync(_dataDirectory, common);
        using var again = second.CreateClient(key);
        var stored = (await again.GetJsonAsync($"/api/v1/cities/{city}/notices")).EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();
        Assert.Equal([$"{city}-1"], stored);

        await receiver.WaitUntilAsync(r => r.Any(x => x.Accepted), Patience, "the notice stored before the kill");

        // Nothing more arrives: the notice is neither issued nor delivered twice.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var delivered = receiver.AcceptedAt("/hooks/crash");
        Assert.Equal(stored, delivered.Select(r => r.Headers["X-RiskMesh-Notice-Id"]));
        var body = JsonDocument.Parse(delivered[0].Body).RootElement;
        Assert.Equal("escalation", body.GetProperty("kind").GetString());
        Assert.Equal("2020-04-20", body.GetProperty("date").GetString());
        Assert.Equal(stored, (await again.GetJsonAsync($"/api/v1/cities/{city}/notices")).EnumerateArray().Select(n => n.GetProperty("id").GetString()));
    }
}
