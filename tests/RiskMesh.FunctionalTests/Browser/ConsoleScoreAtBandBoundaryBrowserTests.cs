using System.Text.Json.Nodes;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer 23a M1: Manzhouli's city page showed "Score 50.0 / Score band Moderate" for 49.9579, while High starts at 50.
/// A shown score is cut to one decimal, never rounded up into the next band (ui.js fmtScore, as the CLI and the server).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleScoreAtBandBoundaryBrowserTests(ConsoleFixture fixture)
{
    private const string Path = "/api/v1/ports/suifenhe-road";
    private const double JustBelowHigh = 49.9579;

    [Fact]
    public async Task EntityPage_ScoreJustBelowHigh_Shows49Point9_BesideModerate_InTheFactsAndTheHistory()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/");
        var page = watched.Page;
        string? lastDay = null;
        // The view and the last day of its history as the API would give them for 49.9579: no scenario lands on it.
        await page.RouteAsync(url => new Uri(url).AbsolutePath is Path or Path + "/history", async route =>
        {
            var response = await route.FetchAsync();
            var body = JsonNode.Parse(await response.TextAsync())!;
            var point = new Uri(route.Request.Url).AbsolutePath == Path ? body : body.AsArray().Last()!;
            point["score"] = JustBelowHigh;
            point["level"] = "moderate";
            lastDay = point["date"]?.GetValue<string>() ?? lastDay;
            await route.FulfillAsync(new() { Response = response, Body = body.ToJsonString() });
        });

        await page.GotoAsync("/entities/port/suifenhe-road");
        await watched.WaitForConsoleAsync("/entities/port/suifenhe-road");
        var facts = page.Locator("dl.facts");
        await facts.WaitForAsync();
        Assert.Equal("49.9", (await facts.Locator("dd.big").InnerTextAsync()).Trim());
        Assert.Equal("Moderate", (await facts.Locator("dd").Nth(1).InnerTextAsync()).Trim());

        Assert.NotNull(lastDay);
        var row = page.Locator($"table.history tr[data-date='{lastDay}']");
        Assert.Equal("49.9", (await row.Locator("td").First.TextContentAsync())?.Trim());
        Assert.Empty(watched.ScriptErrors);
    }
}
