using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Scoring.Model;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer try-out 7 F4 and F10: a person reads components by their labels ("Port exposure", not portExposure) with the
/// code kept in data-component, a score floor's weight reads "floor" (not "0.00", read as "does not count"), and the
/// chart names the bands (Low … Very high) rather than numbering them 1–4 like response levels, and draws them as
/// regions of the score where the server's thresholds put them.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleComponentLabelsBrowserTests(ConsoleFixture fixture)
{
    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task EntityPages_ComponentsByLabel_FloorSaidAsFloor_ScoreBandAxisByName()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/");
        var page = watched.Page;
        var floors = 0;
        foreach (var (entity, plural) in new[] { ("city/suifenhe", "cities/suifenhe"), ("port/suifenhe-road", "ports/suifenhe-road"), ("country/RU", "countries/RU") })
        {
            var view = await Host.Admin.GetJsonAsync($"/api/v1/{plural}");
            await page.GotoAsync($"/entities/{entity}");
            await watched.WaitForConsoleAsync($"/entities/{entity}");
            await page.Locator("table.components tbody tr").First.WaitForAsync();

            var rows = await page.Locator("table.components tbody tr").EvaluateAllAsync<string[][]>(
                "trs => trs.map(tr => [tr.dataset.component, tr.querySelector('th').innerText, tr.querySelectorAll('td')[2].innerText])");
            var components = view.GetProperty("components").EnumerateArray().ToList();
            Assert.Equal(components.Select(c => c.Text("name")), rows.Select(r => r[0]));
            foreach (var (component, row) in components.Zip(rows))
            {
                // By kind: a city's capacity gap is its "City capacity gap", a port's its "Port testing gap", as the API says.
                Assert.Equal(ComponentLabels.Of(row[0], entity.Split('/')[0]), row[1]);
                Assert.NotEqual(row[0], row[1]);
                // Every weight-0 component is a floor, lifting the score today or not (newcomer 11).
                var floor = component.GetProperty("weight").GetDouble() == 0;
                Assert.Equal(floor ? "floor" : component.GetProperty("weight").GetDouble().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), row[2]);
                floors += floor && component.GetProperty("contribution").GetDouble() > 0 ? 1 : 0;
            }

            // The ticks are painted on a canvas: the axes' own splits and formatter, as uPlot calls them. The bands are
            // regions of the score itself, begun where the server's thresholds say (/me), the score axis ruled there and
            // each band named mid-region; no band line on a scale of its own, which drew Moderate at a score of 37
            // (newcomer 16).
            await page.Locator(".chart .uplot").WaitForAsync();
            var me = await Host.Admin.GetJsonAsync("/api/v1/me");
            var thresholds = me.GetProperty("scoreBands");
            double[] from = [0, thresholds.GetProperty("moderate").GetDouble(), thresholds.GetProperty("high").GetDouble(), thresholds.GetProperty("veryHigh").GetDouble()];
            Assert.Equal([0, 25, 50, 75], from);
            var drawn = await page.Locator(".chart").EvaluateAsync<System.Text.Json.JsonElement>("""
                el => { const u = el.uplot; const band = u.axes.find(a => a.label === 'Score band');
                  return { scales: u.series.map(s => s.scale ?? 'x'), regions: el.bandRegions.map(r => [r.band, r.from, r.to]),
                           ruled: u.axes.find(a => a.label === 'Score').splits(u), named: band.splits(u), names: band.values(u, band.splits(u)) }; }
                """);
            Assert.All(drawn.GetProperty("scales").EnumerateArray().Skip(1), s => Assert.Equal("score", s.GetString()));
            Assert.Equal(from, drawn.GetProperty("regions").EnumerateArray().Select(r => r[1].GetDouble()));
            Assert.Equal([25, 50, 75, 100], drawn.GetProperty("regions").EnumerateArray().Select(r => r[2].GetDouble()));
            Assert.Equal([0, 25, 50, 75, 100], drawn.GetProperty("ruled").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal([12.5, 37.5, 62.5, 87.5], drawn.GetProperty("named").EnumerateArray().Select(v => v.GetDouble()));
            Assert.Equal(["Low", "Moderate", "High", "Very high"], drawn.GetProperty("names").EnumerateArray().Select(v => v.GetString()));
        }

        // After the April scenario Suifenhe's score rests on its port's exposure floor.
        Assert.True(floors > 0, "no floor component shown with points");
        await watched.ScreenshotAsync("console-components-by-label.png", fullPage: true);
        watched.AssertClean();
    }

    [Fact]
    public async Task NoticePage_WhatDroveIt_NamesEachDriverByItsLabel()
    {
        var notices = await Host.Admin.NoticesAsync("suifenhe");
        var notice = notices.First(n => n.GetProperty("drivers").GetArrayLength() > 0);
        await using var watched = await OpenSuifenheNoticeAsync(notice);
        var page = watched.Page;

        var shown = await page.Locator("article.notice-page li[data-component]").EvaluateAllAsync<string[][]>(
            "lis => lis.map(li => [li.dataset.component, li.querySelector('strong').innerText])");
        var drivers = notice.GetProperty("drivers").EnumerateArray().Select(d => d.Text("name")!).ToList();
        Assert.Equal(drivers, shown.Select(s => s[0]));
        var driversOf = notice.Text("kind") == "port-above-city" ? "port" : "city";
        Assert.All(shown, s => Assert.Equal(ComponentLabels.Of(s[0], driversOf), s[1]));
        Assert.Contains(shown, s => s[0] != s[1]);
        await watched.ScreenshotAsync("console-notice-drivers-by-label.png", fullPage: true);
        watched.AssertClean();
    }

    [Fact]
    public async Task NoticePage_OfAnEscalation_ShowsNoPortLineAndNoStrayText()
    {
        // An escalation names no port: its page has no port line, and nothing in its place (it once read "null").
        var notices = await Host.Admin.NoticesAsync("suifenhe");
        var escalation = notices.First(n => n.Text("kind") == "escalation");
        await using var watched = await OpenSuifenheNoticeAsync(escalation);
        var page = watched.Page;

        var lines = (await page.Locator("article.notice-page").InnerTextAsync()).Split('\n').Select(l => l.Trim());
        Assert.DoesNotContain("null", lines);
        Assert.Equal(0, await page.Locator("article.notice-page .port-link").CountAsync());
        watched.AssertClean();
    }

    [Fact]
    public async Task NoticePage_OfAPortAboveTheCity_ShowsTheCitysAndThePortsLevels_NotAChange()
    {
        var notices = await Host.Admin.NoticesAsync("suifenhe");
        var above = notices.First(n => n.Text("kind") == "port-above-city");
        await using var watched = await OpenSuifenheNoticeAsync(above);
        var page = watched.Page;

        var city = await page.Locator("article.notice-page dd[data-level='city']").InnerTextAsync();
        var port = await page.Locator("article.notice-page dd[data-level='port']").InnerTextAsync();
        Assert.Equal($"level {above.GetProperty("previousLevel").GetInt32()} ({above.Text("previousLevelName")})", city);
        Assert.Equal($"level {above.GetProperty("newLevel").GetInt32()} ({above.Text("newLevelName")})", port);
        var facts = await page.Locator("article.notice-page dl.facts").InnerTextAsync();
        Assert.DoesNotContain("→", facts, StringComparison.Ordinal);
        Assert.Contains("Port score", facts, StringComparison.Ordinal);
        await watched.ScreenshotAsync("console-notice-port-above-city-levels.png", fullPage: true);
        watched.AssertClean();
    }

    // A notice of Suifenhe's on its own page, as Suifenhe's responder sees it, once its drivers are drawn.
    private async Task<WatchedPage> OpenSuifenheNoticeAsync(JsonElement notice)
    {
        var path = $"/notices/suifenhe/{notice.Text("id")}";
        var watched = await fixture.OpenAsRoleAsync("responder", path, "suifenhe");
        await watched.WaitForConsoleAsync(path);
        await watched.Page.Locator("article.notice-page li[data-component]").First.WaitForAsync();
        return watched;
    }
}
