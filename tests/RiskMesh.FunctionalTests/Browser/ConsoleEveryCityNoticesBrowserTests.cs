using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Operators and admins see everything analysts do (the README's role table), so "Notices of every city" too, read-only,
/// with a city's inbox at /notices/{city} (newcomer 17 F2: /notices sent them to one city's inbox only); and the table
/// says who acknowledged a notice and what they wrote (F10: "acknowledged" alone).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleEveryCityNoticesBrowserTests(ConsoleFixture fixture)
{
    [Theory]
    [InlineData("operator")]
    [InlineData("admin")]
    public async Task OperatorAndAdmin_Notices_IsEveryCitysTable_ReadOnly_AndACitysInboxHasItsOwnAddress(string role)
    {
        await using var watched = await fixture.OpenAsRoleAsync(role, "/notices?from=2020-04-01&to=2020-04-30");
        var page = watched.Page;
        await page.Locator("table.all-notices tbody tr[data-notice]").First.WaitForAsync();

        Assert.Equal("Notices of every city", await page.Locator("main h1").InnerTextAsync());
        var rows = page.Locator("table.all-notices tbody tr[data-notice]");
        var cities = await rows.EvaluateAllAsync<string[]>("trs => [...new Set(trs.map(tr => tr.dataset.notice.replace(/-\\d+$/, '')))]");
        Assert.True(cities.Length >= 3, string.Join(", ", cities));
        // Read-only: acknowledging is the response team's, in its inbox.
        Assert.Equal(0, await page.Locator("table.all-notices button, table.all-notices textarea").CountAsync());
        // An operator may open each notice's page, and a city's inbox from here.
        Assert.Equal(1, await page.Locator("tr[data-notice='suifenhe-8'] a[href='/notices/suifenhe/suifenhe-8']").CountAsync());
        await watched.ScreenshotAsync($"console-{role}-notices.png");

        await page.GetByLabel("A city’s inbox").SelectOptionAsync("suifenhe");
        await watched.WaitForConsoleAsync("/notices/suifenhe");
        Assert.Equal("Notices", await page.Locator("main h1").InnerTextAsync());
        await page.Locator("li.notice[data-notice='suifenhe-8']").WaitForAsync();
        Assert.Equal(0, await page.Locator("li.notice").EvaluateAllAsync<int>("lis => lis.filter(li => !li.dataset.notice.startsWith('suifenhe-')).length"));
        watched.AssertClean();
    }

    [Fact]
    public async Task Analyst_EveryCitysTable_AcknowledgedNotice_SaysWhichTeam_AndItsComment()
    {
        // An open notice of a city other than Suifenhe, acknowledged by that city's team with a comment.
        var period = await fixture.Host.Admin.GetJsonAsync("/api/v1/notices?from=2020-03-20&to=2020-04-30");
        var open = period.EnumerateArray().LastOrDefault(n => n.Text("status") == "open" && n.Text("city") != "suifenhe");
        Assert.True(open.ValueKind == JsonValueKind.Object, "the April 2020 scenario left no open notice outside Suifenhe");
        var (city, id) = (open.Text("city")!, open.Text("id")!);
        using (var team = fixture.Host.CreateClient(await fixture.KeyAsync("responder", city)))
        {
            var ack = await team.PostAsJsonAsync($"/api/v1/cities/{city}/notices/{id}/ack", new { comment = "Teams at the crossing since 08:00" });
            Assert.True(ack.IsSuccessStatusCode, await ack.Content.ReadAsStringAsync());
        }

        var notice = (await fixture.Host.Admin.NoticesAsync(city)).Single(n => n.Text("id") == id);
        await using var watched = await fixture.OpenAsRoleAsync("analyst", $"/notices?from={open.Text("date")}&to={open.Text("date")}");
        var page = watched.Page;
        var status = page.Locator($"tr[data-notice='{id}'] td[data-status='acknowledged'] .ack-status");
        await status.WaitForAsync();

        // The team by its key's label, the comment on a line of its own, the key id and time in the tooltip.
        Assert.Equal("console responder", notice.Text("acknowledgedByLabel"));
        Assert.Equal("acknowledged by console responder\n“Teams at the crossing since 08:00”", (await status.InnerTextAsync()).Trim());
        var title = await status.GetAttributeAsync("title") ?? "";
        Assert.StartsWith($"Acknowledged by console responder ({notice.Text("acknowledgedBy")}) at ", title, StringComparison.Ordinal);
        Assert.EndsWith("— “Teams at the crossing since 08:00”", title, StringComparison.Ordinal);
        await watched.ScreenshotAsync("console-analyst-notices-acknowledged.png");
        watched.AssertClean();
    }
}
