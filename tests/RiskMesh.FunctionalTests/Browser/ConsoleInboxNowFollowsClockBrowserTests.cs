using System.Globalization;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The inbox's "now" panel follows what is in force now when no notice comes with the change: it was read only when a
/// notice arrived, so a clock move that issued none left it on the day before for as long as the page stayed open (a CI
/// run of the inbox picture: still the day before 45 s after the clock moved). The clock's move now comes on the city's
/// notice stream and the panel is read at once; a report that moves the score and issues no notice is read by the
/// page's slow read, once a minute.
/// </summary>
/// <remarks>
/// The page's timers run on Playwright's clock, paused: nothing but the stream's clock event can move the panel to the
/// new day, and the minute's read happens when the test runs the clock on by a minute, not after a real minute.
/// </remarks>
public sealed class ConsoleInboxNowFollowsClockBrowserTests
{
    // The push arrives in milliseconds; a loaded machine's page takes a few seconds to read and draw the city.
    private const float PushWaitMs = 15_000;

    [Fact]
    public async Task Inbox_NowPanel_MovesToTheClocksNewDayAtOnce_AndToAReportsScoreWithinAMinute_WithoutANotice()
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
        var start = DateTime.UtcNow;
        await page.Clock.InstallAsync(new() { TimeDate = start });
        await page.Clock.PauseAtAsync(start.AddSeconds(1));
        await page.GotoAsync("/notices");
        await watched.SignInAsync(await host.CreateResponderKeyAsync("mohe"));
        await watched.WaitForConsoleAsync("/notices");
        await page.Locator(".live[data-live='true']").WaitForAsync();
        var now = page.Locator("[data-now='mohe']");
        await now.Locator("h2", new() { HasTextString = "(as of 2020-04-20)" }).WaitForAsync();

        // The clock's next day: the city's view moves, no notice is issued; the stream says so and the panel follows.
        await host.SetClockAsync(first.AddDays(1));
        var moved = await host.Admin.GetJsonAsync("/api/v1/cities/mohe");
        Assert.Equal("2020-04-21", moved.Text("asOf"));
        await now.Locator("h2", new() { HasTextString = "(as of 2020-04-21)" }).WaitForAsync(new() { Timeout = PushWaitMs });
        await now.Locator("p.now-scores", new() { HasTextString = $"City {Band(moved)}" }).WaitForAsync(new() { Timeout = PushWaitMs });
        Assert.Empty(await host.Admin.NoticesAsync("mohe"));

        // A report of that day: the score moves, no level changes, no notice is issued, the clock stays. The minute's read.
        await host.ReportImportedCasesAsync("mohe", first.AddDays(1), 2);
        var after = await host.Admin.GetJsonAsync("/api/v1/cities/mohe");
        Assert.NotEqual(moved.GetProperty("score").GetDouble(), after.GetProperty("score").GetDouble());
        Assert.Empty(await host.Admin.NoticesAsync("mohe"));
        await page.Clock.RunForAsync(60_000);
        await now.Locator("p.now-scores", new() { HasTextString = $"City {Band(after)}" }).WaitForAsync(new() { Timeout = PushWaitMs });
        Assert.Equal(0, await page.Locator("li.notice").CountAsync());
        await watched.ScreenshotAsync("console-inbox-now-next-day.png");
        watched.AssertClean();
    }

    // "score 12.3,": the panel's band of a city's view starts so.
    private static string Band(System.Text.Json.JsonElement view) =>
        $"score {RiskMesh.Scoring.Text.ScoreText.OneDecimal(view.GetProperty("score").GetDouble())},";
}
