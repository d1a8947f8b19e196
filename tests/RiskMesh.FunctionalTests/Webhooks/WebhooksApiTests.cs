using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>One host shared by the webhook API tests; each test uses its own city.</summary>
public sealed class WebhooksApiHost : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-wh-api-" + Guid.NewGuid().ToString("N"));
    private WebhookHost? _host;

    /// <summary>The running host.</summary>
    public WebhookHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await WebhookHost.StartAsync(_dataDirectory);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        RiskMeshHostFixture.DeleteDirectory(_dataDirectory);
    }
}

public sealed class WebhooksApiTests(WebhooksApiHost fixture) : IClassFixture<WebhooksApiHost>
{
    private WebhookHost Host => fixture.Host;

    [Fact]
    public async Task Put_ValidWebhooks_GetShowsUrlsWithSecretsMasked()
    {
        using var put = await Host.Admin.PutAsJsonAsync("/api/v1/cities/manzhouli/webhooks", new[]
        {
            new { url = "https://ops.example/riskmesh", secret = "manzhouli-secret-AB12" },
            new { url = "http://127.0.0.1:9/hook", secret = "another-secret-WXYZ" },
        });
        var got = await Host.Admin.GetJsonAsync("/api/v1/cities/manzhouli/webhooks");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(
            [("https://ops.example/riskmesh", "****AB12"), ("http://127.0.0.1:9/hook", "****WXYZ")],
            got.EnumerateArray().Select(w => (w.GetProperty("url").GetString(), w.GetProperty("secret").GetString())));
        Assert.DoesNotContain("manzhouli-secret", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestSend_BodyHasASummaryAndTheCitysName_AsANoticeBodyHas()
    {
        // Try-out 6 F9: a receiver relaying `summary` to people relayed an empty message on a test send.
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        using var put = await Host.Admin.PutAsJsonAsync("/api/v1/cities/heihe/webhooks", new[] { new { url = receiver.UrlOf("test"), secret = "heihe-test-secret-0001" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var test = await Host.Admin.PostAsync("/api/v1/cities/heihe/webhooks/test", null);

        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var body = JsonDocument.Parse(Assert.Single(receiver.AcceptedAt("/hooks/test")).Body).RootElement;
        Assert.Equal(("test", "heihe", "Heihe (Aihui District)"), (body.GetProperty("kind").GetString(), body.GetProperty("city").GetString(), body.GetProperty("cityName").GetString()));
        Assert.Matches(@"^Test message from RiskMesh to the webhooks of Heihe \(Aihui District\), sent \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: no notice was issued\.$", body.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Put_InvalidWebhooks_Returns400NamingEachProblemAndKeepsTheOldOnes()
    {
        using var first = await Host.Admin.PutAsJsonAsync("/api/v1/cities/ruili/webhooks", new[] { new { url = "https://old.example/hook", secret = "old-secret-0123456789" } });
        using var bad = await Host.Admin.PutAsJsonAsync("/api/v1/cities/ruili/webhooks", new[]
        {
            new { url = "ftp://new.example/hook", secret = "new-secret-0123456789" },
            new { url = "https://new.example/hook", secret = "short" },
        });
        var problem = await bad.BodyAsync();
        var got = await Host.Admin.GetJsonAsync("/api/v1/cities/ruili/webhooks");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problems = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("webhooks[0].url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("webhooks[1].secret", StringComparison.Ordinal));
        Assert.Equal("https://old.example/hook", Assert.Single(got.EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task Put_NotAnArray_Returns400ProblemDetails()
    {
        using var response = await Host.Admin.PutAsync("/api/v1/cities/suifenhe/webhooks", new StringContent("{\"url\": 1}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON array", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAndPut_UnknownCity_Return404NamingIt()
    {
        using var get = await Host.Admin.GetAsync("/api/v1/cities/atlantis/webhooks");
        using var put = await Host.Admin.PutAsJsonAsync("/api/v1/cities/atlantis/webhooks", Array.Empty<object>());

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Contains("atlantis", (await get.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAndPut_AnalystKeyOrNoKey_AreRefused()
    {
        var analystKey = await CreateKeyAsync("analyst");
        using var analyst = Host.CreateClient(analystKey);
        using var anonymous = Host.CreateClient(null);

        using var analystGet = await analyst.GetAsync("/api/v1/cities/suifenhe/webhooks");
        using var analystPut = await analyst.PutAsJsonAsync("/api/v1/cities/suifenhe/webhooks", Array.Empty<object>());
        using var anonymousGet = await anonymous.GetAsync("/api/v1/cities/suifenhe/webhooks");

        Assert.Equal(HttpStatusCode.Forbidden, analystGet.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, analystPut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousGet.StatusCode);
    }

    private async Task<string> CreateKeyAsync(string role)
    {
        using var response = await Host.Admin.PostAsJsonAsync("/api/v1/keys", new { role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }
}
