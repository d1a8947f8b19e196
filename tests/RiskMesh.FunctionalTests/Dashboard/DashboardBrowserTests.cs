using System.Text;
using System.Text.Json.Nodes;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Security;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Dashboard;

/// <summary>The dashboard in a real headless Chromium, signed in the way an operator would.</summary>
[Collection(SecurityHostCollection.Name)]
public sealed class DashboardBrowserTests(SecurityHostFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(45);

    private SecurityHost Host => fixture.Host;

    [Fact]
    public async Task Chromium_OperatorSignsInThroughForm_DashboardShowsRiskMeshGrains()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator, label: "chromium operator");
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();

        await page.NavigateAsync(new Uri(Host.BaseAddress, "/dashboard/").ToString());
        await page.WaitUntilAsync("location.pathname === '/signin' && document.forms.length === 1", PageTimeout);
        var returnUrl = await page.EvaluateAsync("new URLSearchParams(location.search).get('returnUrl')");
        SaveScreenshot("signin.png", await page.ScreenshotAsync());
        await page.EvaluateAsync($"document.getElementById('key').value = '{op.Key}'; document.forms[0].submit(); true");
        await page.WaitUntilAsync("location.pathname === '/dashboard/' && document.body.innerText.includes('TOTAL ACTIVATIONS')", PageTimeout);
        await OpenGrainsViewAsync(page);
        var text = (await page.EvaluateAsync("document.body.innerText")).GetString()!;
        var scriptSeesCookie = (await page.EvaluateAsync("document.cookie.includes('riskmesh.session')")).GetBoolean();
        var png = await page.ScreenshotAsync();
        var file = SaveScreenshot("dashboard-signed-in.png", png);

        Assert.Equal("/dashboard/", returnUrl.GetString());
        Assert.Contains("ApiKeyGrain", text, StringComparison.Ordinal);
        Assert.False(scriptSeesCookie, "the session cookie is HttpOnly");
        AssertPng(png, file);
    }

    [Fact]
    public async Task Chromium_BasicCredentials_DashboardLoadsItsData()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator, label: "chromium basic");
        await using var browser = await ChromiumBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();

        // What a browser sends once a person has answered its Basic prompt: the credentials on every request, the page's data calls included.
        await page.SendAsync("Network.enable");
        await page.SendAsync("Network.setExtraHTTPHeaders", new JsonObject
        {
            ["headers"] = new JsonObject { ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + op.Key)) },
        });
        await page.NavigateAsync(new Uri(Host.BaseAddress, "/dashboard/").ToString());
        await page.WaitUntilAsync("location.pathname === '/dashboard/' && document.body.innerText.includes('TOTAL ACTIVATIONS')", PageTimeout);
        await OpenGrainsViewAsync(page);
        var png = await page.ScreenshotAsync();
        var file = SaveScreenshot("dashboard-basic.png", png);

        AssertPng(png, file);
    }

    private static async Task OpenGrainsViewAsync(ChromiumPage page)
    {
        // The overview shows runtime totals; the Grains view lists activations by grain type, RiskMesh's included.
        await page.EvaluateAsync("[...document.querySelectorAll('a')].find(a => a.textContent.trim() === 'Grains').click(); true");
        await page.WaitUntilAsync("document.body.innerText.includes('ApiKeyGrain') && document.body.innerText.includes('ApiKeyDirectoryGrain')", PageTimeout);
    }

    private string SaveScreenshot(string name, byte[] png)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, name);
        File.WriteAllBytes(file, png);
        output.WriteLine($"Screenshot: {file}");
        return file;
    }

    private static void AssertPng(byte[] png, string file)
    {
        Assert.True(File.Exists(file));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4).ToArray());

        // A blank or error page compresses to a few kilobytes; the rendered dashboard is far larger.
        Assert.True(png.Length > 30_000, $"screenshot has only {png.Length} bytes");
    }
}
