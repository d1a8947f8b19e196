using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The console's clock page moves the cluster's one clock: it asks first, naming the day and what follows (every city
/// evaluated again, notices that may go out), and its date box reads and takes ISO dates, not the browser's locale
/// order (newcomer 11). A clock change whose evaluation failed says the clock moved and which cities failed (review 11).
/// </summary>
public sealed class ConsoleClockBrowserTests
{
    [Fact]
    public async Task ClockPage_IsoDateBox_AsksBeforeMovingNamingTheDayAndWhatFollows_CancelLeavesTheClock_ConfirmMovesIt()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync("2020-04-20");
        await using var browser = await HeadlessChromium.LaunchAsync();
        // An American browser: a date box of type "date" would show 04/20/2020 here.
        await using var watched = await browser.NewPageAsync(host.BaseAddress, new BrowserNewContextOptions { Locale = "en-US" });
        var page = watched.Page;
        var posts = 0;
        page.Request += (_, r) => posts += r.Method == "POST" && r.Url.EndsWith("/api/v1/clock", StringComparison.Ordinal) ? 1 : 0;
        await page.GotoAsync("/clock");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForConsoleAsync("/clock");

        var box = page.GetByLabel("Date");
        Assert.Equal("text", await box.GetAttributeAsync("type"));
        Assert.Equal("2020-04-20", await box.InputValueAsync());
        Assert.Equal("YYYY-MM-DD", await box.GetAttributeAsync("placeholder"));

        // The browser's order is refused next to the box, before anything is asked or sent.
        await box.FillAsync("04/22/2020");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set date" }).ClickAsync();
        Assert.Contains("Write the date as YYYY-MM-DD", await page.Locator("#clock-date-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Dialog).CountAsync());

        await box.FillAsync("2020-04-22");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set date" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.WaitForAsync();
        var asked = await dialog.InnerTextAsync();
        await watched.ScreenshotAsync("console-clock-confirm.png");
        Assert.Contains("Move the whole cluster's clock to 2020-04-22?", asked, StringComparison.Ordinal);
        Assert.Contains("Every city is evaluated again for 2020-04-22, and notices may be issued", asked, StringComparison.Ordinal);
        Assert.Equal("", await page.Locator("#clock-date-error").InnerTextAsync());

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal("2020-04-20", (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
        Assert.Equal(0, posts);

        await page.GetByRole(AriaRole.Button, new() { Name = "Set date" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Move the clock to 2020-04-22" }).ClickAsync();
        await page.Locator(".clock-issued").WaitForAsync();
        Assert.Equal("2020-04-22 (replay)", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        Assert.Equal("2020-04-22", (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
        Assert.Equal(1, posts);
        await watched.ScreenshotAsync("console-clock-moved.png");
        watched.AssertClean();
    }

    /// <summary>
    /// A day out of the clock's range (1970-01-01 to 2099-12-31), typed or reached by "Next day", is refused beside the
    /// box before anything is asked: asking to move the whole cluster to 9999-12-31 and only then refusing it read as
    /// if the page would do it (newcomer 12). Nothing is sent.
    /// </summary>
    [Fact]
    public async Task ClockPage_DayOutOfRange_IsRefusedBesideTheBoxBeforeAnythingIsAskedOrSent()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync("2099-12-31");
        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(host.BaseAddress);
        var page = watched.Page;
        var posts = 0;
        page.Request += (_, r) => posts += r.Method == "POST" && r.Url.EndsWith("/api/v1/clock", StringComparison.Ordinal) ? 1 : 0;
        await page.GotoAsync("/clock");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForConsoleAsync("/clock");
        var box = page.GetByLabel("Date");
        var error = page.Locator("#clock-date-error");

        // What the page says beside the box when TYPED is in it and BUTTON is clicked; it must ask nothing.
        async Task<string> RefusedAsync(string typed, string button)
        {
            await box.FillAsync(typed);
            await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            Assert.Equal(0, await page.GetByRole(AriaRole.Dialog).CountAsync());
            return await error.InnerTextAsync();
        }

        Assert.Equal("9999-12-31 is out of range: the clock can be set from 1970-01-01 to 2099-12-31.", await RefusedAsync("9999-12-31", "Set date"));
        Assert.Equal("true", await box.GetAttributeAsync("aria-invalid"));
        await watched.ScreenshotAsync("console-clock-out-of-range.png");
        Assert.Equal("1969-12-31 is out of range: the clock can be set from 1970-01-01 to 2099-12-31.", await RefusedAsync("1969-12-31", "Set date"));

        // The day after the last one is out of range too, though the box holds a day in range.
        Assert.Equal("2100-01-01 is out of range: the clock can be set from 1970-01-01 to 2099-12-31.", await RefusedAsync("2099-12-31", "Next day"));

        // A real day that is no day of the calendar is said so, not as a format mistake.
        Assert.Equal("2020-02-30 is not a real date.", await RefusedAsync("2020-02-30", "Set date"));

        // A day in range is asked about, and the complaint beside the box goes.
        await box.FillAsync("2099-12-30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set date" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync();
        Assert.Equal("", await error.InnerTextAsync());
        Assert.Null(await box.GetAttributeAsync("aria-invalid"));
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        Assert.Equal(0, posts);
        Assert.Equal("2099-12-31", (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
        watched.AssertClean();
    }

    [Fact]
    public async Task ClockPage_ChangeWhoseEvaluationFailedForOneCity_SaysTheClockMovedAndNamesTheCity()
    {
        var faults = new EvaluationFaults();
        await using var host = await RiskMeshHostFixture.StartAsync(faults.Install);
        await host.SetClockAsync("2020-04-20");
        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/clock");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForConsoleAsync("/clock");

        faults.FailCityOnce("suifenhe");
        await page.GetByLabel("Date").FillAsync("2020-04-22");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set date" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Move the clock to 2020-04-22" }).ClickAsync();
        var said = page.Locator(".clock-issued");
        await said.WaitForAsync();
        var text = await said.InnerTextAsync();
        await watched.ScreenshotAsync("console-clock-failed.png");

        Assert.StartsWith("The clock moved to 2020-04-22, but 1 city failed to evaluate to that day (Suifenhe); the others did.", text, StringComparison.Ordinal);
        Assert.Contains("there is no need to set the clock again", text, StringComparison.Ordinal);
        Assert.DoesNotContain("issued no notice", text, StringComparison.Ordinal);
        Assert.Equal("2020-04-22 (replay)", await page.GetByRole(AriaRole.Status).InnerTextAsync());
        watched.AssertClean();
    }
}
