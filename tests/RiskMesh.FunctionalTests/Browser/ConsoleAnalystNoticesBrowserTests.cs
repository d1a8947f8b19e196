using Microsoft.Playwright;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// An analyst reads every city's notices dated in a period, read-only, filtered by city and kind (the API's
/// <c>GET /notices?from=&amp;to=</c>): newcomer 13 found analysts could see notices nowhere but the raw API, the
/// console's Notices page answering "An analyst key may not open this page".
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleAnalystNoticesBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Analyst_NoticesOfEveryCity_InAPeriod_FilteredByCityAndKind_ReadOnly()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/notices?from=2020-04-01&to=2020-04-30");
        var page = watched.Page;
        await page.Locator("table.all-notices tbody tr[data-notice]").First.WaitForAsync();

        Assert.Equal(1, await page.Locator("#nav a[href='/notices']").CountAsync());
        var rows = page.Locator("table.all-notices tbody tr[data-notice]");
        var suifenhe8 = page.Locator("tr[data-notice='suifenhe-8']");
        Assert.Contains("Escalation · Suifenhe: level 3 (high) → level 4 (very high)", await suifenhe8.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("2020-04-16", await suifenhe8.InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("suifenhe-", await rows.Last.GetAttributeAsync("data-notice") ?? "", StringComparison.Ordinal);
        var cities = await rows.EvaluateAllAsync<string[]>("trs => [...new Set(trs.map(tr => tr.dataset.notice.replace(/-\\d+$/, '')))]");
        Assert.True(cities.Length >= 3, string.Join(", ", cities));
        Assert.Equal(0, await page.Locator("table.all-notices button, table.all-notices textarea").CountAsync());
        await watched.ScreenshotAsync("console-analyst-notices.png", fullPage: true);

        // One city, escalations only.
        await page.GetByLabel("City", new() { Exact = true }).SelectOptionAsync("suifenhe");
        await page.GetByLabel("Kind").SelectOptionAsync("escalation");
        var left = await rows.EvaluateAllAsync<string[]>("trs => trs.map(tr => tr.innerText)");
        Assert.NotEmpty(left);
        Assert.All(left, r => Assert.Contains("Escalation · Suifenhe", r, StringComparison.Ordinal));
        Assert.Contains("city=suifenhe", page.Url, StringComparison.Ordinal);

        // A day that is no day: said beside the form, nothing asked of the API.
        await page.GetByLabel("From").FillAsync("2020-02-30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        Assert.Equal("2020-02-30 is not a real date.", await page.Locator("section [role=alert] p.error").InnerTextAsync());
        watched.AssertClean();
    }
}
