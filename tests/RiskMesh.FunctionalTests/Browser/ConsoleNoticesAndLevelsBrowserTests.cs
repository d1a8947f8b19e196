using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// What a city responder and an analyst trying the product from the README found missing after the April 2020
/// scenario (newcomer 11): a notice's page said neither when it was issued nor which city's page it belongs to, nor
/// that a later notice replaced it; no ranking or history said which level of the plan was in force; the weight column
/// said "floor" for one floor and "0.00" for another; the map's list of highest ports wrapped its badges.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleNoticesAndLevelsBrowserTests(ConsoleFixture fixture)
{
    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task NoticePage_SaysWhenIssued_LinksItsCity_AndTheLaterNoticeThatSupersededIt()
    {
        // Suifenhe after the scenario: escalations 3 (day 5), 5 (day 7) and 8 (day 16); its road port above it in 2 (at
        // 2), 4 and 6 (at 4, the city at 3); 1 and 7 its testing shortfall and its end. Other tests of the collection move
        // the clock on, which may step it down later (suifenhe-9).
        var notices = (await Host.Admin.NoticesAsync("suifenhe")).ToDictionary(n => n.Text("id")!);
        Assert.Equal("suifenhe-5", notices["suifenhe-3"].Text("supersededBy"));
        Assert.Equal("suifenhe-8", notices["suifenhe-5"].Text("supersededBy"));
        // Its road port above it: no longer above once the city reaches the port's level (newcomer 12: suifenhe-6, the
        // port at 4 above the city at 3, read as a live alarm in May).
        Assert.Equal("suifenhe-3", notices["suifenhe-2"].Text("supersededBy"));
        Assert.Equal("suifenhe-8", notices["suifenhe-6"].Text("supersededBy"));
        var standing = notices.Values.Where(n => n.Text("kind") is "escalation" or "de-escalation").MaxBy(n => n.GetProperty("sequence").GetInt64()).Text("id")!;
        Assert.Null(notices[standing].Text("supersededBy"));

        await using var watched = await fixture.OpenAsRoleAsync("responder", "/notices/suifenhe/suifenhe-3", "suifenhe");
        var page = watched.Page;
        await page.Locator("dd[data-issued]").WaitForAsync();

        // Issued: the API's issuedAt as the console writes every time, ISO and UTC.
        var issuedAt = DateTimeOffset.Parse(notices["suifenhe-3"].Text("issuedAt")!, CultureInfo.InvariantCulture);
        Assert.Equal(issuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC", await page.Locator("dd[data-issued]").InnerTextAsync());

        // The city, linked to its page.
        var city = page.Locator("dd[data-city='suifenhe'] a");
        Assert.Equal("Suifenhe", await city.InnerTextAsync());
        Assert.Equal("/entities/city/suifenhe", await city.GetAttributeAsync("href"));

        // Superseded by the later escalation, linked, named as the inbox names it.
        var superseded = page.Locator("p.superseded");
        Assert.StartsWith("Superseded by Escalation · Suifenhe: level 2 (heightened) → level 3 (high)", await superseded.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("/notices/suifenhe/suifenhe-5", await superseded.Locator("a").GetAttributeAsync("href"));
        await watched.ScreenshotAsync("console-notice-superseded.png", fullPage: true);

        // Following it, and on to the city's latest change of level, which nothing superseded.
        await superseded.Locator("a").ClickAsync();
        await watched.WaitForConsoleAsync("/notices/suifenhe/suifenhe-5");
        await page.Locator("dd[data-issued]").WaitForAsync();
        Assert.Equal("suifenhe-8", await page.Locator("p.superseded").GetAttributeAsync("data-superseded-by"));
        await page.GotoAsync($"/notices/suifenhe/{standing}");
        await watched.WaitForConsoleAsync($"/notices/suifenhe/{standing}");
        await page.Locator("dd[data-issued]").WaitForAsync();
        Assert.Equal(0, await page.Locator("p.superseded").CountAsync());

        // The inbox's cards say it too, each as the API does.
        await page.GotoAsync("/notices");
        await watched.WaitForConsoleAsync("/notices");
        await page.Locator("li.notice").First.WaitForAsync();
        var cards = await page.Locator("li.notice").EvaluateAllAsync<string[][]>(
            "lis => lis.map(li => [li.dataset.notice, li.querySelector('p.superseded')?.dataset.supersededBy ?? ''])");
        Assert.Equal(notices.Count, cards.Length);
        Assert.All(cards, c => Assert.Equal(notices[c[0]].Text("supersededBy") ?? "", c[1]));

        watched.AssertClean();
    }

    [Fact]
    public async Task Inbox_ANoticeArrivingLive_MarksTheCardItSuperseded()
    {
        // Hulin, untouched by the scenario's notices: a plan any case escalates to level 2, and one case.
        const string city = "hulin";
        var today = DateOnly.Parse((await Host.Admin.GetJsonAsync("/api/v1/clock")).Text("date")!, CultureInfo.InvariantCulture);
        await Host.PutPlanAsync(city, Plan(level3At: 98));
        await Host.ReportLocalCasesAsync(city, today, 1);
        // The case also begins local transmission (its own notice, which no change of level replaces).
        var first = Assert.Single(await Host.Admin.NoticesAsync(city), n => n.Text("kind") == "escalation").Text("id")!;

        // Level 3 just above today's score, so that more cases escalate again today, while the inbox is open.
        var score = (await Host.Admin.GetJsonAsync($"/api/v1/cities/{city}")).GetProperty("score").GetDouble();
        await Host.PutPlanAsync(city, Plan(level3At: Math.Round(score + 0.5, 2)));
        await using var watched = await fixture.OpenAsRoleAsync("responder", "/notices", city);
        var page = watched.Page;
        await page.Locator(".live[data-live='true']").WaitForAsync();
        var card = page.Locator($"li.notice[data-notice='{first}']");
        Assert.Equal(0, await card.Locator("p.superseded").CountAsync());

        await Host.ReportLocalCasesAsync(city, today, 20);
        var second = (await Host.Admin.NoticesAsync(city)).Last().Text("id")!;
        Assert.NotEqual(first, second);

        // The later notice arrives over the stream; the card of the one it replaced says so, with a link to it.
        await page.Locator($"li.notice[data-notice='{second}']").WaitForAsync();
        await card.Locator($"p.superseded[data-superseded-by='{second}']").WaitForAsync();
        Assert.Equal($"/notices/{city}/{second}", await card.Locator("p.superseded a").GetAttributeAsync("href"));
        await watched.ScreenshotAsync("console-inbox-superseded-live.png", fullPage: true);
        watched.AssertClean();

        static object Plan(double level3At) => new
        {
            levels = new object[]
            {
                new { level = 2, name = "heightened", enterAt = 1, exitBelow = 0.5, dwellDays = 1, actions = new[] { "Test at entry points." } },
                new { level = 3, name = "high", enterAt = level3At, exitBelow = level3At - 0.25, dwellDays = 1, actions = new[] { "Reduce movement." } },
                new { level = 4, name = "very high", enterAt = 99.5, exitBelow = 99, dwellDays = 1, actions = new[] { "National team." } },
            },
        };
    }

    [Fact]
    public async Task CityRankingAndCityHistory_ShowTheResponseLevelInForce()
    {
        var ranking = await Host.Admin.GetJsonAsync("/api/v1/rankings?kind=city&limit=1000");
        var levels = ranking.EnumerateArray().ToDictionary(r => r.Text("id")!, r => r.GetProperty("responseLevel").GetInt32());

        // The level the city's view says is in force (the clock may have moved on since the scenario: other tests).
        var view = await Host.Admin.GetJsonAsync("/api/v1/cities/suifenhe");
        Assert.Equal(view.GetProperty("response").GetProperty("level").GetInt32(), levels["suifenhe"]);
        Assert.Contains(levels.Values, level => level > 1);

        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/rankings?kind=city");
        var page = watched.Page;
        await page.Locator("table.ranking tbody tr").First.WaitForAsync();
        Assert.Equal("Response level in force", (await page.Locator("table.ranking thead th").Last.InnerTextAsync()).Trim());
        var rows = await page.Locator("table.ranking tbody tr").EvaluateAllAsync<string[][]>(
            "trs => trs.map(tr => [tr.dataset.id, tr.querySelector('td[data-response-level]').innerText])");
        Assert.NotEmpty(rows);

        // A city the ranking has not heard of yet (never scored) has no row in the API: it shows no level, as no score.
        Assert.All(rows, r => Assert.Equal(levels.TryGetValue(r[0], out var level) ? $"level {level}" : "—", r[1]));
        Assert.Contains(rows, r => r[0] == "suifenhe" && r[1] == $"level {levels["suifenhe"]}");
        await watched.ScreenshotAsync("console-city-ranking-response.png");

        // The city's history, day by day, with the level in force at each day's end, as the API gives it.
        var asOf = DateOnly.Parse(view.Text("asOf")!, CultureInfo.InvariantCulture);
        var history = await Host.Admin.GetJsonAsync($"/api/v1/cities/suifenhe/history?from={asOf.AddDays(-179):yyyy-MM-dd}&to={asOf:yyyy-MM-dd}");
        var byDay = history.EnumerateArray().ToDictionary(p => p.Text("date")!, p => p.GetProperty("responseLevel").GetInt32());
        Assert.Equal((1, 2, 3, 4), (byDay["2020-04-04"], byDay["2020-04-05"], byDay["2020-04-07"], byDay["2020-04-16"]));

        await page.GotoAsync("/entities/city/suifenhe");
        await watched.WaitForConsoleAsync("/entities/city/suifenhe");
        var details = page.Locator("details.history-days");
        await details.Locator("summary").ClickAsync();
        var days = await details.Locator("tbody tr").EvaluateAllAsync<string[][]>(
            "trs => trs.map(tr => [tr.dataset.date, tr.querySelector('td[data-response-level]').innerText])");
        Assert.NotEmpty(days);
        Assert.All(days, d => Assert.Equal($"level {byDay[d[0]]}", d[1]));
        Assert.Equal(asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), days[0][0]);
        await details.ScrollIntoViewIfNeededAsync();
        await watched.ScreenshotAsync("console-city-history-response.png");

        // A port's history has no response level, and its table says none.
        var port = await Host.Admin.GetJsonAsync($"/api/v1/ports/suifenhe-road/history?from={asOf:yyyy-MM-dd}&to={asOf:yyyy-MM-dd}");
        Assert.False(port[0].TryGetProperty("responseLevel", out _));
        await page.GotoAsync("/entities/port/suifenhe-road");
        await watched.WaitForConsoleAsync("/entities/port/suifenhe-road");
        Assert.Equal(0, await page.Locator("details.history-days td[data-response-level]").CountAsync());

        watched.AssertClean();
    }

    [Fact]
    public async Task WeightColumn_SaysFloorForEveryFloor_MapListBadgesStayOnTheirLine()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/entities/city/mohe");
        var page = watched.Page;
        var floors = 0;
        foreach (var (entity, plural) in new[] { ("city/mohe", "cities/mohe"), ("city/suifenhe", "cities/suifenhe"), ("port/khunjerab", "ports/khunjerab") })
        {
            var view = await Host.Admin.GetJsonAsync($"/api/v1/{plural}");
            await page.GotoAsync($"/entities/{entity}");
            await watched.WaitForConsoleAsync($"/entities/{entity}");
            await page.Locator("table.components tbody tr").First.WaitForAsync();
            var shown = await page.Locator("table.components tbody tr").EvaluateAllAsync<string[]>("trs => trs.map(tr => tr.querySelectorAll('td')[2].innerText)");
            foreach (var (component, weight) in view.GetProperty("components").EnumerateArray().Zip(shown))
            {
                // Weight 0 is a floor whether or not it lifts the score today.
                var w = component.GetProperty("weight").GetDouble();
                Assert.Equal(w == 0 ? "floor" : w.ToString("0.00", CultureInfo.InvariantCulture), weight);
                floors += w == 0 && component.GetProperty("contribution").GetDouble() == 0 ? 1 : 0;
            }

            if (entity == "city/mohe")
            {
                await page.Locator("table.components").ScrollIntoViewIfNeededAsync();
                await watched.ScreenshotAsync("console-weight-floors.png");
            }
        }

        // Mohe's and Khunjerab's floors lift nothing after the scenario: the case that read "0.00".
        Assert.True(floors > 0, "no floor without points was shown");

        // The map's highest ports at the side column's width and at phone width: each badge and score on the first
        // line of its row, beside the name, however long the name.
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 800);
            await page.GotoAsync("/");
            await watched.WaitForConsoleAsync("/");
            await page.Locator("ol.top-ports li").First.WaitForAsync();
            var misplaced = await page.Locator("ol.top-ports li").EvaluateAllAsync<string[]>(
                """
                lis => lis.flatMap(li => {
                  // The name's first line: from the top of its box, one line high.
                  const name = li.querySelector('a').getBoundingClientRect();
                  const style = getComputedStyle(li);
                  const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
                  const onFirstLine = rect => rect.top + rect.height / 2 >= name.top && rect.top + rect.height / 2 <= name.top + line;
                  const badge = li.querySelector('.badge');
                  const scoreNode = li.querySelector('.score') || [...li.childNodes].reverse().find(n => n.nodeType === Node.TEXT_NODE && n.data.trim());
                  const range = document.createRange();
                  range.selectNodeContents(scoreNode);
                  const bad = [];
                  if (badge.getClientRects().length !== 1) bad.push(li.innerText + ': badge split');
                  if (!onFirstLine(badge.getBoundingClientRect())) bad.push(li.innerText + ': badge on a line of its own');
                  if (!onFirstLine(range.getBoundingClientRect())) bad.push(li.innerText + ': score on a line of its own');
                  return bad;
                })
                """);
            await page.Locator("ol.top-ports").ScrollIntoViewIfNeededAsync();
            await watched.ScreenshotAsync($"console-map-top-ports-{width}.png");
            Assert.Empty(misplaced);
        }

        watched.AssertClean();
    }
}
