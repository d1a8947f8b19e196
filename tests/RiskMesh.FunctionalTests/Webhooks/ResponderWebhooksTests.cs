using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.Abstractions.Security;
using RiskMesh.Abstractions.Webhooks;
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
