using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The console's clock page after a clock change whose evaluation was still pending when the server answered (202): it
/// says the clock moved and that the cities are still being evaluated, not that the move issued no notice.
/// </summary>
/// <remarks>Waits for a real 5 s response timeout (review 11 L3.6): Orleans' response timeout runs on real time.</remarks>
public sealed class ConsoleClockPendingBrowserTests
{
    [Fact]
    public async Task ClockPage_ChangeAnsweredPendingBehindATopologyRun_SaysTheClockMovedAndTheNoticesAreToCome()
    {
        var held = new HeldTopologyRun();
        await using var host = await RiskMeshHostFixture.StartAsync(held.Install);
        await host.SetClockAsync("2020-04-20");
        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/clock");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForConsoleAsync("/clock");

        var put = await held.StartHeldRunAsync(host);
        await page.GetByLabel("Date").FillAsync("2020-04-22");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set date" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Move the clock to 2020-04-22" }).ClickAsync();
        var said = page.Locator(".clock-issued");
        await said.WaitForAsync();
        var text = await said.InnerTextAsync();
        await watched.ScreenshotAsync("console-clock-pending.png");

        Assert.Contains("The clock moved to 2020-04-22.", text, StringComparison.Ordinal);
        Assert.Contains("still being evaluated", text, StringComparison.Ordinal);
        Assert.DoesNotContain("issued no notice", text, StringComparison.Ordinal);
        Assert.Equal("2020-04-22 (replay)", await page.GetByRole(AriaRole.Status).InnerTextAsync());

        held.Release();
        await put;
        watched.AssertClean();
    }
}
