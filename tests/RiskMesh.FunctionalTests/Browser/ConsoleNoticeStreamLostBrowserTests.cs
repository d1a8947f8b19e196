using System.Globalization;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// When the inbox's notice stream is lost (the host down, the network gone), a warning banner says notices are not
/// arriving live and since when, and goes once the stream is back; a muted "Reconnecting…" was easy to miss and read
/// as a quiet day (newcomer 12).
/// </summary>
public sealed class ConsoleNoticeStreamLostBrowserTests
{
    private const string Stream = "**/notices/stream**";

    [Fact]
    public async Task Inbox_StreamRefusedThenDropped_WarnsSinceWhen_ClearsWhenTheStreamIsBack()
    {
        // Stopped in the middle of the test, as a host going down: disposed here only when the test failed before then.
        var host = await RiskMeshHostFixture.StartAsync();
        var hostUp = true;
        try
        {
            await host.SetClockAsync("2020-04-20");
            await using var browser = await HeadlessChromium.LaunchAsync();
            await using var watched = await browser.NewPageAsync(host.BaseAddress);
            var page = watched.Page;
            // The host refusing the stream, as while it restarts: the browser gives up on such a stream, the page must not.
            await page.RouteAsync(Stream, r => r.FulfillAsync(new() { Status = 503, Body = "restarting" }));
            await page.GotoAsync("/notices/suifenhe");
            await watched.SignInAsync(host.AdminKey);
            await watched.WaitForConsoleAsync("/notices/suifenhe");
            var before = DateTimeOffset.UtcNow;

            var banner = page.Locator(".stream-lost");
            await banner.WaitForAsync();
            var since = DateTimeOffset.Parse((await banner.GetAttributeAsync("data-since"))!, CultureInfo.InvariantCulture);
            Assert.InRange(since, before.AddMinutes(-1), DateTimeOffset.UtcNow);
            Assert.Equal("alert", await banner.GetAttributeAsync("role"));
            Assert.Equal(
                $"Notices are not arriving live since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC: the connection to RiskMesh was lost, and new notices will not appear here until it is back.",
                await banner.InnerTextAsync());
            Assert.Equal("false", await page.Locator(".live").GetAttributeAsync("data-live"));
            await watched.ScreenshotAsync("console-inbox-stream-lost.png");

            // The host answering again: the page opens the stream again by itself, and the warning goes.
            await page.UnrouteAsync(Stream);
            await page.Locator(".live[data-live='true']").WaitForAsync();
            await banner.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
            await watched.ScreenshotAsync("console-inbox-stream-back.png");

            // An open stream dropped: the host goes down. The same warning, from the moment it went.
            var down = DateTimeOffset.UtcNow;
            hostUp = false;
            await host.DisposeAsync();
            await banner.WaitForAsync();
            since = DateTimeOffset.Parse((await banner.GetAttributeAsync("data-since"))!, CultureInfo.InvariantCulture);
            Assert.InRange(since, down.AddSeconds(-1), DateTimeOffset.UtcNow);
            Assert.StartsWith($"Notices are not arriving live since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC", await banner.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("Reconnecting…", await page.Locator(".live").InnerTextAsync());
            await watched.ScreenshotAsync("console-inbox-host-down.png");

            watched.AssertClean("503", "ERR_CONNECTION_REFUSED");
        }
        finally
        {
            if (hostUp)
            {
                await host.DisposeAsync();
            }
        }
    }
}
