using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The city page at 1280 px after the April 2020 scenario (newcomer try-out 5 P12): plan names keep their words whole
/// ("heightene/d"), the chart's legend reads the last day until the cursor picks another ("Day: Score: Score band:"
/// stood empty), the chart's title names the days it shows, and the metrics whose names mislead say what they count
/// (importedCases14d 0 beside importedHosted14d 24).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleCityPageBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task CityPage_PlanWordsWhole_LegendShowsTheLastDay_MisleadingMetricsDescribed()
    {
        await using var watched = await fixture.OpenWithKeyAsync(
            await fixture.KeyAsync("operator"), "/entities/city/suifenhe", new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = watched.Page;
        await watched.WaitForConsoleAsync("/entities/city/suifenhe");
        await page.Locator("table.plan tbody tr").First.WaitForAsync();

        // Every word of the plan's names and numbers sits on one line: a word split over two lines has two boxes.
        var split = await page.Locator("table.plan tbody td:not(.actions)").EvaluateAllAsync<string[]>(
            """
            tds => tds.flatMap(td => {
              const text = td.firstChild;
              if (!text || text.nodeType !== Node.TEXT_NODE) return [];
              const words = [];
              for (const m of text.data.matchAll(/\S+/g)) {
                const range = document.createRange();
                range.setStart(text, m.index);
                range.setEnd(text, m.index + m[0].length);
                if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) words.push(m[0]);
              }
              return words;
            })
            """);
        Assert.Empty(split);
        Assert.Contains("heightened", await page.Locator("table.plan tbody").InnerTextAsync(), StringComparison.Ordinal);

        // The legend reads the last day of the chart while the cursor is elsewhere.
        var view = await fixture.Host.Admin.GetJsonAsync("/api/v1/cities/suifenhe");
        await page.Locator(".chart .uplot").WaitForAsync();
        var legend = await page.Locator(".u-legend").InnerTextAsync();
        Assert.Contains(view.Text("asOf")!, legend, StringComparison.Ordinal);
        Assert.Contains(RiskMesh.Scoring.Text.ScoreText.OneDecimal(view.GetProperty("score").GetDouble()), legend, StringComparison.Ordinal);

        // The chart's title names the days it shows, from the first scored day to the last, not "last 180 days".
        var asOf = DateOnly.Parse(view.Text("asOf")!, System.Globalization.CultureInfo.InvariantCulture);
        var history = await fixture.Host.Admin.GetJsonAsync($"/api/v1/cities/suifenhe/history?from={asOf.AddDays(-179):yyyy-MM-dd}&to={asOf:yyyy-MM-dd}");
        var scored = history.EnumerateArray().SkipWhile(p => p.GetProperty("score").ValueKind == System.Text.Json.JsonValueKind.Null).Select(p => p.Text("date")).ToList();
        Assert.True(scored.Count is > 1 and < 180, $"{scored.Count} scored days");
        Assert.Equal(
            $"Score and score band, {scored[0]} to {scored[^1]}",
            await page.Locator("section h2", new() { HasTextString = "Score and score band" }).InnerTextAsync());

        // The two imported-case counts say what they count.
        Assert.Contains("in the city itself", await page.Locator("dl.metrics dt", new() { HasTextString = "importedCases14d" }).First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("found at its ports or in the city", await page.Locator("dl.metrics dt", new() { HasTextString = "importedHosted14d" }).First.InnerTextAsync(), StringComparison.Ordinal);

        watched.AssertClean();
    }
}
