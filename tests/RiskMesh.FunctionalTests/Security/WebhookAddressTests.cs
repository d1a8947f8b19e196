using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>Webhooks cannot point RiskMesh at its own host or the cloud metadata service (blind SSRF), by default.</summary>
[Collection(SecurityHostCollection.Name)]
public sealed class WebhookAddressTests(SecurityHostFixture fixture)
{
    private const string Secret = "ssrf-test-secret-0001";

    private SecurityHost Host => fixture.Host;

    [Fact]
    public async Task PutWebhooks_LoopbackLinkLocalAndMetadata_Return400NamingEachAndKeepTheOld()
    {
        using var admin = Host.CreateClient(Host.AdminKey);
        using var first = await admin.PutAsJsonAsync("/api/v1/cities/heihe/webhooks", new[] { new { url = "http://10.9.8.7/hook", secret = Secret } });
        string[] urls = ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]/hook", "http://169.254.169.254/latest/meta-data/", "http://2130706433/"];

        using var response = await admin.PutAsJsonAsync("/api/v1/cities/heihe/webhooks", urls.Select(url => new { url, secret = Secret }));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var kept = await admin.GetFromJsonAsync<JsonElement>("/api/v1/cities/heihe/webhooks");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(urls.Length, problems.Count);
        for (var i = 0; i < urls.Length; i++)
        {
            Assert.StartsWith($"webhooks[{i}].url", problems[i], StringComparison.Ordinal);
        }

        Assert.Contains("RiskMesh:Webhooks:AllowLoopback", problems[0], StringComparison.Ordinal);
        Assert.Equal("http://10.9.8.7/hook", Assert.Single(kept.EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task PutWebhooks_ByItsCitysResponder_LoopbackStillRefused_AndTheOldOnesKept()
    {
        // A response team sets its own cities' webhooks: through the same guard as an operator.
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["dongxing"]);
        using var team = Host.CreateClient(responder.Key);
        using var first = await team.PutAsJsonAsync("/api/v1/cities/dongxing/webhooks", new[] { new { url = "http://10.9.8.6/hook", secret = Secret } });

        using var response = await team.PutAsJsonAsync("/api/v1/cities/dongxing/webhooks", new[] { new { url = "http://127.0.0.1:9/hook", secret = Secret } });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var kept = await team.GetFromJsonAsync<JsonElement>("/api/v1/cities/dongxing/webhooks");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("RiskMesh:Webhooks:AllowLoopback", Assert.Single(problem.GetProperty("problems").EnumerateArray()).GetString(), StringComparison.Ordinal);
        Assert.Equal("http://10.9.8.6/hook", Assert.Single(kept.EnumerateArray()).GetProperty("url").GetString());
    }
}
