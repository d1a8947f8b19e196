using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Review 12 L11: the inbox reopened a refused notice stream every 3 s forever, also after the session ended (401) or
/// the key lost the city (403), and called each "the connection was lost". It backs off from 3 s to a minute, probes
/// the city's list once per failure and stops with the reason; a stream back reads its city's list again. The page's
/// timers run on Playwright's clock, so minutes pass without waiting for them.
/// </summary>
public sealed class ConsoleNoticeStreamBackoffBrowserTests
{
    private static readonly DateOnly Day = new(2020, 4, 20);

    [Fact]
    public async Task Inbox_StreamRefused_RetriesAfter3Then6Then12SecondsUpToAMinute_AndStopsSayingSignInAgainOn401()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.SetClockAsync(Day);
            var (_, key) = await ResponderKeyAsync(host, "suifenhe");
            await using var browser = await HeadlessChromium.LaunchAsync();
            await using var watched = await browser.NewPageAsync(host.BaseAddress);
            var page = watched.Page;
            var streams = new StreamRequests(page);
            await PauseClockAsync(page);
            await page.RouteAsync("**/notices/stream**", r => r.FulfillAsync(new() { Status = 503, Body = "restarting" }));
            await page.GotoAsync("/notices");
            await watched.SignInAsync(key);
            await watched.WaitForConsoleAsync("/notices");
            var banner = page.Locator(".stream-lost");
            await page.Locator(".stream-lost[data-retry-in='3']").WaitForAsync();
            Assert.Equal("lost", await banner.GetAttributeAsync("data-reason"));

            // Each wait twice the one before, up to a minute: nothing before it runs out, one new attempt after.
            var attempts = await streams.SettledCountAsync();
            Assert.Equal(1, attempts);
            await page.Clock.RunForAsync(1_500);
            Assert.Equal(attempts, await streams.SettledCountAsync());
            await page.Clock.RunForAsync(2_000);
            Assert.Equal(++attempts, await streams.SettledCountAsync(attempts));
            await page.Locator(".stream-lost[data-retry-in='6']").WaitForAsync();
            foreach (var (wait, next) in new[] { (6, 12), (12, 24), (24, 48), (48, 60), (60, 60) })
            {
                await page.Clock.RunForAsync(wait * 1000 - 500);
                Assert.Equal(attempts, await streams.SettledCountAsync());
                await page.Clock.RunForAsync(1_000);
                Assert.Equal(++attempts, await streams.SettledCountAsync(attempts));
                await page.Locator($".stream-lost[data-retry-in='{next}']").WaitForAsync();
            }

            await watched.ScreenshotAsync("console-inbox-stream-backoff.png");

            // The session ended while the stream was down: the next attempt is refused 401, the probe of the list too,
            // and the page says to sign in again and stops trying, on the inbox still. Both answers are routed: after a
            // key was revoked, this test host left the browser's next requests unanswered (a plain client gets the 401).
            const string Unauthorized = """{"title":"Unauthorized","status":401}""";
            await page.UnrouteAsync("**/notices/stream**");
            await page.RouteAsync("**/api/v1/cities/suifenhe/notices**", r => r.FulfillAsync(new() { Status = 401, ContentType = "application/problem+json", Body = Unauthorized }));
            await page.Clock.RunForAsync(61_000);
            await page.Locator(".stream-lost[data-reason='signed-out']").WaitForAsync();
            attempts = await streams.SettledCountAsync();
            Assert.StartsWith("Signed out: notices are not arriving live. The session has ended or the key was revoked; sign in again to see new notices here.", await banner.InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("/signin?returnUrl=%2Fnotices", await banner.Locator("a").GetAttributeAsync("href"));
            Assert.Equal("Not live: signed out", await page.Locator(".live").InnerTextAsync());
            await watched.ScreenshotAsync("console-inbox-stream-signed-out.png");
            await page.Clock.RunForAsync(600_000);
            Assert.Equal(attempts, await streams.SettledCountAsync());
            Assert.EndsWith("/notices", page.Url, StringComparison.Ordinal);
            watched.AssertClean("503", "401");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Inbox_StreamsBack_ReadEachCityThatWasDownAgain_AndACityRefused403StopsAloneSayingNoAccess()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            // An open notice in each of two cities; a third whose access goes while its stream is down.
            string[] escalated = ["dongning", "hulin"];
            var first = new Dictionary<string, string>();
            foreach (var city in escalated)
            {
                await host.EscalateAsync(city, Day);
                first[city] = (await host.Admin.NoticesAsync(city)).First().Text("id")!;
            }

            var (_, key) = await ResponderKeyAsync(host, [.. escalated, "raohe"]);
            await using var browser = await HeadlessChromium.LaunchAsync();
            await using var watched = await browser.NewPageAsync(host.BaseAddress);
            var page = watched.Page;
            var streams = new StreamRequests(page);
            await PauseClockAsync(page);
            await page.RouteAsync("**/notices/stream**", r => r.FulfillAsync(new() { Status = 503, Body = "restarting" }));
            await page.GotoAsync("/notices");
            await watched.SignInAsync(key);
            await watched.WaitForConsoleAsync("/notices");
            await page.Locator(".stream-lost[data-reason='lost']").WaitForAsync();
            Assert.Equal(3, await streams.SettledCountAsync(3));

            // While the streams are down, each notice is acknowledged elsewhere (a stream never sends that), and the key
            // loses Raohe (as its cities changed): Raohe's list and stream answer 403 from now on.
            foreach (var city in escalated)
            {
                using var ack = await host.Admin.PostAsJsonAsync($"/api/v1/cities/{city}/notices/{first[city]}/ack", new { comment = "seen at the crossing" });
                Assert.True(ack.IsSuccessStatusCode, await ack.Content.ReadAsStringAsync());
            }

            await page.RouteAsync("**/api/v1/cities/raohe/notices**", r => r.FulfillAsync(new()
            {
                Status = 403,
                ContentType = "application/problem+json",
                Body = """{"title":"Forbidden","status":403,"detail":"This key may not read city 'raohe'."}""",
            }));

            // The streams back: each city whose stream was down is read again, so both cards move to acknowledged;
            // Raohe's is refused, probed, and stopped with its reason, and the other two are live.
            await page.UnrouteAsync("**/notices/stream**");
            await page.Clock.RunForAsync(3_500);
            foreach (var city in escalated)
            {
                await page.Locator($"li.notice.acknowledged[data-notice='{first[city]}']").WaitForAsync();
            }

            var noAccess = page.Locator(".stream-lost [data-forbidden='raohe']");
            await noAccess.WaitForAsync();
            await page.Locator(".live[data-live='true']").WaitForAsync();
            Assert.Equal("Live: new notices appear here (2/2 streams)", await page.Locator(".live").InnerTextAsync());
            Assert.Equal("forbidden", await page.Locator(".stream-lost").GetAttributeAsync("data-reason"));
            Assert.StartsWith("No access to the notices of Raohe County.", await noAccess.InnerTextAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("not arriving live", await page.Locator(".stream-lost").InnerTextAsync(), StringComparison.Ordinal);
            await watched.ScreenshotAsync("console-inbox-stream-forbidden.png", fullPage: true);

            var raohe = streams.Count("raohe");
            Assert.Equal(2, raohe);
            await page.Clock.RunForAsync(600_000);
            await Task.Delay(1_000);
            Assert.Equal(raohe, streams.Count("raohe"));
            watched.AssertClean("503", "403");
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>The page's timers on Playwright's clock, stopped: they run only when the test runs the clock.</summary>
    private static async Task PauseClockAsync(IPage page)
    {
        var start = DateTime.UtcNow;
        await page.Clock.InstallAsync(new() { TimeDate = start });
        await page.Clock.PauseAtAsync(start.AddSeconds(1));
    }

    private static async Task<(string Id, string Key)> ResponderKeyAsync(RiskMeshHostFixture host, params string[] cities)
    {
        using var response = await host.Admin.PostAsJsonAsync("/api/v1/keys", new { role = "responder", cities, label = "stream backoff" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return (body.Text("id")!, body.Text("key")!);
    }

    /// <summary>Counts the page's requests for notice streams, by city, as they finish or fail.</summary>
    private sealed class StreamRequests
    {
        private readonly List<string> _urls = [];
        private readonly object _gate = new();

        public StreamRequests(IPage page)
        {
            page.Request += (_, request) =>
            {
                if (request.Url.Contains("/notices/stream", StringComparison.Ordinal))
                {
                    lock (_gate)
                    {
                        _urls.Add(request.Url);
                    }
                }
            };
        }

        public int Count(string city)
        {
            lock (_gate)
            {
                return _urls.Count(u => u.Contains($"/cities/{city}/", StringComparison.Ordinal));
            }
        }

        /// <summary>The count once no new request has come for a moment (at least <paramref name="atLeast"/>).</summary>
        public async Task<int> SettledCountAsync(int atLeast = 0)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var last = -1;
            while (DateTime.UtcNow < deadline)
            {
                int now;
                lock (_gate)
                {
                    now = _urls.Count;
                }

                if (now == last && now >= atLeast)
                {
                    return now;
                }

                last = now;
                await Task.Delay(400);
            }

            throw new TimeoutException($"stream requests did not settle at {atLeast} or more: {last}");
        }
    }
}
