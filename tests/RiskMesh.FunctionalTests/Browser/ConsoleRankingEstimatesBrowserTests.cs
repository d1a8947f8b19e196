using System.Globalization;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A ranking marks "est." each score that rests on estimates or defaults (the API's dataQuality), says why in its
/// tooltip, explains the mark once above the table and exports it: ports that reported nothing ranked above Suifenhe
/// road port, which reports its traffic and testing, with nothing to tell evidence from defaults (newcomer 17 F3).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleRankingEstimatesBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task PortRanking_ScoreOnDefaults_MarkedEstWithWhy_ScoreOnReports_Unmarked_LegendAndCsvCarryIt()
    {
        var api = await fixture.Host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=1000");
        var quality = api.EnumerateArray().Where(r => r.GetProperty("score").ValueKind == System.Text.Json.JsonValueKind.Number)
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => string.Join(' ', r.GetProperty("dataQuality").EnumerateArray().Select(c => c.GetString())));
        Assert.Equal("", quality["suifenhe-road"]);
        Assert.Contains(quality.Values, q => q.Contains("estimated", StringComparison.Ordinal));

        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/rankings?kind=port");
        var page = watched.Page;
        await page.Locator("table.ranking tbody tr").First.WaitForAsync();

        var rows = await page.Locator("table.ranking tbody tr").EvaluateAllAsync<string[][]>(
            "trs => trs.map(tr => { const m = tr.querySelector('td.col-score abbr.est'); return [tr.dataset.id, tr.querySelector('td.col-score .score-figure').innerText, m ? m.innerText : '', m ? m.title : '']; })");
        foreach (var (id, q) in quality)
        {
            var row = Assert.Single(rows, r => r[0] == id);
            Assert.True(double.TryParse(row[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{id}: '{row[1]}'");
            if (q.Length == 0)
            {
                Assert.Equal("", row[2]);
                continue;
            }

            Assert.Equal("est.", row[2]);
            Assert.StartsWith("Rests on estimates, not reports: ", row[3], StringComparison.Ordinal);
            if (q.Contains("capacity-not-reported", StringComparison.Ordinal))
            {
                Assert.Contains("capacity never reported (counted as a half gap)", row[3], StringComparison.Ordinal);
            }

            if (q.Contains("estimated", StringComparison.Ordinal))
            {
                Assert.Contains("traffic estimated (nominal or carried forward)", row[3], StringComparison.Ordinal);
            }
        }

        // No score, no mark: "Insufficient data" says it.
        Assert.All(rows.Where(r => r[1] == "—"), r => Assert.Equal("", r[2]));
        Assert.StartsWith("est. beside a score: it rests on estimates or defaults, not on the entity’s own reports", await page.Locator("p.est-legend").InnerTextAsync(), StringComparison.Ordinal);
        var marked = quality.Count(q => q.Value.Length > 0);
        Assert.EndsWith($"; {marked} of the scores rest on estimates (est.)", await page.Locator("main p[role=status]").InnerTextAsync(), StringComparison.Ordinal);
        await watched.ScreenshotAsync("console-ranking-estimates.png");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.EndsWith(",trend,data_quality", csv[0], StringComparison.Ordinal);
        foreach (var (id, q) in quality)
        {
            var line = Assert.Single(csv, l => l.Split(',')[1] == id);
            Assert.EndsWith("," + q, line, StringComparison.Ordinal);
        }

        watched.AssertClean();
    }
}
