using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A response team's inbox says what is in force now, above its notices, and keeps open notices a later one replaced
/// apart, below the current ones, acknowledgeable together: with every open card in one list (10 open at Suifenhe, 9 of them history),
/// a team read a level-4 port notice from May as today's (newcomer 13).
/// </summary>
public sealed class ConsoleInboxNowBrowserTests
{
    [Fact]
    public async Task Inbox_SaysWhatIsInForceNow_FoldsSupersededOpenNotices_AndAcknowledgesThemTogetherAfterAskingNamingThem()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await ConsoleFixture.ReplayScenarioAsync(host);

        var open = await host.Admin.NoticesAsync("suifenhe", "open");
        var current = open.Where(n => n.Text("supersededBy") is null).Select(n => n.Text("id")!).ToHashSet();
        var replaced = open.Where(n => n.Text("supersededBy") is not null).Select(n => n.Text("id")!).ToHashSet();
        Assert.NotEmpty(current);
        Assert.True(replaced.Count >= 3, $"superseded open notices: {replaced.Count}");
        var city = await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe");
        var inForce = city.GetProperty("response");

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("suifenhe"));
        var page = watched.Page;

        // Now: the level of the plan in force with its actions, and the port's score now.
        var now = page.Locator("[data-now='suifenhe']");
        await now.WaitForAsync();
        var said = await now.InnerTextAsync();
        Assert.Contains($"Suifenhe now (as of {city.Text("asOf")})", said, StringComparison.Ordinal);
        Assert.Contains($"Response level in force: level {inForce.GetProperty("level").GetInt32()} ({inForce.Text("name")})", said, StringComparison.Ordinal);
        Assert.Contains(inForce.GetProperty("actions")[0].GetString()!, said, StringComparison.Ordinal);
        Assert.Contains("Suifenhe road port", said, StringComparison.Ordinal);

        // Open: the current ones; the superseded apart, below them.
        var openCards = await page.Locator("ul[aria-label='Open notices'] li[data-notice]").EvaluateAllAsync<string[]>("lis => lis.map(li => li.dataset.notice)");
        Assert.Equal(current.Order(), openCards.Order());
        var apart = page.Locator("section.superseded-notices");
        Assert.Contains($"Open, but superseded by later notices ({replaced.Count})", await apart.Locator("h2").InnerTextAsync(), StringComparison.Ordinal);
        var apartCards = await apart.Locator("li[data-notice]").EvaluateAllAsync<string[]>("lis => lis.map(li => li.dataset.notice)");
        Assert.Equal(replaced.Order(), apartCards.Order());
        await watched.ScreenshotAsync("console-inbox-now.png", fullPage: true);

        // Asked first, naming how many and which (newcomer 20b F8): Cancel, then Esc, acknowledge nothing.
        var bulk = page.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge the {replaced.Count} superseded notices" });
        await bulk.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.WaitForAsync();
        Assert.Equal($"Acknowledge the {replaced.Count} superseded notices?", await dialog.Locator("h2").InnerTextAsync());
        var named = await dialog.Locator("li[data-notice]").EvaluateAllAsync<string[]>("lis => lis.map(li => li.dataset.notice)");
        Assert.Equal(replaced.Order(), named.Order());
        foreach (var id in replaced)
        {
            Assert.Contains(id, await dialog.Locator($"li[data-notice='{id}'] code").InnerTextAsync(), StringComparison.Ordinal);
        }

        await watched.ScreenshotAsync("console-inbox-superseded-confirm.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await bulk.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await dialog.WaitForAsync();
        await page.Keyboard.PressAsync("Escape");
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var stillOpen = (await host.Admin.NoticesAsync("suifenhe", "open")).Select(n => n.Text("id")!).ToHashSet();
        Assert.True(stillOpen.SetEquals(current.Concat(replaced)), "open after Cancel and Esc: " + string.Join(", ", stillOpen.Order()));

        // By keyboard alone, at phone width: the dialog fits, opens on Cancel, the safe answer; Tab, then Enter,
        // acknowledges those named.
        await page.SetViewportSizeAsync(390, 844);
        await bulk.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await dialog.WaitForAsync();
        foreach (var button in await dialog.GetByRole(AriaRole.Button).AllAsync())
        {
            var box = await button.BoundingBoxAsync();
            Assert.True(box is { X: >= 0, Y: >= 0 } && box.X + box.Width <= 390 && box.Y + box.Height <= 844, $"a dialog button is outside the 390×844 screen: {box?.X},{box?.Y} {box?.Width}×{box?.Height}");
        }

        await watched.ScreenshotAsync("console-inbox-superseded-confirm-phone.png");
        Assert.Equal("Cancel", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal($"Acknowledge these {replaced.Count}", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("section.superseded-notices[hidden]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        var after = await host.Admin.NoticesAsync("suifenhe");
        Assert.All(after.Where(n => replaced.Contains(n.Text("id")!)), n => Assert.Equal("acknowledged", n.Text("status")));
        Assert.All(after.Where(n => current.Contains(n.Text("id")!)), n => Assert.Equal("open", n.Text("status")));
        await watched.ScreenshotAsync("console-inbox-superseded-acknowledged.png", fullPage: true);
        watched.AssertClean();
    }
}
