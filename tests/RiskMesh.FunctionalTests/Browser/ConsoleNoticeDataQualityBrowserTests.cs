using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A step down on thin data says so where a responder reads it: the notice's page and its inbox card carry the
/// API's warning and data-quality notes, so "level 4 → level 1" after reports stopped is not read as all clear.
/// </summary>
public sealed class ConsoleNoticeDataQualityBrowserTests
{
    [Fact]
    public async Task NoticePageAndInboxCard_OfAStepDownAfterReportsStopped_ShowTheWarningAndNotes()
    {
        const string city = "dongning";
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.PutPlanAsync(city, EscalationApi.LowPlan);
            await host.SetClockAsync(new DateOnly(2020, 4, 1));
            await host.PostNdjsonAsync(NoticeDataQualityTests.ReportedDay());
            await host.SetClockAsync(new DateOnly(2020, 4, 21));
            var notices = await host.Admin.NoticesAsync(city);
            var stepDown = notices.First(n => n.Text("kind") == "de-escalation");
            var escalation = notices.First(n => n.Text("kind") == "escalation");
            var notes = stepDown.GetProperty("dataQuality").GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToArray();

            await using var browser = await HeadlessChromium.LaunchAsync();
            await using var watched = await browser.NewPageAsync(host.BaseAddress);
            var page = watched.Page;
            var path = $"/notices/{city}/{stepDown.Text("id")}";
            await page.GotoAsync(path);
            await watched.SignInAsync(host.AdminKey);
            await watched.WaitForConsoleAsync(path);

            // The warning before the actions, then the notes under their heading.
            var warning = page.Locator("article.notice-page p.quality-warning");
            Assert.Equal(stepDown.Text("dataQualityWarning"), (await warning.InnerTextAsync()).TrimStart('⚠', ' '));
            Assert.Equal(notes, await page.Locator("article.notice-page .data-quality ul.notes li").AllInnerTextsAsync());
            var order = (await page.Locator("article.notice-page h2").AllInnerTextsAsync()).ToList();
            Assert.True(order.IndexOf("Data quality on that day") < order.IndexOf("Recommended actions"), string.Join(" | ", order));
            // No score: said with its reason, and no driver of it listed (newcomer 17 F1: "Score —" above "What drove it").
            Assert.Equal($"no score ({stepDown.Text("noScoreReason")})", await page.Locator("article.notice-page dd[data-score='none']").InnerTextAsync());
            Assert.Equal(1, await page.Locator("article.notice-page p[data-no-drivers]").CountAsync());
            Assert.Equal(0, await page.Locator("article.notice-page li[data-component]").CountAsync());
            await watched.ScreenshotAsync("console-notice-data-quality.png", fullPage: true);

            // The inbox: the step down's card warns; the escalation, on complete data, has no data-quality line at all.
            await page.GotoAsync($"/notices/{city}");
            await watched.WaitForConsoleAsync($"/notices/{city}");
            var card = page.Locator($"li.notice[data-notice='{stepDown.Text("id")}']");
            Assert.Equal(stepDown.Text("dataQualityWarning"), (await card.Locator("p.quality-warning").InnerTextAsync()).TrimStart('⚠', ' '));
            Assert.Equal(0, await page.Locator($"li.notice[data-notice='{escalation.Text("id")}'] .data-quality").CountAsync());
            // Whose score was missing and why, said once on the card, on its drivers line (the date line said it too).
            var noScore = $"no city score ({stepDown.Text("noScoreReason")})";
            Assert.Equal($"What drove it: nothing, {noScore}.", await card.Locator("p.drivers").InnerTextAsync());
            Assert.Equal(1, (await card.InnerTextAsync()).Split(noScore).Length - 1);
            Assert.DoesNotContain("score", await card.Locator("p[data-score='none']").InnerTextAsync(), StringComparison.Ordinal);
            await watched.ScreenshotAsync("console-inbox-data-quality.png", fullPage: true);
            watched.AssertClean();
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
