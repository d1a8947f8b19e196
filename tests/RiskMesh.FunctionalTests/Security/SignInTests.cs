using System.Net;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Security;

namespace RiskMesh.FunctionalTests.Security;

[Collection(SecurityHostCollection.Name)]
public sealed class SignInTests(SecurityHostFixture fixture)
{
    private SecurityHost Host => fixture.Host;

    [Fact]
    public async Task SignInPage_Get_ServesSelfContainedForm()
    {
        using var client = Host.CreateClient();

        using var response = await client.GetAsync("/signin?returnUrl=/dashboard/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form method=\"post\" action=\"/signin\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"key\" type=\"password\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"returnUrl\" value=\"/dashboard/\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_OperatorKey_SetsHttpOnlyStrictCookieThatOpensDashboard()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateClient();

        using var response = await client.SendAsync(SignInRequest(op.Key, "/dashboard/"));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.StartsWith("riskmesh.session=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain("secure", attributes);
        Assert.DoesNotContain(op.Key, setCookie, StringComparison.Ordinal);

        var cookie = setCookie.Split(';')[0];
        using var page = await client.SendAsync(Get("/dashboard/", cookie, "text/html"));
        using var data = await client.SendAsync(Get("/dashboard/ClusterStats", cookie, "application/json"));
        using var probe = await client.SendAsync(Get(SecurityHost.PolicyProbe(RiskMeshPolicies.Operator), cookie, "application/json"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.Contains(op.Id, await probe.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongKey_RerendersPageWithErrorAnd401()
    {
        using var client = Host.CreateClient();

        using var response = await client.SendAsync(SignInRequest("rmk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/dashboard/"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not valid", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task SignIn_CrossSitePost_RefusedWithoutCookie()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateClient();
        var request = SignInRequest(op.Key, "/dashboard/");
        request.Headers.Remove("Sec-Fetch-Site");
        request.Headers.Remove("Origin");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        request.Headers.Add("Origin", "https://attacker.example");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("//attacker.example/")]
    [InlineData("https://attacker.example/")]
    [InlineData("/\\attacker.example")]
    public async Task SignIn_ForeignReturnUrl_RedirectsToConsoleHomeInstead(string returnUrl)
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateClient();

        using var response = await client.SendAsync(SignInRequest(op.Key, returnUrl));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignOut_Get_OnlyShowsAButton_TheSessionGoesOn()
    {
        var (client, cookie) = await SignedInAsync();

        using var page = await client.SendAsync(Get("/signout", cookie, "text/html"));
        var html = await page.Content.ReadAsStringAsync();
        using var after = await client.SendAsync(Get("/api/v1/me", cookie, "application/json"));

        // A link or an image on another site reaches this with a GET: it must not sign anyone out (logout CSRF).
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form method=\"post\" action=\"/signout\">", html, StringComparison.Ordinal);
        Assert.False(page.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Theory]
    [InlineData("cross-site", "https://evil.example")]
    [InlineData(null, "https://evil.example")]
    [InlineData("same-site", null)]
    public async Task SignOut_PostFromAnotherSite_Refused403_TheSessionGoesOn(string? fetchSite, string? origin)
    {
        var (client, cookie) = await SignedInAsync();

        // No cookie: a browser does not send a SameSite=Strict cookie with another site's post, but it would obey the
        // answer's Set-Cookie that deletes it. (With the cookie, the general cross-site check refuses it earlier.)
        var request = new HttpRequestMessage(HttpMethod.Post, "/signout");
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        using var after = await client.SendAsync(Get("/api/v1/me", cookie, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Cross-site sign-out refused", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SignOut_PostFromTheSite_ExpiresCookieAndReturnsToSignIn()
    {
        var (client, cookie) = await SignedInAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/signout");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));

        using var response = await client.SendAsync(request);
        using var after = await client.SendAsync(Get("/api/v1/me", cookie, "application/json"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("riskmesh.session=;", setCookie, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Session_KeyRevokedAfterSignIn_SessionEnds()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateClient();
        using var signIn = await client.SendAsync(SignInRequest(op.Key, "/dashboard/"));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var admin = Host.CreateClient(Host.AdminKey);

        using var revoke = await admin.DeleteAsync($"/api/v1/keys/{op.Id}");
        using var page = await client.SendAsync(Get("/dashboard/", cookie, "text/html"));

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin?returnUrl=/dashboard/", page.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Session_ForgedCookie_Returns401()
    {
        using var client = Host.CreateClient();

        using var response = await client.SendAsync(Get(SecurityHost.PolicyProbe(RiskMeshPolicies.Analyst), "riskmesh.session=Zm9yZ2Vk", "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_AgainWhileSignedIn_FromTheSitesOwnFormWithOriginNull_SignsInWithTheNewKey()
    {
        // Switching keys on a shared browser: the sign-in page's no-referrer policy makes Chromium send "Origin: null"
        // with its form, beside "Sec-Fetch-Site: same-origin", which the browser sets and no page can forge.
        var (client, cookie) = await SignedInAsync();
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        var request = SignInRequest(op.Key, "/");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", "null");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie")).Split(';')[0];
        using var probe = await client.SendAsync(Get(SecurityHost.PolicyProbe(RiskMeshPolicies.Operator), session, "application/json"));
        Assert.Contains(op.Id, await probe.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(HttpClient Client, string Cookie)> SignedInAsync()
    {
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        var client = Host.CreateClient();
        using var signIn = await client.SendAsync(SignInRequest(analyst.Key, "/"));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        return (client, signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
    }

    internal static HttpRequestMessage SignInRequest(string key, string returnUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = returnUrl }),
        };

        // What a browser sends for a form on the page itself.
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        return request;
    }

    internal static HttpRequestMessage Get(string path, string cookie, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Accept", accept);
        return request;
    }
}
