using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Dashboard;
using RiskMesh.FunctionalTests.Security;

namespace RiskMesh.FunctionalTests.Dashboard;

/// <summary>The Orleans dashboard is made when an operator first asks for it, not as the host starts (its files are 21 MB in memory).</summary>
public sealed class DashboardDeferredTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-dashboard-deferred-" + Guid.NewGuid().ToString("N"));
    private SecurityHost? _host;

    private SecurityHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await SecurityHost.StartAsync(_dataDirectory);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        SecurityHostFixture.TryDelete(_dataDirectory);
    }

    [Fact]
    public async Task Dashboard_NotMadeAtStartNorForARefusedRequest_MadeAndServedForTheFirstOperator()
    {
        var dashboard = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(endpoint => endpoint.Metadata.GetMetadata<DeferredDashboard>()).Single(d => d is not null)!;
        Assert.False(dashboard.IsMade);

        using var anonymous = Host.CreateClient();
        using var refused = await anonymous.GetAsync("/dashboard/index.min.js");
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var analystClient = Host.CreateClient(analyst.Key);
        using var forbidden = await analystClient.GetAsync("/dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.False(dashboard.IsMade);

        var operatorKey = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateBasicClient(operatorKey.Key);
        using var script = await client.GetAsync("/dashboard/index.min.js");
        using var bare = await client.GetAsync("/dashboard");
        using var page = await client.GetAsync("/dashboard/");
        using var font = await client.GetAsync("/dashboard/fonts/no-such-font.woff2");
        using var unknown = await client.GetAsync("/dashboard/no-such-page");

        Assert.True(dashboard.IsMade);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000);
        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.Equal("/dashboard/", bare.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("index.min.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, font.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
