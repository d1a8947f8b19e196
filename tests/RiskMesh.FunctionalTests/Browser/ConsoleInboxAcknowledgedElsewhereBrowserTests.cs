using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A team of several officers: what one acknowledges, another's open inbox shows acknowledged, by whom, at once (the
/// stream's ack event), not at its next read of the list up to a minute later, when it still showed the notice
/// waiting. And an officer whose acknowledgement comes second (a 409 "Already acknowledged", the comment not recorded)
/// reads the card acknowledged by the colleague, the comment kept beside it, not an error until the next read.
/// </summary>
/// <remarks>
/// The page's timers run on Playwright's clock, paused: its minute's read of the list never comes, so only the stream
/// (or the acknowledgement's own answer) can change the card.
/// </remarks>
public sealed class ConsoleInboxAcknowledgedElsewhereBrowserTests
{
    private const string City = "heihe";
    private const float PushWaitMs = 15_000;

    [Fact]
    public async Task Inbox_NoticeAcknowledgedByAColleague_MarkedAtOnce_ByWhom_WithoutReadingTheList()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.EscalateAsync(City, new DateOnly(2020, 4, 10));
        var id = Assert.Single(await host.Admin.NoticesAsync(City)).Text("id")!;
        var (colleague, colleagueId) = await OfficerAsync(host, "Heihe night shift");

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenOnPausedClockAsync(host.BaseAddress, $"/notices/{City}", await host.CreateResponderKeyAsync(City));
        var page = watched.Page;
        await page.Locator(".live[data-live='true']").WaitForAsync();
        await Card(page, id, "open").WaitForAsync();
        var listReads = 0;
        page.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath == $"/api/v1/cities/{City}/notices")
            {
                Interlocked.Increment(ref listReads);
            }
        };

        using (colleague)
        {
            (await colleague.PostAsJsonAsync($"/api/v1/cities/{City}/notices/{id}/ack", new { comment = "Teams at the crossing" })).EnsureSuccessStatusCode();
        }

        var card = Card(page, id, "acknowledged");
        await card.WaitForAsync(new() { Timeout = PushWaitMs });
        await Assertions.Expect(card.Locator("p.acked")).ToContainTextAsync($"Acknowledged by Heihe night shift ({colleagueId})");
        await Assertions.Expect(card.Locator("p.acked")).ToContainTextAsync("“Teams at the crossing”");
        Assert.Equal(0, await page.Locator($"li.notice[data-notice='{id}'] form.ack").CountAsync());
        Assert.Equal(0, await page.Locator("ul[aria-label='Open notices'] li.notice").CountAsync());
        Assert.Equal(0, Volatile.Read(ref listReads));
        await watched.ScreenshotAsync("console-inbox-acknowledged-elsewhere.png");
        watched.AssertClean();
    }

    [Fact]
    public async Task Inbox_AcknowledgedSecond_WithAComment_ShowsTheColleaguesAcknowledgement_AndKeepsTheComment_NoError()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.EscalateAsync(City, new DateOnly(2020, 4, 10));
        var id = Assert.Single(await host.Admin.NoticesAsync(City)).Text("id")!;
        var (colleague, colleagueId) = await OfficerAsync(host, "Heihe night shift");

        await using var browser = await HeadlessChromium.LaunchAsync();
        var watched = await browser.NewPageAsync(host.BaseAddress);
        await using (watched)
        {
            // No stream reaches this page (refused here with a 503, which EventSource does not retry; the page's own retry
            // waits on the paused clock), so the colleague's acknowledgement is not pushed to it: its own attempt learns
            // of it, from the 409. The refusal's one read of the list (its probe) is let finish first.
            var page = watched.Page;
            await page.RouteAsync($"**/api/v1/cities/{City}/notices/stream*", route => route.FulfillAsync(new() { Status = 503, ContentType = "text/plain", Body = "restarting" }));
            var listReads = 0;
            var probed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            page.RequestFinished += (_, request) =>
            {
                if (new Uri(request.Url).AbsolutePath == $"/api/v1/cities/{City}/notices" && Interlocked.Increment(ref listReads) == 2)
                {
                    probed.TrySetResult();
                }
            };
            await watched.PauseClockAsync();
            await page.GotoAsync($"/notices/{City}");
            await watched.SignInAsync(await host.CreateResponderKeyAsync(City));
            await watched.WaitForConsoleAsync($"/notices/{City}");
            await page.Locator(".stream-lost[data-reason='lost']").WaitForAsync();
            await probed.Task.WaitAsync(TimeSpan.FromSeconds(15));
            var open = Card(page, id, "open");
            await open.WaitForAsync();

            using (colleague)
            {
                (await colleague.PostAsJsonAsync($"/api/v1/cities/{City}/notices/{id}/ack", new { comment = "Teams at the crossing" })).EnsureSuccessStatusCode();
            }

            await open.GetByLabel($"Comment on {id}").FillAsync("Closing the small pathways");
            await open.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

            var card = Card(page, id, "acknowledged");
            await card.WaitForAsync(new() { Timeout = PushWaitMs });
            await Assertions.Expect(card.Locator("p.acked")).ToContainTextAsync($"Acknowledged by Heihe night shift ({colleagueId})");
            await Assertions.Expect(card.Locator("p.acked")).ToContainTextAsync("“Teams at the crossing”");
            await Assertions.Expect(card.Locator("[data-unsent]")).ToHaveTextAsync(
                $"Your comment was not recorded (acknowledged by Heihe night shift ({colleagueId}) first): “Closing the small pathways”");
            Assert.Equal(0, await page.Locator($"li.notice[data-notice='{id}'] [role=alert]").CountAsync());
            await card.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "console-inbox-acknowledged-second.png") });
            Assert.Equal(2, Volatile.Read(ref listReads));
            watched.AssertClean("409", "503");
        }
    }

    private static ILocator Card(IPage page, string id, string status) => page.Locator($"li.notice[data-notice='{id}'][data-status='{status}']");

    // Another officer of the city's team: a responder key with a label of its own, and its id.
    private static async Task<(HttpClient Client, string KeyId)> OfficerAsync(RiskMeshHostFixture host, string label)
    {
        var created = await host.Admin.PostAsJsonAsync("/api/v1/keys", new { role = "responder", cities = new[] { City }, label });
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        return (host.CreateClient(key.Text("key")), key.Text("id")!);
    }
}
