using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Closing note 22: a port told above its city states the city's level ("above Hekou … at level 1"); when a later
/// notice of the same day changed the city's level, the card and page read as if the city had stood at that level all
/// day. They now name the later change (<c>levelChangedLater</c>), as the shortfall's and local transmission's do.
/// </summary>
public sealed class ConsolePortNoticeLevelChangedLaterBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PortAboveTheCity_ThenTheCitysEscalationThatDay_CardAndPageNameTheLaterChange()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        // The road port's cases (ConsolePortStepDownBrowserTests' days) raise Hekou to 3 and its port to 4, above it; the
        // same day, Hekou's own local cases in a later batch escalate the city to 4.
        await host.RaiseHekouRoadPortAboveItsCityAsync();
        await host.PostNdjsonAsync(
        [
            """{"id":"hk-local","type":"case","location":"city:hekou","date":"2020-06-10","count":300,"classification":"local-confirmed","source":"l4"}""",
        ]);
        var notices = await host.Admin.NoticesAsync("hekou");
        output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
        var above = notices.First(n => n.Text("kind") == "port-above-city" && n.Text("date") == "2020-06-10");
        var later = above.GetProperty("levelChangedLater");
        var change = notices.Single(n => n.Text("id") == later.Text("by"));
        Assert.Equal("escalation", change.Text("kind"));
        Assert.NotEqual(above.GetProperty("previousLevel").GetInt32(), later.GetProperty("level").GetInt32());
        Assert.Equal(change.GetProperty("newLevel").GetInt32(), later.GetProperty("level").GetInt32());
        var (aboveId, changeId) = (above.Text("id")!, change.Text("id")!);
        var expected = $"City at level {above.GetProperty("previousLevel").GetInt32()} ({above.Text("previousLevelName")}) when issued; later that day {changeId} changed it to level {later.GetProperty("level").GetInt32()} ({later.Text("levelName")}).";

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("hekou"));
        var page = watched.Page;

        var line = page.Locator($"li[data-notice='{aboveId}'] p.level-changed-later");
        await line.WaitForAsync();
        Assert.Equal(expected, await line.InnerTextAsync());
        // A notice whose stated level no later notice changed has no such line.
        Assert.Equal(0, await page.Locator($"li[data-notice='{changeId}'] p.level-changed-later").CountAsync());

        await page.GotoAsync($"/notices/hekou/{aboveId}");
        await watched.WaitForConsoleAsync($"/notices/hekou/{aboveId}");
        var onPage = page.Locator("article.notice-page p.level-changed-later");
        await onPage.WaitForAsync();
        Assert.Equal(expected, await onPage.InnerTextAsync());
        await watched.ScreenshotAsync("console-notice-port-above-city-level-changed-later.png", fullPage: true);
        watched.AssertClean();
    }
}
