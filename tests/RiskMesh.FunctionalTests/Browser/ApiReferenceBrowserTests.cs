using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The API reference at <c>/reference</c> in headless Chromium: served by RiskMesh alone, nothing leaves the host
/// (no share/upload proxy, no SDK or deploy panels, no links to the vendor), the browser is told so by a content
/// security policy, and the page still works: a request sent from it reaches this API.
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class ApiReferenceBrowserTests(RiskMeshHostFixture host) : IAsyncLifetime
{
    private HeadlessChromium? _browser;

    public async Task InitializeAsync() => _browser = await HeadlessChromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reference_SignedIn_SendsNothingOffHost_HidesVendorTools_AndSendsARequestToThisApi()
    {
        await using var watched = await _browser!.NewPageAsync(host.BaseAddress);
        var page = watched.Page;

        await page.GotoAsync("/reference");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForPathAsync("/reference/");
        var response = await page.ReloadAsync();
        Assert.NotNull(response);

        // The browser is told to connect nowhere but here, and to run only this host's scripts.
        var policy = await response.HeaderValueAsync("content-security-policy");
        Assert.NotNull(policy);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("scalar.com", policy, StringComparison.Ordinal);

        // The reference renders: the events operation is listed.
        var operation = page.GetByText("/api/v1/events").First;
        await operation.WaitForAsync();

        // No vendor tools: no developer-tools bar (share/upload, SDK, deploy), no client button, no agent.
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var vendor in new[] { "Deploy", "Generate SDK", "Share", "Upload", "Ask AI", "Powered by" })
        {
            Assert.DoesNotContain(vendor, text, StringComparison.OrdinalIgnoreCase);
        }

        // Every visible link stays on this host.
        var foreignLinks = await page.Locator("a[href]").EvaluateAllAsync<string[]>(
            "els => els.filter(a => a.offsetParent !== null).map(a => a.href).filter(h => h.startsWith('http') && new URL(h).host !== location.host)");
        Assert.True(foreignLinks.Length == 0, "links off the host: " + string.Join(", ", foreignLinks));

        // The auth box holds nothing that looks like a key.
        var html = await page.ContentAsync();
        Assert.DoesNotContain("QUxMIFlPVVIgQkFTRSBBUkUgQkVMT05HIFRPIFVT", html, StringComparison.Ordinal);

        // The page still works: open the first operation's client (GET /api/v1/me), type the key, send; the request goes
        // to this host, directly (no proxy), and is answered.
        await page.GetByRole(AriaRole.Button, new() { Name = "Test Request" }).First.ClickAsync();
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send" }).First;
        await send.WaitForAsync();
        var answered = page.WaitForResponseAsync(r => new Uri(r.Url).AbsolutePath == "/api/v1/me" && r.Request.Method == "GET");
        await page.GetByLabel("Value").First.FillAsync(host.AdminKey);
        await send.ClickAsync();
        var answer = await answered;
        Assert.Equal(host.BaseAddress.Authority, new Uri(answer.Url).Authority);
        Assert.Equal(200, answer.Status);

        watched.AssertClean();
    }
}
