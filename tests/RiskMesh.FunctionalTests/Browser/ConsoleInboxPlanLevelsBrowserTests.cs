using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer 20b, after the April 2020 replay: Suifenhe's level-4 notice and the inbox's "now" panel listed level 4's
/// actions only, as if level 3's quarantine and contact tracing had ended (F1); and on 2 May its road port was told at
/// level 4 with a score in the "high" band, nothing saying why, while on 6 May the panel said "Suifenhe road port score
/// 7.3, low" beside that open notice (F2). The inbox now lists the lower levels' actions as still in force, says why a
/// port is held at its level and that the measures are the crossing's, and gives each port its level in force.
/// </summary>
public sealed class ConsoleInboxPlanLevelsBrowserTests
{
    [Fact]
    public async Task Inbox_ListsLowerLevelsActionsAsStillInForce_SaysWhyAPortIsHeld_AndEachPortsLevelInForce()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await ConsoleFixture.ReplayScenarioAsync(host);

        var plan = RiskMesh.Scoring.Escalation.ResponsePlan.Default;
        var toFour = (await host.Admin.NoticesAsync("suifenhe")).Single(n => n.Text("kind") == "escalation" && n.GetProperty("newLevel").GetInt32() == 4);

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("suifenhe"));
        var page = watched.Page;
        await page.Locator(".live[data-live='true']").WaitForAsync();

        // 30 April, level 4 in force: its card and the panel list level 3's and level 2's actions apart, as still in force.
        var card = page.Locator($"li[data-notice='{toFour.Text("id")}']");
        Assert.Equal([.. plan.ContinuedActionsOf(4)], await card.Locator("ul.actions.continued li").AllInnerTextsAsync());
        Assert.Equal([.. plan.ActionsOf(4)], await card.Locator("ul.actions:not(.continued) li").AllInnerTextsAsync());
        var now = page.Locator("[data-now='suifenhe']");
        await now.Locator("ul.actions.continued").WaitForAsync();
        Assert.Contains("Open designated quarantine facilities for inbound travellers.", await now.Locator("ul.actions.continued li").AllInnerTextsAsync());
        Assert.Contains("Still in force from the plan’s lower levels:", await now.InnerTextAsync(), StringComparison.Ordinal);

        // 2 May: the city steps down to 2 and its road port, its score in the "high" band, is told at 4: held by the plan.
        await host.SetClockAsync(new DateOnly(2020, 5, 2));
        var held = (await host.Admin.NoticesAsync("suifenhe")).Single(n => n.Text("kind") == "port-above-city" && n.Text("date") == "2020-05-02");
        var note = held.Text("portLevelNote")!;
        Assert.StartsWith("Held at level 4 (very high) by the plan: the port's score has been below level 4's exit line (67) since ", note, StringComparison.Ordinal);
        Assert.EndsWith("Level 4's measures of the plan apply at Suifenhe road port only; Suifenhe stands at level 2 (heightened).", note, StringComparison.Ordinal);
        var heldCard = page.Locator($"li[data-notice='{held.Text("id")}']");
        Assert.Equal(note, await heldCard.Locator("p.port-level-note.held").InnerTextAsync());

        // 6 May: the port's score is low, its notice still current: the panel gives the level it was told, and the notice.
        await host.SetClockAsync(new DateOnly(2020, 5, 6));
        var road = now.Locator("li[data-port='suifenhe-road']");
        await now.Locator("h2", new() { HasTextString = "(as of 2020-05-06)" }).WaitForAsync();
        await road.Locator($"a[href='/notices/suifenhe/{held.Text("id")}']").WaitForAsync();
        Assert.Equal("4", await road.GetAttributeAsync("data-port-level"));
        Assert.Contains($"Suifenhe road port: level 4 (very high) in force, told 2020-05-02 by {held.Text("id")}; score now ", await road.InnerTextAsync(), StringComparison.Ordinal);
        await watched.ScreenshotAsync("console-inbox-port-level-in-force.png", fullPage: true);

        // 8 May: the port no longer stands above the city (7 May): it follows the city's level.
        await host.SetClockAsync(new DateOnly(2020, 5, 8));
        var city = (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe")).GetProperty("response");
        await now.Locator("h2", new() { HasTextString = "(as of 2020-05-08)" }).WaitForAsync();
        await road.Locator("text=the city's").WaitForAsync();
        Assert.Equal(city.GetProperty("level").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), await road.GetAttributeAsync("data-port-level"));
        watched.AssertClean();
    }
}
