using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Security;

namespace RiskMesh.FunctionalTests.Dashboard;

[Collection(SecurityHostCollection.Name)]
public sealed class DashboardAccessTests(SecurityHostFixture fixture)
{
    private SecurityHost Host => fixture.Host;

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard")]
    public async Task Dashboard_BrowserWithoutCredentials_RedirectedToSignIn(string path)
    {
        using var client = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?returnUrl=/dashboard/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/dashboard/ClusterStats")]
    [InlineData("/dashboard/GrainTypes")]
    [InlineData("/dashboard/index.min.js")]
    [InlineData("/dashboard/Trace")]
    public async Task Dashboard_ScriptOrDataWithoutCredentials_Returns401Problem(string path)
    {
        using var client = Host.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("admin")]
    public async Task Dashboard_BasicAuthWithOperatorOrAdminKey_ServesPageScriptAndData(string role)
    {
        var key = await KeyClient.IssueAsync(Host, role);
        using var client = Host.CreateBasicClient(key.Key);

        using var page = await client.GetAsync("/dashboard/");
        using var script = await client.GetAsync("/dashboard/index.min.js");
        using var types = await client.GetAsync("/dashboard/GrainTypes");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("index.min.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal(HttpStatusCode.OK, types.StatusCode);
        var grainTypes = await types.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(grainTypes.EnumerateArray(), t => t.ToString().Contains("ApiKeyGrain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_AnalystKey_Refused403()
    {
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var client = Host.CreateBasicClient(analyst.Key);
        using var browserRequest = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        browserRequest.Headers.Add("Accept", "text/html");

        using var data = await client.GetAsync("/dashboard/ClusterStats");
        using var page = await client.SendAsync(browserRequest);

        Assert.Equal(HttpStatusCode.Forbidden, data.StatusCode);
        Assert.Equal("application/problem+json", data.Content.Headers.ContentType?.MediaType);
        var problem = await data.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'analyst'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains(analyst.Id, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feed")]
    [InlineData("responder")]
    public async Task Dashboard_OtherNonOperatorRoles_Refused403(string role)
    {
        var key = await KeyClient.IssueAsync(Host, role, role == ApiKeyRoles.Responder ? ["suifenhe"] : null);
        using var client = Host.CreateClient(key.Key);

        using var response = await client.GetAsync("/dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
