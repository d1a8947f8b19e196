using System.Net.Http.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// After the April replay, live, then the clock back to 20 April, Suifenhe's steps down of May are dated after the
/// clock's day (the API's aheadOfClock): not in force. The inbox listed the one to level 1 first among the current
/// notices, above the escalation to level 4 that is in force, and the notice page and the analysts' page said nothing
/// (review 14). They now stand apart in the inbox, and each card, the notice page and the analysts' row say so.
/// </summary>
public sealed class ConsoleAheadOfClockBrowserTests
{
    private const string ClockDay = "2020-04-20";
    private const string NotInForce = $"Dated after the clock's day ({ClockDay}): not in force";

    [Fact]
    public async Task ClockMovedBack_NoticesDatedAfterIt_StandApartInTheInbox_AndSayNotInForceOnCardPageAndAnalystsRow()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await ConsoleFixture.ReplayScenarioAsync(host);

        var live = await host.Admin.PostAsJsonAsync("/api/v1/clock", new { mode = "live" });
        Assert.True(live.IsSuccessStatusCode, await live.Content.ReadAsStringAsync());
        await host.SetClockAsync(ClockDay);

        var open = await host.Admin.NoticesAsync("suifenhe", "open");
        var ahead = open.Where(n => n.TryGetProperty("aheadOfClock", out _)).Select(n => n.Text("id")!).ToHashSet();
        var current = open.Where(n => !n.TryGetProperty("aheadOfClock", out _) && n.Text("supersededBy") is null).Select(n => n.Text("id")!).ToHashSet();
        Assert.NotEmpty(ahead);
        var inForce = open.Single(n => n.Text("date") == "2020-04-16" && n.Text("kind") == "escalation");
        Assert.Contains(inForce.Text("id")!, current);

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("suifenhe"));
        var page = watched.Page;
        await page.Locator("[data-now='suifenhe']").WaitForAsync();

        // The current ones: the escalation to level 4 among them, none dated after the clock's day.
        var openCards = await page.Locator("ul[aria-label='Open notices'] li[data-notice]").EvaluateAllAsync<string[]>("lis => lis.map(li => li.dataset.notice)");
        Assert.Equal(current.Order(), openCards.Order());
        Assert.Equal(0, await page.Locator("ul[aria-label='Open notices'] .ahead-of-clock").CountAsync());

        // Apart, under their own heading, each card saying why.
        var apart = page.Locator("section.ahead-notices");
        Assert.True(await apart.IsVisibleAsync());
        Assert.Contains($"Dated after the clock's day (not in force) ({ahead.Count})", await apart.Locator("h2").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("The clock was moved back", await apart.InnerTextAsync(), StringComparison.Ordinal);
        var apartCards = await apart.Locator("li[data-notice]").EvaluateAllAsync<string[]>("lis => lis.map(li => li.dataset.notice)");
        Assert.Equal(ahead.Order(), apartCards.Order());
        var cardLines = await apart.Locator("li[data-notice] .ahead-of-clock").AllInnerTextsAsync();
        Assert.Equal(ahead.Count, cardLines.Count);
        Assert.All(cardLines, l => Assert.Equal(NotInForce, l));
        await watched.ScreenshotAsync("console-inbox-ahead-of-clock.png", fullPage: true);

        // The notice's own page says it first.
        var first = ahead.Order(StringComparer.Ordinal).First();
        await page.GotoAsync($"/notices/suifenhe/{first}");
        await watched.WaitForConsoleAsync($"/notices/suifenhe/{first}");
        var said = page.Locator("article.notice-page .ahead-of-clock");
        await said.WaitForAsync();
        Assert.Equal(NotInForce, await said.InnerTextAsync());
        await watched.ScreenshotAsync("console-notice-ahead-of-clock.png", fullPage: true);
        watched.AssertClean();

        // The analysts' page: a marker in the status cell of those rows only.
        await using var analyst = await browser.OpenSignedInAsync(host.BaseAddress, "/notices?from=2020-04-01&to=2020-05-31&city=suifenhe", await host.CreateKeyAsync("analyst"));
        await analyst.Page.Locator("table.all-notices tbody tr[data-notice]").First.WaitForAsync();
        var marked = await analyst.Page.Locator("table.all-notices tr[data-notice]:has(td .ahead-of-clock)").EvaluateAllAsync<string[]>("trs => trs.map(tr => tr.dataset.notice)");
        var everyAhead = (await host.Admin.NoticesAsync("suifenhe")).Where(n => n.TryGetProperty("aheadOfClock", out _)).Select(n => n.Text("id")!);
        Assert.Equal(everyAhead.Order(), marked.Order());
        Assert.Equal(NotInForce, await analyst.Page.Locator($"tr[data-notice='{first}'] td:nth-child(5) .ahead-of-clock").InnerTextAsync());
        await analyst.ScreenshotAsync("console-analyst-notices-ahead-of-clock.png", fullPage: true);
        analyst.AssertClean();
    }
}
