using System.Net;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// After too many failed keys from its address, the console says so in words with the wait from Retry-After, inside the
/// loaded console and on a page load, not the ProblemDetails JSON a program reads (newcomer 13 saw it raw).
/// </summary>
public sealed class ConsoleTooManyFailuresBrowserTests
{
    [Fact]
    public async Task Console_AddressPastTheFailedKeyLimit_SaysTooManyFailedKeyAttemptsAndTheWait()
    {
        await using var host = await RiskMeshHostFixture.StartAsync(
            "--RiskMesh:Security:FailedAuthenticationLimit=3", "--RiskMesh:Security:FailedAuthenticationWindow=00:05:00");
        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/rankings");
        await watched.SignInAsync(host.AdminKey);
        await watched.WaitForConsoleAsync("/rankings");

        // A script on the same machine with a wrong key blocks the address, the browser's session with it.
        for (var i = 0; i < 4; i++)
        {
            using var guesser = host.CreateClient($"rmk_wrong{i}");
            using var _ = await guesser.GetAsync("/api/v1/clock");
        }

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Notices" }).ClickAsync();
        var alert = page.Locator("main .error[role=alert]");
        await alert.WaitForAsync();
        var inApp = await alert.InnerTextAsync();
        await watched.ScreenshotAsync("console-too-many-failures.png");
        var reload = await page.GotoAsync("/rankings");
        var signIn = await page.Locator(".error[role=alert]").InnerTextAsync();
        await watched.ScreenshotAsync("console-too-many-failures-page.png");

        Assert.Matches(@"^Refused for now\s+Too many failed key attempts from this address; try again in (29\d|300) s\.$", inApp.Trim());
        Assert.DoesNotContain("{", inApp, StringComparison.Ordinal);
        Assert.Equal((int)HttpStatusCode.TooManyRequests, reload!.Status);
        Assert.Matches(@"^Too many failed key attempts from this address; try again in (29\d|300) s\.$", signIn.Trim());
        watched.AssertClean("429");
    }
}
