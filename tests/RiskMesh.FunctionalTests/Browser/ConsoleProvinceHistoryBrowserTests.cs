using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A province's page opens with its score over time, as README says entity pages do (newcomer 24b, M4: the page had
/// only today's assistance table, no chart, history or CSV): the API's province history, its riskiest city's score
/// day by day, charted on the score bands, the days under it and exported as CSV.
/// </summary>
public sealed class ConsoleProvinceHistoryBrowserTests
{
    [Fact]
    public async Task ProvincePage_OpensWithTheScoreOverTime_DaysAndCsvAsTheApiHistoryGivesThem()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync("2020-04-20");
        var events = Enumerable.Range(0, 29).Select(i =>
        {
            var date = $"{new DateOnly(2020, 3, 23).AddDays(i):yyyy-MM-dd}";
            return (object)new { id = $"ph-ru-{date}", type = "country-cases", country = "RU", date, cumulativeCases = (long)(1000 * Math.Exp(0.2 * i)), source = "ph" };
        }).Append(new { id = "ph-suifenhe", type = "case", location = "port:suifenhe-road", date = "2020-04-18", count = 12, classification = "imported-confirmed", origin = "RU" });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await host.PostEventsAsync(Json.Array([.. events]))).StatusCode);
        // The page's 180 days to the clock's.
        var history = (await host.Admin.GetJsonAsync("/api/v1/provinces/heilongjiang/history?from=2019-10-24&to=2020-04-20")).EnumerateArray().ToList();
        Assert.Equal(180, history.Count);
        var scored = history.SkipWhile(p => p.GetProperty("score").ValueKind == System.Text.Json.JsonValueKind.Null).ToList();
        Assert.NotEmpty(scored);

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/entities/province/heilongjiang");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForConsoleAsync("/entities/province/heilongjiang");

        await page.Locator(".chart .uplot canvas").WaitForAsync();
        Assert.Equal($"Score and score band, {scored[0].GetProperty("date").GetString()} to 2020-04-20", await page.Locator("section.score-history h2").InnerTextAsync());
        Assert.Equal(scored.Count, await page.Locator("table.history tbody tr").CountAsync());
        Assert.Equal(1, await page.Locator("table.history tr[data-date='2020-04-20']").CountAsync());
        // The assistance table is still there, under the chart.
        await page.Locator("table.assistance tbody tr[data-city='suifenhe']").WaitForAsync();
        await watched.ScreenshotAsync("console-province-history.png", fullPage: true);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export history CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal("date,score,level,cities,citiesHighOrAbove,citiesScored,highestNeed", csv[0]);
        Assert.Equal(history.Count, csv.Length - 1);
        Assert.StartsWith($"2020-04-20,{scored[^1].GetProperty("score").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)},", csv[^1], StringComparison.Ordinal);
        watched.AssertClean();
    }
}
