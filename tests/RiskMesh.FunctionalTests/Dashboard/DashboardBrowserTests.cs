using System.Text;
using Microsoft.Playwright;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Browser;
using RiskMesh.FunctionalTests.Security;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Dashboard;

/// <summary>The dashboard in a real headless Chromium, signed in the way an operator would.</summary>
[Collection(SecurityHostCollection.Name)]
public sealed class DashboardBrowserTests(SecurityHostFixture fixture, ITestOutputHelper output)
{
    private SecurityHost Host => fixture.Host;

    [Fact]
    public async Task Chromium_OperatorSignsInThroughForm_DashboardShowsRiskMeshGrains()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator, label: "chromium operator");
        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(Host.BaseAddress, new BrowserNewContextOptions { ViewportSize = new() { Width = 1400, Height = 900 } });
        var page = watched.Page;

        await page.GotoAsync("/dashboard/");
        await watched.WaitForPathAsync("/signin");
        var returnUrl = await page.EvaluateAsync<string>("new URLSearchParams(location.search).get('returnUrl')");
        await watched.ScreenshotAsync("signin.png");
        await watched.SignInAsync(op.Key);
        await watched.WaitForPathAsync("/dashboard/");
        await page.WaitForFunctionAsync("document.body.innerText.includes('TOTAL ACTIVATIONS')");
        await OpenGrainsViewAsync(page);
        var text = await page.EvaluateAsync<string>("document.body.innerText");
        var scriptSeesCookie = await page.EvaluateAsync<bool>("document.cookie.includes('riskmesh.session')");
        var png = await watched.ScreenshotAsync("dashboard-signed-in.png");
        output.WriteLine($"dashboard screenshot: {png.Length} bytes");

        Assert.Equal("/dashboard/", returnUrl);
        Assert.Contains("ApiKeyGrain", text, StringComparison.Ordinal);
        Assert.False(scriptSeesCookie, "the session cookie is HttpOnly");
        AssertPng(png);
        Assert.Empty(watched.ForeignRequests);
    }

    [Fact]
    public async Task Chromium_BasicCredentials_DashboardLoadsItsData()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator, label: "chromium basic");
        await using var browser = await HeadlessChromium.LaunchAsync();

        // What a browser sends once a person has answered its Basic prompt: the credentials on every request, the page's data calls included.
        await using var watched = await browser.NewPageAsync(Host.BaseAddress, new BrowserNewContextOptions
        {
            ViewportSize = new() { Width = 1400, Height = 900 },
            ExtraHTTPHeaders = new Dictionary<string, string>
            {
                ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + op.Key)),
            },
        });
        var page = watched.Page;
        await page.GotoAsync("/dashboard/");
        await page.WaitForFunctionAsync("location.pathname === '/dashboard/' && document.body.innerText.includes('TOTAL ACTIVATIONS')");
        await OpenGrainsViewAsync(page);
        var png = await watched.ScreenshotAsync("dashboard-basic.png");

        AssertPng(png);
    }

    private static async Task OpenGrainsViewAsync(IPage page)
    {
        // The overview shows runtime totals; the Grains view lists activations by grain type, RiskMesh's included.
        await page.EvaluateAsync("[...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Grains').click()");
        await page.WaitForFunctionAsync("document.body.innerText.includes('ApiKeyGrain') && document.body.innerText.includes('ApiKeyDirectoryGrain')");
    }

    private static void AssertPng(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4).ToArray());

        // A blank or error page compresses to a few kilobytes; the rendered dashboard is far larger.
        Assert.True(png.Length > 30_000, $"screenshot has only {png.Length} bytes");
    }
}
