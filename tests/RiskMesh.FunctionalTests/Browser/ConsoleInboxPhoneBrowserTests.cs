using System.Net.Http.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A response team on a phone sees its open notice and acknowledges it without scrolling (newcomer 24a M3: at 390×844
/// Ruili's open notice began 1.9 screens down and its Acknowledge button 3.3 screens down, under the "now" panel, and
/// the same 90-word testing paragraph stood on the panel and on every card).
/// </summary>
public sealed class ConsoleInboxPhoneBrowserTests
{
    [Theory]
    [InlineData(390, 844)]
    [InlineData(1280, 800)]
    public async Task Inbox_ShowsTheNewestOpenNoticesAcknowledgeOnTheFirstScreen_AndTodaysTestingCapacityOnce(int width, int height)
    {
        // Ruili after the April replay (its testing shortfall of 10 April), then 40 imported cases at Jiegao, 3 local
        // cases and 300 imported cases on 30 April, as the newcomer fed them: escalations to level 3 and 4, the port
        // above the city, local transmission. The shortfall acknowledged, so an acknowledged card stands below.
        await using var host = await RiskMeshHostFixture.StartAsync();
        await ConsoleFixture.ReplayScenarioAsync(host);
        await host.PostNdjsonAsync(["""{"id":"phone-jiegao","type":"case","location":"port:ruili","date":"2020-04-30","count":40,"classification":"imported-confirmed","origin":"MM","source":"phone-tests"}"""]);
        await host.PostNdjsonAsync(["""{"id":"phone-local","type":"case","location":"city:ruili","date":"2020-04-30","count":3,"classification":"local-confirmed","source":"phone-tests"}"""]);
        await host.PostNdjsonAsync(["""{"id":"phone-imported","type":"case","location":"city:ruili","date":"2020-04-30","count":300,"classification":"imported-confirmed","origin":"MM","source":"phone-tests"}"""]);
        var shortfall = (await host.Admin.NoticesAsync("ruili")).First(n => n.Text("kind") == "testing-shortfall");
        var ack = await host.Admin.PostAsJsonAsync($"/api/v1/cities/ruili/notices/{shortfall.Text("id")}/ack", new { comment = "kits asked for" });
        Assert.True(ack.IsSuccessStatusCode, await ack.Content.ReadAsStringAsync());
        var notices = await host.Admin.NoticesAsync("ruili");
        var current = notices.Where(n => n.Text("status") == "open" && n.Text("supersededBy") is null).OrderByDescending(n => n.GetProperty("sequence").GetInt64()).ToList();
        Assert.True(current.Count >= 2, $"expected several open notices still current, got {current.Count}");
        var today = (await host.Admin.GetJsonAsync("/api/v1/cities/ruili/capacity")).GetProperty("testingCapacity").Text("line")!;

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices/ruili", await host.CreateResponderKeyAsync("ruili"),
            new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = watched.Page;
        var newest = page.Locator($"ul[aria-label='Open notices'] li.notice[data-notice='{current[0].Text("id")}']");
        await newest.WaitForAsync();
        await page.Locator("[data-now='ruili'] p.testing-capacity").WaitForAsync();
        await watched.ScreenshotAsync($"console-inbox-first-screen-{width}.png");

        // The newest open notice is the first card, and its Acknowledge button lies within the first screen.
        Assert.Equal(current[0].Text("id"), await page.Locator("ul[aria-label='Open notices'] li.notice").First.GetAttributeAsync("data-notice"));
        Assert.Equal(0, await page.EvaluateAsync<double>("window.scrollY"));
        var button = await newest.Locator("form.ack button[type='submit']").BoundingBoxAsync();
        Assert.NotNull(button);
        Assert.True(button.Y + button.Height <= height, $"the Acknowledge button of {current[0].Text("id")} ends at y={button.Y + button.Height}, below the first screen ({height} px)");

        // Today's testing capacity is read once, on the panel; each card saying the same points to it.
        var text = await page.EvaluateAsync<string>("document.body.innerText");
        Assert.Equal(1, CountOf(text, today));
        foreach (var notice in notices.Where(n => n.GetProperty("testingCapacity").ValueKind == System.Text.Json.JsonValueKind.Object
            && n.GetProperty("testingCapacity").Text("line") == today))
        {
            var card = page.Locator($"li.notice[data-notice='{notice.Text("id")}']");
            Assert.Equal("Testing capacity that day: as today’s, in Ruili now.", await card.Locator("p.testing-capacity-same").InnerTextAsync());
        }

        await watched.ScreenshotAsync($"console-inbox-full-{width}.png", fullPage: true);
        watched.AssertClean();
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
