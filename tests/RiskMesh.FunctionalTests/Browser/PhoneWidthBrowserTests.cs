using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Every console page at phone width (390×844) after the April 2020 scenario: nothing makes the page wider than the
/// screen (wide tables scroll inside their own box), and the ranking keeps its score and level in view.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PhoneWidthBrowserTests(ConsoleFixture fixture, ITestOutputHelper output)
{
    private const int Width = 390;

    [Fact]
    public async Task EveryPage_AtPhoneWidth_IsNoWiderThanTheScreen_RankingShowsScoreAndLevel()
    {
        var key = await fixture.KeyAsync("admin");
        var notices = await fixture.Host.Admin.GetJsonAsync("/api/v1/cities/suifenhe/notices");
        var noticeId = notices.EnumerateArray().First().GetProperty("id").GetString();
        await using var watched = await fixture.OpenWithKeyAsync(key, "/", new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = Width, Height = 844 },
        });
        var page = watched.Page;

        string[] pages =
        [
            "/", "/rankings?kind=city", "/rankings?kind=port", "/entities/city/suifenhe", "/entities/port/suifenhe-road",
            "/entities/country/RU", "/notices", "/notices/suifenhe", $"/notices/suifenhe/{noticeId}", "/plans?city=suifenhe",
            "/webhooks?city=suifenhe", "/clock", "/assistance", "/keys",
        ];
        var tooWide = new List<string>();
        foreach (var address in pages)
        {
            await page.GotoAsync(address);
            await watched.WaitForConsoleAsync(address.Split('?')[0]);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            output.WriteLine($"{address}: {width} px");
            if (width > Width)
            {
                tooWide.Add($"{address} is {width} px wide");
            }
        }

        Assert.True(tooWide.Count == 0, string.Join("; ", tooWide));

        // The ranking at phone width: the Score and Score band columns are on screen without scrolling the table.
        await page.GotoAsync("/rankings?kind=city");
        await watched.WaitForConsoleAsync("/rankings");
        foreach (var column in new[] { "Score", "Score band" })
        {
            var box = await page.Locator("table.grid thead th").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{column}\\W*$") }).BoundingBoxAsync();
            Assert.True(box is not null && box.X + box.Width <= Width, $"the {column} column is off screen at {Width} px: {box?.X}+{box?.Width}");
        }

        await watched.ScreenshotAsync("console-phone-rankings.png");
        watched.AssertClean();
    }
}
