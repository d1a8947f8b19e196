using System.Collections.Immutable;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Abstractions;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Grains.Webhooks;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>Delivery through the real host to a real HTTP receiver: order, signatures, retries and restarts.</summary>
public sealed class WebhookDeliveryTests() : OwnDataDirectory("riskmesh-wh-")
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);
    [Fact]
    public async Task Enqueue_ReceiverDownThenUp_EveryNoticeArrivesInOrderSignedToEachWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: true);
        await using var host = await WebhookHost.StartAsync(DataDirectory);
        const string city = "suifenhe";
        var secrets = new Dictionary<string, string> { ["/hooks/a"] = "secret-of-hook-a-0001", ["/hooks/b"] = "secret-of-hook-b-0002" };
        await PutWebhooksAsync(host, city, (receiver.UrlOf("a"), secrets["/hooks/a"]), (receiver.UrlOf("b"), secrets["/hooks/b"]));
        var outbox = host.Grains.GetGrain<IWebhookOutboxGrain>(city);

        var notices = Enumerable.Range(1, 4).Select(i => Notice(city, i)).ToList();
        foreach (var notice in notices)
        {
            await outbox.Enqueue(notice);
        }

        await receiver.WaitUntilAsync(
            r => r.Count(x => !x.Accepted && x.Path == "/hooks/a") >= 2 && r.Any(x => !x.Accepted && x.Path == "/hooks/b"),
            Patience,
            "retries while the receiver is down");
        var whileDown = receiver.Requests;
        receiver.Down = false;
        await receiver.WaitUntilAsync(
            r => r.Count(x => x.Accepted && x.Path == "/hooks/a") >= 4 && r.Count(x => x.Accepted && x.Path == "/hooks/b") >= 4,
            Patience,
            "all four notices on both hooks");

        // While down, each hook only ever retried its oldest notice: a later one never overtook it.
        Assert.All(whileDown, r => Assert.Equal(notices[0].Id, r.Headers["X-RiskMesh-Notice-Id"]));
        foreach (var (path, secret) in secrets)
        {
            var accepted = receiver.AcceptedAt(path);
            Assert.Equal(notices.Select(n => n.Id), accepted.Select(r => r.Headers["X-RiskMesh-Notice-Id"]));
            Assert.All(accepted, r => AssertSignedNotice(r, secret));
        }

        // The receiver records a request before the outbox hears its answer: wait for the outbox to catch up.
        await WaitForDrainedOutboxAsync(host, city);
    }

    [Fact]
    public async Task Restart_DeliveriesPendingAtStop_ResumeWithoutANewNotice()
    {
        const string city = "heihe";
        const string secret = "restart-secret-0123456789";
        await using var receiver = await WebhookReceiver.StartAsync(down: true);
        var notices = Enumerable.Range(1, 3).Select(i => Notice(city, i)).ToList();
        await using (var first = await WebhookHost.StartAsync(DataDirectory))
        {
            await PutWebhooksAsync(first, city, (receiver.UrlOf("restart"), secret));
            foreach (var notice in notices)
            {
                await first.Grains.GetGrain<IWebhookOutboxGrain>(city).Enqueue(notice);
            }

            await receiver.WaitUntilAsync(r => r.Any(x => !x.Accepted), Patience, "a refused attempt before the stop");
        }

        receiver.Down = false;
        await using var second = await WebhookHost.StartAsync(DataDirectory);
        await receiver.WaitUntilAsync(r => r.Count(x => x.Accepted) >= 3, Patience, "the three notices after the restart");

        var accepted = receiver.AcceptedAt("/hooks/restart");
        Assert.Equal(notices.Select(n => n.Id), accepted.Select(r => r.Headers["X-RiskMesh-Notice-Id"]));
        Assert.All(accepted, r => AssertSignedNotice(r, secret));
    }

    [Fact]
    public async Task SetWebhooks_UrlRemovedWhileDown_DropsItsPendingAndKeepsTheOthers()
    {
        const string city = "dongning";
        await using var receiver = await WebhookReceiver.StartAsync(down: true);
        await using var host = await WebhookHost.StartAsync(DataDirectory);
        var kept = (receiver.UrlOf("kept"), "kept-secret-0123456789");
        await PutWebhooksAsync(host, city, kept, (receiver.UrlOf("removed"), "removed-secret-0123456789"));
        var outbox = host.Grains.GetGrain<IWebhookOutboxGrain>(city);
        await outbox.Enqueue(Notice(city, 1));
        await outbox.Enqueue(Notice(city, 2));
        await receiver.WaitUntilAsync(r => r.Any(x => x.Path == "/hooks/removed"), Patience, "an attempt on the hook to be removed");

        await PutWebhooksAsync(host, city, kept);
        var pending = await host.Grains.GetGrain<IWebhookOutboxControl>(city).GetPending();
        receiver.Down = false;
        await receiver.WaitUntilAsync(r => r.Count(x => x.Accepted && x.Path == "/hooks/kept") >= 2, Patience, "both notices on the kept hook");

        Assert.Equal([$"{city}-1", $"{city}-2"], pending.Select(p => p.NoticeId));
        Assert.All(pending, p => Assert.Equal(kept.Item1, p.Url));
        Assert.DoesNotContain(receiver.Requests, r => r.Path == "/hooks/removed" && r.Accepted);
    }

    [Fact]
    public async Task Enqueue_NoticeWithPlusAndApostrophe_BodyCarriesThemAsTheyAre_AndItsSignatureVerifies()
    {
        // Newcomer 15: relayed summaries read "(\u002B3 more actions)", "today\u0027s" and "\u002B00:00".
        const string city = "ruili";
        const string secret = "plain-text-secret-0123456789";
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        await using var host = await WebhookHost.StartAsync(DataDirectory);
        await PutWebhooksAsync(host, city, (receiver.UrlOf("plain"), secret));
        var notice = Notice(city, 1) with
        {
            Actions = ["Check today's arrivals at the crossing → quarantine.", "Health checks of all inbound travellers.", "Patrols.", "Reports."],
            IssuedAt = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(8)),
        };

        await host.Grains.GetGrain<IWebhookOutboxGrain>(city).Enqueue(notice);
        await receiver.WaitUntilAsync(r => r.Any(x => x.Accepted && x.Path == "/hooks/plain"), Patience, "the notice delivered");

        var request = receiver.AcceptedAt("/hooks/plain").Single();
        var text = Encoding.UTF8.GetString(request.Body);
        Assert.Contains("(+3 more actions)", text, StringComparison.Ordinal);
        Assert.Contains("Check today's arrivals at the crossing → quarantine.", text, StringComparison.Ordinal);
        Assert.Contains("\"issuedAt\":\"2026-11-28T10:00:00+08:00\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        // The signature is over the bytes sent, "+" and "'" included.
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(request.Body)), request.Headers["X-RiskMesh-Signature"]);
        Assert.Equal(notice.Summary, JsonDocument.Parse(request.Body).RootElement.GetProperty("summary").GetString());
        await WaitForDrainedOutboxAsync(host, city);
    }

    [Fact]
    public async Task Enqueue_NoWebhooks_StoresNothing()
    {
        const string city = "fuyuan";
        await using var host = await WebhookHost.StartAsync(DataDirectory);

        await host.Grains.GetGrain<IWebhookOutboxGrain>(city).Enqueue(Notice(city, 1));

        Assert.Empty(await host.Grains.GetGrain<IWebhookOutboxControl>(city).GetPending());
        Assert.DoesNotContain(city, await host.Grains.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton).GetCities());
    }

    private static async Task PutWebhooksAsync(WebhookHost host, string city, params (string Url, string Secret)[] webhooks)
    {
        using var response = await host.Admin.PutAsJsonAsync($"/api/v1/cities/{city}/webhooks", webhooks.Select(w => new { url = w.Url, secret = w.Secret }));
        Assert.True(response.IsSuccessStatusCode, $"PUT webhooks answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Waits until the outbox has nothing pending and the registry no longer lists the city.</summary>
    private static async Task WaitForDrainedOutboxAsync(WebhookHost host, string city)
    {
        var outbox = host.Grains.GetGrain<IWebhookOutboxControl>(city);
        var registry = host.Grains.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton);
        var deadline = DateTime.UtcNow + Patience;
        while (!(await outbox.GetPending()).IsEmpty || (await registry.GetCities()).Contains(city))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the outbox of {city} was not drained and unlisted within {Patience}");
            await Task.Delay(50);
        }
    }

    private static void AssertSignedNotice(ReceivedRequest request, string secret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash(request.Body)).ToLowerInvariant();
        Assert.Equal(expected, request.Headers["X-RiskMesh-Signature"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(request.Headers["X-RiskMesh-Notice-Id"], body.GetProperty("id").GetString());
        Assert.Equal("escalation", body.GetProperty("kind").GetString());
        Assert.Equal(3, body.GetProperty("newLevel").GetInt32());
        Assert.Equal("2020-04-20", body.GetProperty("date").GetString());
    }

    private static NoticeView Notice(string city, long sequence) => new(
        $"{city}-{sequence}",
        city,
        sequence,
        "escalation",
        2,
        3,
        61.5,
        null,
        [new RiskComponentView("localCases14dPer100k", 12.5, "per 100k", 0.6, 0.3, 18.0, "Local cases rose.")],
        ["reduce cross-border movement to the minimum"],
        new DateOnly(2020, 4, 20),
        DateTimeOffset.UtcNow,
        "open",
        null,
        null);
}
