using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A response team's IT person manages its own cities' webhooks on the console's Webhooks page, as the API lets its
/// responder key (api20): the page was the operators' alone, so the team used curl, and the test message's link led to
/// a page its key could not open. Only the key's cities: the picker lists them alone, and another city's page says so.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleResponderWebhooksBrowserTests(ConsoleFixture fixture)
{
    // Cities no other console test sets webhooks for; in topology order, so the page opens on the first.
    private static readonly string[] TeamCities = ["fuyuan", "mohe"];

    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task Responder_ListsSetsTestsAndClearsItsOwnCitiesWebhooks_SecretNeverShownBack_AnotherCitySaidNotTheirs()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        const string secret = "team-relay-secret-5678";
        await using var watched = await fixture.OpenWithKeyAsync(await fixture.KeyAsync("responder", TeamCities), "/notices");
        var page = watched.Page;

        // Reached from the navigation; the picker offers the key's cities and no other.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await watched.WaitForConsoleAsync("/webhooks");
        var picker = page.GetByLabel("City");
        Assert.Equal(TeamCities, await picker.Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        Assert.Equal("fuyuan", await picker.InputValueAsync());
        await picker.SelectOptionAsync("mohe");
        await page.Locator("form[data-city='mohe']").WaitForAsync();

        // A mistake is refused with the API's own words, and nothing is saved.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await page.GetByLabel("URL").Last.FillAsync(receiver.UrlOf("mohe"));
        await page.GetByLabel("Secret").Last.FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save webhooks" }).ClickAsync();
        var refusal = page.Locator("form .error[role=alert]");
        await refusal.WaitForAsync();
        using var sameMistake = await Host.Admin.PutAsJsonAsync("/api/v1/cities/mohe/webhooks", new[] { new { url = receiver.UrlOf("mohe"), secret = "short" } });
        var problem = JsonDocument.Parse(await sameMistake.Content.ReadAsStringAsync()).RootElement;
        var said = await refusal.InnerTextAsync();
        Assert.Contains(problem.Text("title")!, said, StringComparison.Ordinal);
        Assert.Contains(problem.Text("detail")!, said, StringComparison.Ordinal);
        Assert.Equal(0, (await Host.Admin.GetJsonAsync("/api/v1/cities/mohe/webhooks")).GetArrayLength());

        // Set, then a signed test send; its link is this page, which the team's key opens.
        await page.GetByLabel("Secret").Last.FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save webhooks" }).ClickAsync();
        await page.GetByText("Saved 1 webhook for mohe").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await page.Locator(".test-results li.ok").WaitForAsync();
        await receiver.WaitUntilAsync(r => r.Any(x => x.Path == "/hooks/mohe"), TimeSpan.FromSeconds(30), "the test send");
        var delivery = receiver.AcceptedAt("/hooks/mohe").Single();
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), delivery.Body)), delivery.Headers["X-RiskMesh-Signature"]);
        var link = JsonDocument.Parse(delivery.Body).RootElement.Text("url")!;
        Assert.Equal("/webhooks?city=mohe", link);

        // Listed again from the link: the secret is never shown back, only its mask, beside an empty box.
        await page.GotoAsync(link);
        await watched.WaitForConsoleAsync("/webhooks");
        Assert.Equal("mohe", await picker.InputValueAsync());
        Assert.Equal(receiver.UrlOf("mohe"), await page.GetByLabel("URL").InputValueAsync());
        var firstSecret = page.GetByLabel("Secret");
        Assert.Equal("", await firstSecret.InputValueAsync());
        Assert.Contains("The saved secret (****5678) is never shown back", await page.Locator(".hook").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // A second webhook: saving the list needs the first one's secret again, and the page says so before sending
        // (the mask sent back as the secret was refused as "got 8" characters).
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await page.GetByLabel("URL").Last.FillAsync(receiver.UrlOf("mohe-duty"));
        await page.GetByLabel("Secret").Last.FillAsync("duty-phone-secret-0001");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save webhooks" }).ClickAsync();
        Assert.Contains($"Type the secret again for {receiver.UrlOf("mohe")} (saved secret ****5678)", await page.Locator("form [role=alert]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("true", await firstSecret.First.GetAttributeAsync("aria-invalid"));
        Assert.Equal(1, (await Host.Admin.GetJsonAsync("/api/v1/cities/mohe/webhooks")).GetArrayLength());
        await watched.ScreenshotAsync("console-responder-webhooks.png", fullPage: true);
        await firstSecret.First.FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save webhooks" }).ClickAsync();
        await page.GetByText("Saved 2 webhooks for mohe").WaitForAsync();
        Assert.Equal(2, (await Host.Admin.GetJsonAsync("/api/v1/cities/mohe/webhooks")).GetArrayLength());

        // Cleared.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save webhooks" }).ClickAsync();
        await page.GetByText("Saved 0 webhooks for mohe").WaitForAsync();
        Assert.Equal(0, (await Host.Admin.GetJsonAsync("/api/v1/cities/mohe/webhooks")).GetArrayLength());

        // Another city's page says plainly it is not theirs, names theirs, and asks the API nothing.
        await page.GotoAsync("/webhooks?city=ruili");
        await watched.WaitForConsoleAsync("/webhooks");
        Assert.Equal(
            "The webhooks of Ruili (ruili) are not this key's to manage: it is a responder key for Fuyuan (fuyuan), Mohe (mohe).",
            await page.Locator("main [role=alert]").InnerTextAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Save webhooks" }).CountAsync());
        Assert.Equal(0, await page.GetByLabel("City").CountAsync());
        Assert.Equal(2, await page.Locator("main a[href^='/webhooks?city=']").CountAsync());

        // The refused save is a 400 the page shows; Chromium logs it as a failed load. No 403: ruili was never asked.
        watched.AssertClean("status of 400");
    }
}
