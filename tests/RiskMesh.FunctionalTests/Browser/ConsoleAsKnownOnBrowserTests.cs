using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The entity page's "As known on" box reads and takes ISO dates, as the clock page's does, not the browser's locale
/// order (type=date showed 04/10/2020 in an American browser); a day it cannot show is refused beside the box, and the
/// page neither moves nor asks the API (newcomer 12).
/// </summary>
public sealed class ConsoleAsKnownOnBrowserTests
{
    [Fact]
    public async Task AsKnownOn_IsoTextBox_RefusesOtherOrdersUnrealAndFutureDaysBesideTheBox_ShowsARealDay()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync("2020-04-20");
        await using var browser = await HeadlessChromium.LaunchAsync();
        // An American browser: a date box of type "date" would show 04/10/2020 here.
        await using var watched = await browser.NewPageAsync(host.BaseAddress, new BrowserNewContextOptions { Locale = "en-US" });
        var page = watched.Page;
        var asked = 0;
        page.Request += (_, r) => asked += r.Url.Contains("asKnownOn=", StringComparison.Ordinal) ? 1 : 0;
        await page.GotoAsync("/entities/city/suifenhe");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForConsoleAsync("/entities/city/suifenhe");

        var box = page.GetByLabel("As known on", new() { Exact = true });
        var error = page.Locator("#as-known-on-error");
        var show = page.GetByRole(AriaRole.Button, new() { Name = "Show as known then" });
        Assert.Equal("text", await box.GetAttributeAsync("type"));
        Assert.Equal("YYYY-MM-DD", await box.GetAttributeAsync("placeholder"));

        await box.FillAsync("04/10/2020");
        await show.ClickAsync();
        Assert.Equal("Write the date as YYYY-MM-DD (year, month, day), e.g. 2020-04-20; “04/10/2020” is not one.", await error.InnerTextAsync());
        Assert.Equal("true", await box.GetAttributeAsync("aria-invalid"));
        await watched.ScreenshotAsync("console-as-known-on-refused.png");

        await box.FillAsync("2020-02-30");
        await show.ClickAsync();
        Assert.Equal("2020-02-30 is not a real date.", await error.InnerTextAsync());

        await box.FillAsync("2020-04-21");
        await show.ClickAsync();
        Assert.Equal("2020-04-21 is after the clock's day (2020-04-20): nothing is known of it yet.", await error.InnerTextAsync());

        await box.FillAsync("");
        await show.ClickAsync();
        Assert.StartsWith("Write the day to show, as YYYY-MM-DD", await error.InnerTextAsync(), StringComparison.Ordinal);

        Assert.Equal("", await page.EvaluateAsync<string>("location.search"));
        Assert.Equal(0, asked);

        await box.FillAsync("2020-04-10");
        await show.ClickAsync();
        await page.Locator("[data-as-known-on='2020-04-10']").WaitForAsync();
        Assert.Equal("?asKnownOn=2020-04-10", await page.EvaluateAsync<string>("location.search"));
        Assert.Equal("2020-04-10", await page.GetByLabel("As known on", new() { Exact = true }).InputValueAsync());
        Assert.Equal("", await page.Locator("#as-known-on-error").InnerTextAsync());
        await watched.ScreenshotAsync("console-as-known-on-shown.png");
        watched.AssertClean();
    }
}
