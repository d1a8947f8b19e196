using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Review 19 M2: a port told above its city at level 4 that stepped down to 3, still above the city, read in the console
/// as a rise ("Port above city · Hekou road port at level 3 (high), above … at level 1") on its card, its page, the
/// every-city table and the "superseded by" link of the notice it replaced, so a team kept level 4's port measures.
/// Each now says it stepped down and from which level, by the plan's names, as the API's summary and the CLI do.
/// </summary>
public sealed class ConsolePortStepDownBrowserTests
{
    private const string StepDown = "Port above city · Hekou road port stepped down from level 4 (very high) to level 3 (high), still above Hekou Yao Autonomous County at level 1 (normal vigilance)";

    private const string NotAnAllClear = "Not an all-clear: the lower level rests on incomplete data. No port score: neither the port nor the countries it faces have reported recently";

    [Fact]
    public async Task PortSteppedDown_CardPageTableAndSupersededLink_SayItSteppedDownFromTheNamedLevel_ARiseStillReadsAsOne()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        // The road port at 4 above Hekou (PortNoLongerAboveCityTests' days), then 81 days without data: the city steps
        // down to 1 and the port, losing its score, steps down to 3 and 2 above it before standing at the city's level.
        await host.RaiseHekouRoadPortAboveItsCityAsync();
        await host.SetClockAsync("2020-08-30");
        var portNotices = (await host.Admin.NoticesAsync("hekou")).Where(n => n.Text("kind") == "port-above-city").ToList();
        var rise = portNotices.Single(n => !n.TryGetProperty("portSteppedDownFrom", out _));
        var toThree = portNotices.Single(n => n.TryGetProperty("portSteppedDownFrom", out var from) && from.GetInt32() == 4);
        var (riseId, stepId) = (rise.Text("id")!, toThree.Text("id")!);
        Assert.Equal(stepId, rise.Text("supersededBy"));

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("hekou"));
        var page = watched.Page;

        // The inbox's card; the rise before it still reads as a rise.
        var card = page.Locator($"li[data-notice='{stepId}']");
        await card.WaitForAsync();
        Assert.Equal(StepDown, await card.Locator("h3").InnerTextAsync());
        // It stepped down because its data ran out: no all-clear, as a city's step down on no score (newcomer 24b H1).
        Assert.StartsWith(NotAnAllClear, await card.Locator("p.quality-warning").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(
            "Port above city · Hekou road port at level 4 (very high), above Hekou Yao Autonomous County at level 3 (high)",
            await page.Locator($"li[data-notice='{riseId}'] h3").InnerTextAsync());
        // The whole page is pictured: no scroll to the card, whose element the inbox may draw anew when its stream's
        // first clock event arrives (a CI rehearsal failed with "Element is not attached to the DOM" on that scroll).
        await watched.ScreenshotAsync("console-inbox-port-stepped-down.png", fullPage: true);

        // The replaced notice's page names its successor by what it says.
        await page.GotoAsync($"/notices/hekou/{riseId}");
        await watched.WaitForConsoleAsync($"/notices/hekou/{riseId}");
        var replaced = page.Locator("p.superseded a");
        await replaced.WaitForAsync();
        Assert.Equal(StepDown, await replaced.InnerTextAsync());

        // The step down's own page: the heading, and the level it stepped from beside the port's and the city's.
        await page.GotoAsync($"/notices/hekou/{stepId}");
        await watched.WaitForConsoleAsync($"/notices/hekou/{stepId}");
        var heading = page.Locator("article.notice-page h1");
        await heading.WaitForAsync();
        Assert.Equal(StepDown, await heading.InnerTextAsync());
        Assert.Equal("level 3 (high)", await page.Locator("dd[data-level='port']").InnerTextAsync());
        Assert.Equal("level 4 (very high): stand the port's measures down to level 3 (high)'s", await page.Locator("dd[data-level='port-before']").InnerTextAsync());
        Assert.StartsWith(NotAnAllClear, await page.Locator("article.notice-page p.quality-warning").InnerTextAsync(), StringComparison.Ordinal);
        await watched.ScreenshotAsync("console-notice-port-stepped-down.png", fullPage: true);
        watched.AssertClean();

        // The every-city table.
        await using var analyst = await browser.OpenSignedInAsync(host.BaseAddress, "/notices?from=2020-06-01&to=2020-08-30&city=hekou", await host.CreateKeyAsync("analyst"));
        var row = analyst.Page.Locator($"table.all-notices tr[data-notice='{stepId}'] td:nth-child(3)");
        await row.WaitForAsync();
        Assert.StartsWith(StepDown, await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith(NotAnAllClear, await row.Locator("p.quality-warning").InnerTextAsync(), StringComparison.Ordinal);
        await analyst.ScreenshotAsync("console-analyst-port-stepped-down.png", fullPage: true);
        analyst.AssertClean();
    }
}
