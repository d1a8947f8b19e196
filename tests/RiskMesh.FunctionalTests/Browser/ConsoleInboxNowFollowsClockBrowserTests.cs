using System.Globalization;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The inbox's "now" panel follows what is in force now when no notice comes with the change: it was read only when a
/// notice arrived, so a clock move that issued none left it on the day before for as long as the page stayed open (a CI
/// run of the inbox picture: still the day before 45 s after the clock moved).
/// </summary>
public sealed class ConsoleInboxNowFollowsClockBrowserTests
{
    // The page reads the panel again every 10 s: three periods are ample on a busy machine, and far below "never".
    private const float PanelWaitMs = 30_000;

    [Fact]
    public async Task Inbox_NowPanel_ReachesTheClocksNewDayAndScore_WithoutANotice()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        var first = new DateOnly(2020, 4, 20);
        await host.SetClockAsync(first);
        // Imported cases isolated in the city: a score of its own, under the default plan's first threshold.
        await host.ReportImportedCasesAsync("mohe", first, 1);
        var before = await host.Admin.GetJsonAsync("/api/v1/cities/mohe");
        Assert.Equal("2020-04-20", before.Text("asOf"));

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/notices");
        await watched.SignInAsync(await host.CreateResponderKeyAsync("mohe"));
        await watched.WaitForConsoleAsync("/notices");
        await page.Locator(".live[data-live='true']").WaitForAsync();
        var now = page.Locator("[data-now='mohe']");
        await now.Locator("h2", new() { HasTextString = "(as of 2020-04-20)" }).WaitForAsync();

        // The clock's next day, and a report of that day: the city's view moves, no level changes, no notice is issued.
        await host.SetClockAsync(first.AddDays(1));
        await host.ReportImportedCasesAsync("mohe", first.AddDays(1), 2);
        var after = await host.Admin.GetJsonAsync("/api/v1/cities/mohe");
        Assert.Equal("2020-04-21", after.Text("asOf"));
        Assert.NotEqual(before.GetProperty("score").GetDouble(), after.GetProperty("score").GetDouble());
        Assert.Empty(await host.Admin.NoticesAsync("mohe"));

        // The panel reaches the new day and its score (polled by Playwright up to the timeout, never a sleep).
        await now.Locator("h2", new() { HasTextString = "(as of 2020-04-21)" }).WaitForAsync(new() { Timeout = PanelWaitMs });
        await now.Locator("p.now-scores", new() { HasTextString = $"City score {after.GetProperty("score").GetDouble().ToString("F1", CultureInfo.InvariantCulture)}," }).WaitForAsync(new() { Timeout = PanelWaitMs });
        Assert.Equal(0, await page.Locator("li.notice").CountAsync());
        await watched.ScreenshotAsync("console-inbox-now-next-day.png");
        watched.AssertClean();
    }
}
