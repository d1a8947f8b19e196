using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// A response team reads its city's testing capacity where it reads its notices (newcomer 14, finding 5): the inbox's
/// "now" panel says the capacity today and, for a short city, that the province is recommended to send kits and
/// technicians (the assistance rules, the city's own answer only); each card and notice page says the capacity on the
/// notice's day, in the API's words.
/// </summary>
public sealed class ConsoleInboxTestingCapacityBrowserTests
{
    [Fact]
    public async Task Inbox_NowPanelAndNotices_SayEachCitysTestingCapacity_AndTheProvincesDispatchForAShortCity()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.PutPlanAsync("ruili", EscalationApi.LowPlan);
        await host.SetClockAsync(new DateOnly(2020, 4, 20));
        await host.PostNdjsonAsync(
        [
            """{"id":"cap-sfh-city","type":"capacity","subject":"city:suifenhe","date":"2020-04-14","labs":3,"technicians":40,"isolationBeds":600,"source":"capacity-tests"}""",
            """{"id":"cap-sfh-imported","type":"case","location":"port:suifenhe-road","date":"2020-04-20","count":40,"classification":"imported-confirmed","origin":"MM","source":"capacity-tests"}""",
            """{"id":"cap-ruili-city","type":"capacity","subject":"city:ruili","date":"2020-04-10","labs":0,"technicians":8,"isolationBeds":30,"source":"capacity-tests"}""",
            """{"id":"cap-ruili-cases","type":"case","location":"city:ruili","date":"2020-04-20","count":12,"classification":"local-confirmed","source":"capacity-tests"}""",
        ]);
        var ruiliNow = await host.Admin.GetJsonAsync("/api/v1/cities/ruili/capacity");
        var suifenheNow = await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe/capacity");
        var dispatch = ruiliNow.GetProperty("recommendations").EnumerateArray().Single(r => r.Text("action") == "dispatch testing kits and laboratory technicians");
        var ruiliNotice = (await host.Admin.NoticesAsync("ruili")).Last();
        Assert.Equal("short", ruiliNow.GetProperty("testingCapacity").Text("standing"));
        Assert.Equal("meets-target", suifenheNow.GetProperty("testingCapacity").Text("standing"));

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("ruili", "suifenhe"));
        var page = watched.Page;

        // Ruili now: its capacity today in the API's words, then the province's dispatch with the assistance reason.
        var ruili = page.Locator("[data-now='ruili']");
        await ruili.Locator("p.testing-capacity").WaitForAsync();
        Assert.Equal($"Testing capacity today: {ruiliNow.GetProperty("testingCapacity").Text("line")}", await ruili.Locator("p.testing-capacity").InnerTextAsync());
        Assert.Equal(
            $"Assistance: the province is recommended to dispatch testing kits and laboratory technicians. {dispatch.Text("reason")}",
            await ruili.Locator("p.assistance-testing[data-assistance='dispatch testing kits and laboratory technicians']").InnerTextAsync());

        // Suifenhe now, at or above target (newcomer 15: it read "near target"): its capacity in words, edged as met, and no dispatch beside it.
        var suifenhe = page.Locator("[data-now='suifenhe']");
        await suifenhe.Locator("p.testing-capacity").WaitForAsync();
        Assert.Equal($"Testing capacity today: {suifenheNow.GetProperty("testingCapacity").Text("line")}", await suifenhe.Locator("p.testing-capacity").InnerTextAsync());
        Assert.EndsWith("Laboratories and technicians at or above target: no testing shortfall for the province to fill.", await suifenhe.Locator("p.testing-capacity").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("capacity-met", await suifenhe.Locator("p.testing-capacity").GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Equal(0, await suifenhe.Locator("p.assistance-testing[data-assistance='dispatch testing kits and laboratory technicians']").CountAsync());

        // The notice's card: its capacity on its day, before its actions; in the panel's words today, it points there
        // rather than saying them again (newcomer 24a M3).
        var card = page.Locator($"li.notice[data-notice='{ruiliNotice.Text("id")}']");
        var thatDay = ruiliNotice.GetProperty("testingCapacity").Text("line");
        var capacityLine = card.Locator(thatDay == ruiliNow.GetProperty("testingCapacity").Text("line") ? "p.testing-capacity-same" : "p.testing-capacity");
        Assert.Equal(
            thatDay == ruiliNow.GetProperty("testingCapacity").Text("line") ? "Testing capacity that day: as today’s, in Ruili now." : $"Testing capacity that day: {thatDay}",
            await capacityLine.InnerTextAsync());
        Assert.Equal("short", await capacityLine.GetAttributeAsync("data-capacity"));
        await watched.ScreenshotAsync("console-inbox-testing-capacity.png", fullPage: true);

        // The notice's page: under its own heading, before the recommended actions.
        await page.GotoAsync($"/notices/ruili/{ruiliNotice.Text("id")}");
        await watched.WaitForConsoleAsync($"/notices/ruili/{ruiliNotice.Text("id")}");
        var section = page.Locator("article.notice-page section.testing");
        Assert.Equal(ruiliNotice.GetProperty("testingCapacity").Text("line"), await section.Locator("p.testing-capacity").InnerTextAsync());
        var headings = (await page.Locator("article.notice-page h2").AllInnerTextsAsync()).ToList();
        Assert.True(headings.IndexOf("Testing capacity on that day") is >= 0 and var at && at < headings.IndexOf("Recommended actions"), string.Join(" | ", headings));
        await watched.ScreenshotAsync("console-notice-testing-capacity.png", fullPage: true);
        watched.AssertClean();
    }

    [Fact]
    public async Task Inbox_CityShortOfIsolationBeds_NowPanelSaysEveryRecommendationWithWhoProvidesIt_AndTheCardSaysTheBedsShort()
    {
        // Newcomer 24a H1: Ruili, 30 isolation beds, 463 cases to isolate; its panel showed the testing dispatch alone.
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync(new DateOnly(2020, 4, 30));
        await host.PostNdjsonAsync(
        [
            """{"id":"iso-ruili-city","type":"capacity","subject":"city:ruili","date":"2020-04-10","labs":0,"technicians":8,"isolationBeds":30,"source":"isolation-tests"}""",
            """{"id":"iso-ruili-imported","type":"case","location":"city:ruili","date":"2020-04-30","count":460,"classification":"imported-confirmed","origin":"MM","source":"isolation-tests"}""",
            """{"id":"iso-ruili-local","type":"case","location":"city:ruili","date":"2020-04-30","count":3,"classification":"local-confirmed","source":"isolation-tests"}""",
        ]);
        var now = await host.Admin.GetJsonAsync("/api/v1/cities/ruili/capacity");
        var recommendations = now.GetProperty("recommendations").EnumerateArray().ToList();
        var beds = recommendations.Single(r => r.Text("action") == "dispatch isolation beds and medical materials");
        Assert.Equal("province", beds.Text("scope"));
        Assert.Contains("463 cases to isolate in 14 days (local, asymptomatic and imported) against 30 isolation beds, 433 beds short of the cases to isolate", beds.Text("reason"), StringComparison.Ordinal);
        var notice = (await host.Admin.NoticesAsync("ruili")).Last(n => n.TryGetProperty("isolationCapacity", out _));

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("ruili"));
        var page = watched.Page;

        // Every recommendation of the capacity answer, each saying who provides it (none says "keep monitoring" here).
        var ruili = page.Locator("[data-now='ruili']");
        await ruili.Locator("p.assistance-testing[data-assistance='dispatch isolation beds and medical materials']").WaitForAsync();
        var shown = await ruili.Locator("p.assistance-testing").AllInnerTextsAsync();
        Assert.Equal(
            recommendations.Select(r => $"Assistance: {(r.Text("scope") == "national" ? "the national authorities are" : $"the {r.Text("scope")} is")} recommended to {r.Text("action")}. {r.Text("reason")}"),
            shown);

        // The card: the beds short of the cases to isolate, and who is recommended to provide them.
        var card = page.Locator($"li.notice[data-notice='{notice.Text("id")}']");
        Assert.Equal($"Isolation capacity that day: {notice.GetProperty("isolationCapacity").Text("line")}", await card.Locator("p.isolation-capacity").InnerTextAsync());
        Assert.Equal("433", await card.Locator("p.isolation-capacity").GetAttributeAsync("data-beds-short"));
        await watched.ScreenshotAsync("console-inbox-isolation-capacity.png", fullPage: true);
        watched.AssertClean();
    }

    [Fact]
    public async Task Inbox_NowPanelOfAQuietShortCity_SaysItsDataQuality_AndItsTestingShortfallCardSaysWhatToAsk()
    {
        // Newcomer 20b F3: Ruili's panel read "score band: Low" with nothing of its 22 days without a report, and
        // nothing was pushed of its shortage. Its capacity reported on 10 April, the clock on 30 April.
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync(new DateOnly(2020, 4, 10));
        await host.PostNdjsonAsync(["""{"id":"q-ruili-city","type":"capacity","subject":"city:ruili","date":"2020-04-10","labs":0,"technicians":8,"isolationBeds":30,"source":"quality-tests"}"""]);
        await host.SetClockAsync(new DateOnly(2020, 4, 30));
        var view = await host.Admin.GetJsonAsync("/api/v1/cities/ruili");
        var notes = view.GetProperty("dataQuality").GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.NotEmpty(notes);
        var shortfall = Assert.Single(await host.Admin.NoticesAsync("ruili"), n => n.Text("kind") == "testing-shortfall");

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices", await host.CreateResponderKeyAsync("ruili"));
        var page = watched.Page;

        // The panel says what today's score rests on, in the API's words, each note a sentence.
        var quality = page.Locator("[data-now='ruili'] p.now-quality");
        await quality.WaitForAsync();
        Assert.Equal(
            "Data quality today: " + string.Join(" ", notes.Select(n => char.ToUpperInvariant(n[0]) + n[1..].TrimEnd('.') + ".")),
            await quality.InnerTextAsync());

        // The shortfall's card: what the province is told, and that no level changed.
        var card = page.Locator($"li.notice[data-notice='{shortfall.Text("id")}']");
        Assert.StartsWith("Testing shortfall · Ruili: short of testing capacity; at level 1 (normal vigilance)", await card.Locator("h3").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(
            "Testing shortfall: the province is recommended to dispatch testing kits and laboratory technicians; request them. No change of level: level 1 (normal vigilance) in force that day.",
            await card.Locator("p.testing-shortfall").InnerTextAsync());
        await watched.ScreenshotAsync("console-inbox-testing-shortfall.png", fullPage: true);
        watched.AssertClean();
    }
}
