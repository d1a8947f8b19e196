using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.Abstractions.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Api.Endpoints;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Security;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>
/// A city's response team manages its own cities' webhooks with its responder key (newcomer 20b F4: it took an operator
/// key, which also edits every city's plan and moves the shared clock), and no other city's.
/// </summary>
public sealed class ResponderWebhooksTests() : OwnDataDirectory("riskmesh-wh-team-")
{
    // The host with its logs captured; the test receivers listen on 127.0.0.1, which webhooks may not reach by default.
    private Task<SecurityHost> StartHostAsync() => SecurityHost.StartAsync(DataDirectory, ["--RiskMesh:Webhooks:AllowLoopback=true"]);

    [Fact]
    public async Task Responder_ListsSetsTestsAndClearsItsCitysWebhooks_TheLogNamingItsKeyNeverTheSecret()
    {
        await using var host = await StartHostAsync();
        var responder = await KeyClient.IssueAsync(host, ApiKeyRoles.Responder, ["suifenhe", "mohe"], "Suifenhe response team");
        using var team = host.CreateClient(responder.Key);
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        var url = receiver.UrlOf("suifenhe-team");
        const string Secret = "suifenhe-team-secret-WXYZ";

        using var put = await team.PutAsJsonAsync("/api/v1/cities/suifenhe/webhooks", new[] { new { url, secret = Secret } });
        var putText = await put.Content.ReadAsStringAsync();
        var listed = await team.GetJsonAsync("/api/v1/cities/suifenhe/webhooks");
        using var test = await team.PostAsync("/api/v1/cities/suifenhe/webhooks/test", null);
        var tested = Assert.Single((await test.BodyAsync()).EnumerateArray());
        var secondCity = await team.GetJsonAsync("/api/v1/cities/mohe/webhooks");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain(Secret, putText, StringComparison.Ordinal);
        var shown = Assert.Single(listed.EnumerateArray());
        Assert.Equal((url, "****WXYZ"), (shown.GetProperty("url").GetString(), shown.GetProperty("secret").GetString()));
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.True(tested.GetProperty("delivered").GetBoolean(), tested.ToString());
        var received = Assert.Single(receiver.AcceptedAt("/hooks/suifenhe-team"));
        Assert.Equal(WebhookSignature.Compute(Secret, received.Body), received.Headers["X-RiskMesh-Signature"]);
        Assert.Equal(JsonValueKind.Array, secondCity.ValueKind);

        // Taken away again by the team: [] is none.
        using var cleared = await team.PutAsJsonAsync("/api/v1/cities/suifenhe/webhooks", Array.Empty<object>());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(0, (await team.GetJsonAsync("/api/v1/cities/suifenhe/webhooks")).GetArrayLength());

        // Who changed where the city's notices go is in the log, by key id and role, the URL without its secret.
        var lines = host.Logs.Lines.Where(l => l.Contains("Webhooks of suifenhe set by key", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("Information ", lines[0], StringComparison.Ordinal);
        Assert.Contains($"Webhooks of suifenhe set by key {responder.Id} (responder): 1 now, {url}", lines[0], StringComparison.Ordinal);
        Assert.Contains($"Webhooks of suifenhe set by key {responder.Id} (responder): 0 now, none", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responder_ListsItsWebhooks_WithWhetherRealNoticesReachThem_OperatorsAlsoWhatTheReceiverAnswered()
    {
        // Newcomer 22a, L3: a receiver answering 401 was retried for ever, and only the operators' log said so.
        await using var host = await SecurityHost.StartAsync(DataDirectory, ["--RiskMesh:Webhooks:AllowLoopback=true", "--RiskMesh:Webhooks:InitialBackoff=00:00:00.200", "--RiskMesh:Webhooks:MaxBackoff=00:00:00.500"]);
        var responder = await KeyClient.IssueAsync(host, ApiKeyRoles.Responder, ["suifenhe"]);
        using var team = host.CreateClient(responder.Key);
        using var admin = host.CreateClient(host.AdminKey);
        await using var receiver = await WebhookReceiver.StartAsync(down: true);
        var url = receiver.UrlOf("team");
        using var put = await team.PutAsJsonAsync("/api/v1/cities/suifenhe/webhooks", new[] { new { url, secret = "suifenhe-team-secret-0001" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("not-tried", Delivery(await team.GetJsonAsync("/api/v1/cities/suifenhe/webhooks")).GetProperty("state").GetString());

        var outbox = host.Services.GetRequiredService<IGrainFactory>().GetGrain<RiskMesh.Abstractions.IWebhookOutboxGrain>("suifenhe");
        foreach (var sequence in new[] { 1, 2 })
        {
            await outbox.Enqueue(new RiskMesh.Abstractions.NoticeView(
                $"suifenhe-{sequence}", "suifenhe", sequence, "escalation", 1, 2, 40, null, [], ["Strengthen testing."],
                new DateOnly(2020, 4, 20), DateTimeOffset.UtcNow, "open", null, null));
        }

        var failing = await DeliveryOnceAsync(team, d => d.GetProperty("state").GetString() == "failing" && d.GetProperty("attempts").GetInt32() >= 2);
        Assert.Equal(2, failing.GetProperty("pending").GetInt32());
        Assert.Equal("suifenhe-1", failing.GetProperty("oldestPending").GetString());
        Assert.Equal(JsonValueKind.String, failing.GetProperty("failingSince").ValueKind);
        Assert.Equal(JsonValueKind.String, failing.GetProperty("nextAttemptAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("lastDeliveredAt").ValueKind);
        // What the receiver answered is the operators' (and the log's), as with test sends.
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("lastStatus").ValueKind);
        Assert.Equal(JsonValueKind.Null, failing.GetProperty("lastError").ValueKind);
        var toOperators = Delivery(await admin.GetJsonAsync("/api/v1/cities/suifenhe/webhooks"));
        Assert.Equal((503, "answered 503"), (toOperators.GetProperty("lastStatus").GetInt32(), toOperators.GetProperty("lastError").GetString()));

        // The receiver mended: both go, in order, and the state says so.
        receiver.Down = false;
        var delivering = await DeliveryOnceAsync(team, d => d.GetProperty("state").GetString() == "delivering" && d.GetProperty("pending").GetInt32() == 0);
        Assert.Equal(JsonValueKind.String, delivering.GetProperty("lastDeliveredAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, delivering.GetProperty("failingSince").ValueKind);
        Assert.Equal(["suifenhe-1", "suifenhe-2"], receiver.AcceptedAt("/hooks/team").Select(r => r.Headers["X-RiskMesh-Notice-Id"]));

        static JsonElement Delivery(JsonElement list) => Assert.Single(list.EnumerateArray()).GetProperty("delivery");

        static async Task<JsonElement> DeliveryOnceAsync(HttpClient client, Func<JsonElement, bool> wanted)
        {
            var delivery = default(JsonElement);
            for (var attempt = 0; attempt < 150; attempt++)
            {
                delivery = Delivery(await client.GetJsonAsync("/api/v1/cities/suifenhe/webhooks"));
                if (wanted(delivery))
                {
                    return delivery;
                }

                await Task.Delay(100);
            }

            Assert.Fail($"not reached within 15 s: {delivery}");
            return delivery;
        }
    }

    [Fact]
    public async Task Responder_TestSend_SaysOnlyDeliveredOrNot_OncePer10SecondsPerKeyAndCity_OperatorsKeepTheDetail()
    {
        // Review 20, finding 3: each URL's status code or error text, on demand, made a city team's key an intranet probe.
        await using var host = await StartHostAsync();
        var responder = await KeyClient.IssueAsync(host, ApiKeyRoles.Responder, ["suifenhe", "mohe"]);
        var colleague = await KeyClient.IssueAsync(host, ApiKeyRoles.Responder, ["suifenhe"]);
        using var team = host.CreateClient(responder.Key);
        using var otherTeam = host.CreateClient(colleague.Key);
        using var admin = host.CreateClient(host.AdminKey);
        await using var up = await WebhookReceiver.StartAsync(down: false);
        await using var down = await WebhookReceiver.StartAsync(down: true);
        using var put = await team.PutAsJsonAsync("/api/v1/cities/suifenhe/webhooks", new[]
        {
            new { url = up.UrlOf("up"), secret = "suifenhe-team-secret-0001" },
            new { url = down.UrlOf("down"), secret = "suifenhe-team-secret-0002" },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var first = await team.PostAsync("/api/v1/cities/suifenhe/webhooks/test", null);
        var firstText = await first.Content.ReadAsStringAsync();
        using var again = await team.PostAsync("/api/v1/cities/suifenhe/webhooks/test", null);
        using var anotherCity = await team.PostAsync("/api/v1/cities/mohe/webhooks/test", null);
        using var anotherKey = await otherTeam.PostAsync("/api/v1/cities/suifenhe/webhooks/test", null);
        using var operatorSend = await admin.PostAsync("/api/v1/cities/suifenhe/webhooks/test", null);
        using var operatorAgain = await admin.PostAsync("/api/v1/cities/suifenhe/webhooks/test", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // The secret named whatever the receiver answered (503 here, 401 for a wrong secret), so the words say nothing of it.
        const string notDelivered = "not delivered: check that the receiver is running and answers 2xx, and that the webhook's secret matches the receiver's; an operator's test send, or the log, says what it answered";
        (string?, bool, int?, string?)[] toTheTeam = [(up.UrlOf("up"), true, null, null), (down.UrlOf("down"), false, null, notDelivered)];
        Assert.Equal(toTheTeam, (await first.BodyAsync()).EnumerateArray().Select(Result));
        Assert.DoesNotContain("503", firstText, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        var wait = Assert.Single(again.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(wait, System.Globalization.CultureInfo.InvariantCulture), 1, 10);
        Assert.Equal(
            $"A responder key may test-send a city's webhooks once every 10 s: try again in {wait} s.",
            (await again.BodyAsync()).GetProperty("detail").GetString());

        // The limit is the key's for the city: another city, another team's key and operators go on.
        Assert.Equal(HttpStatusCode.OK, anotherCity.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anotherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorSend.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorAgain.StatusCode);
        (string?, bool, int?, string?)[] toOperators = [(up.UrlOf("up"), true, 200, null), (down.UrlOf("down"), false, 503, "answered 503")];
        Assert.Equal(toOperators, (await operatorSend.BodyAsync()).EnumerateArray().Select(Result));

        // The refused send reached no receiver: the team's first, the colleague's and the operator's two.
        Assert.Equal(4, up.AcceptedAt("/hooks/up").Count);
        Assert.Equal(4, down.Requests.Count);
        // The detail stays in the log, by key.
        Assert.Contains(host.Logs.Lines, l => l.Contains($"Webhook test send to suifenhe by key {responder.Id} (responder): {down.UrlOf("down")} not delivered; error: answered 503", StringComparison.Ordinal));
    }

    [Fact]
    public void TestSendLimit_WaitsOutTheIntervalPerKeyAndCity()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));
        var limit = new WebhookTestSendLimit(time);

        var first = limit.Take("key-a", "suifenhe");
        time.Advance(TimeSpan.FromSeconds(9.5));
        var tooSoon = limit.Take("key-a", "suifenhe");
        var otherCity = limit.Take("key-a", "mohe");
        time.Advance(TimeSpan.FromSeconds(0.5));
        var afterTheInterval = limit.Take("key-a", "suifenhe");
        var rightAfter = limit.Take("key-a", "suifenhe");

        Assert.Null(first);
        Assert.Equal(TimeSpan.FromSeconds(0.5), tooSoon);
        Assert.Null(otherCity);
        Assert.Null(afterTheInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), rightAfter);
    }

    private static (string?, bool, int?, string?) Result(JsonElement tested) => (
        tested.GetProperty("url").GetString(),
        tested.GetProperty("delivered").GetBoolean(),
        tested.GetProperty("statusCode").ValueKind == JsonValueKind.Null ? null : tested.GetProperty("statusCode").GetInt32(),
        tested.GetProperty("error").GetString());

    [Fact]
    public async Task Responder_AnotherCitysWebhooks_Refused403SayingWhatTheKeyIsFor_AndTheyStay()
    {
        await using var host = await StartHostAsync();
        using var admin = host.CreateClient(host.AdminKey);
        using var set = await admin.PutAsJsonAsync("/api/v1/cities/ruili/webhooks", new[] { new { url = "https://ops.example/ruili", secret = "ruili-operator-secret-0001" } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var responder = await KeyClient.IssueAsync(host, ApiKeyRoles.Responder, ["dongning"]);
        using var team = host.CreateClient(responder.Key);

        using var get = await team.GetAsync("/api/v1/cities/ruili/webhooks");
        using var put = await team.PutAsJsonAsync("/api/v1/cities/ruili/webhooks", Array.Empty<object>());
        using var test = await team.PostAsync("/api/v1/cities/ruili/webhooks/test", null);

        foreach (var refused in new[] { get, put, test })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(
                "This key may not act for city 'ruili': it is a responder key for dongning.",
                (await refused.BodyAsync()).GetProperty("detail").GetString());
        }

        var kept = Assert.Single((await admin.GetJsonAsync("/api/v1/cities/ruili/webhooks")).EnumerateArray());
        Assert.Equal("https://ops.example/ruili", kept.GetProperty("url").GetString());
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains($"set by key {responder.Id}", StringComparison.Ordinal));
    }
}
