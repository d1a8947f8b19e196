using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Security;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>Credentials a browser sends by itself (session cookie, Basic): cross-site requests, sign-out, keys in URLs.</summary>
[Collection(SecurityHostCollection.Name)]
public sealed class BrowserCredentialTests(SecurityHostFixture fixture)
{
    private const string Evil = "http://evil.example";

    private SecurityHost Host => fixture.Host;

    [Fact]
    public async Task AckNotice_FormWithBasicFromEvilOrigin_Returns403()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateBasicClient(op.Key);

        using var response = await client.SendAsync(FormPost("/api/v1/cities/suifenhe/notices/suifenhe-1/ack", Evil));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task IssueKey_BasicOrSessionFromOtherSite_Returns403AndIssuesNothing()
    {
        using var basic = Host.CreateBasicClient(Host.AdminKey, "admin");
        var cookie = await SignInAsync(Host.AdminKey);
        using var plain = Host.CreateClient();
        var before = await CountKeysAsync();

        using var byBasic = await basic.SendAsync(JsonPost("/api/v1/keys", new { role = "admin" }, origin: Evil));
        var bySession = JsonPost("/api/v1/keys", new { role = "admin" }, origin: null);
        bySession.Headers.Add("Cookie", cookie);
        bySession.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var bySessionResponse = await plain.SendAsync(bySession);
        var byReferer = JsonPost("/api/v1/keys", new { role = "admin" }, origin: null);
        byReferer.Headers.Add("Cookie", cookie);
        byReferer.Headers.Referrer = new Uri(Evil + "/page");
        using var byRefererResponse = await plain.SendAsync(byReferer);

        Assert.Equal(HttpStatusCode.Forbidden, byBasic.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bySessionResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byRefererResponse.StatusCode);
        Assert.Equal(before, await CountKeysAsync());
    }

    [Fact]
    public async Task IssueKey_SameOriginBasicOrApiKeyFromAnywhere_AreAccepted()
    {
        using var basic = Host.CreateBasicClient(Host.AdminKey, "admin");
        using var apiKey = Host.CreateClient(Host.AdminKey);
        var self = Host.BaseAddress.GetLeftPart(UriPartial.Authority);

        using var sameOrigin = await basic.SendAsync(JsonPost("/api/v1/keys", new { role = "analyst" }, origin: self));
        using var program = await basic.SendAsync(JsonPost("/api/v1/keys", new { role = "analyst" }, origin: null));
        using var header = await apiKey.SendAsync(JsonPost("/api/v1/keys", new { role = "analyst" }, origin: Evil));

        Assert.Equal(HttpStatusCode.Created, sameOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.Created, program.StatusCode);
        Assert.Equal(HttpStatusCode.Created, header.StatusCode);
    }

    [Fact]
    public async Task SignOut_CopyOfTheOldCookie_NoLongerWorks()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        var cookie = await SignInAsync(op.Key);
        using var client = Host.CreateClient();
        using var before = await client.SendAsync(SignInTests.Get(SecurityHost.PolicyProbe(RiskMeshPolicies.Operator), cookie, "application/json"));

        var signOut = new HttpRequestMessage(HttpMethod.Post, "/signout");
        signOut.Headers.Add("Cookie", cookie);
        signOut.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var signedOut = await client.SendAsync(signOut);

        // The browser drops the cookie; a copy (another tab's, a thief's) is replayed as is.
        using var after = await client.SendAsync(SignInTests.Get(SecurityHost.PolicyProbe(RiskMeshPolicies.Operator), cookie, "application/json"));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task KeyInQueryString_Refused400AndNeverLogged()
    {
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var client = Host.CreateClient();

        using var response = await client.GetAsync($"/api/v1/clock?key={analyst.Key}");
        using var other = await client.GetAsync($"/api/v1/rankings?kind=port&API_KEY={Uri.EscapeDataString(analyst.Key)}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("X-Api-Key", body, StringComparison.Ordinal);
        Assert.Contains("/api/v1/clock?key=REDACTED", Host.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(analyst.Key, Host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyInQueryString_OnAKeptAliveConnection_RedactedWhileContextsStayPooled()
    {
        // The redaction wraps the server's application, not the context factory, so the hosting layer keeps reusing
        // one HttpContext per connection; a refused request in between neither leaks its key nor taints the next one.
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var client = Host.CreateClient(analyst.Key);
        var secret = "rmk_" + Guid.NewGuid().ToString("N");

        var first = await client.GetFromJsonAsync<int>(SecurityHost.ContextProbe);
        using var refused = await client.GetAsync($"{SecurityHost.ContextProbe}?x=1&Api-Key={secret}");
        var second = await client.GetFromJsonAsync<int>($"{SecurityHost.ContextProbe}?x=1");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(first, second);
        Assert.Contains($"{SecurityHost.ContextProbe}?x=1&Api-Key=REDACTED", Host.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, Host.Logs.Text, StringComparison.Ordinal);
        Assert.IsType<Microsoft.AspNetCore.Http.DefaultHttpContextFactory>(Host.Services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextFactory>());
    }

    private async Task<string> SignInAsync(string key)
    {
        using var client = Host.CreateClient();
        using var response = await client.SendAsync(SignInTests.SignInRequest(key, "/dashboard/"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private async Task<int> CountKeysAsync()
    {
        using var admin = Host.CreateClient(Host.AdminKey);
        return (await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/keys")).GetArrayLength();
    }

    private static HttpRequestMessage FormPost(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
        };
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static HttpRequestMessage JsonPost(string path, object body, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }
}
