using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The inbox's "now" panel says when the plan may step down as it is: a city without a score steps down one level per
/// dwell, and no score is "below this level's exit" (newcomer 24a L1: Ruili, 20 days without a report, read "The score
/// is below this level's exit; the plan can step down from 2020-05-24 if it stays there" beside "Insufficient data").
/// </summary>
public sealed class ConsoleInboxNoScoreDwellBrowserTests
{
    [Fact]
    public async Task NowPanel_OfACityWithoutAScore_SaysItStepsDownOneLevelPerDwell_AndWhen()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await ConsoleFixture.ReplayScenarioAsync(host);
        await host.PostNdjsonAsync(["""{"id":"dwell-jiegao","type":"case","location":"port:ruili","date":"2020-04-30","count":40,"classification":"imported-confirmed","origin":"MM","source":"dwell-tests"}"""]);
        await host.PostNdjsonAsync(["""{"id":"dwell-local","type":"case","location":"city:ruili","date":"2020-04-30","count":3,"classification":"local-confirmed","source":"dwell-tests"}"""]);
        await host.PostNdjsonAsync(["""{"id":"dwell-imported","type":"case","location":"city:ruili","date":"2020-04-30","count":300,"classification":"imported-confirmed","origin":"MM","source":"dwell-tests"}"""]);
        // Day by day until the city has no score and its plan is above level 1 mid-dwell (the newcomer's 20 May).
        JsonElement view = default;
        string? until = null;
        for (var day = new DateOnly(2020, 5, 1); day <= new DateOnly(2020, 6, 15) && until is null; day = day.AddDays(1))
        {
            await host.SetClockAsync(day);
            view = await host.Admin.GetJsonAsync("/api/v1/cities/ruili");
            var scored = view.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number;
            until = !scored && view.GetProperty("response").TryGetProperty("dwellUntil", out var dwell) && dwell.ValueKind == JsonValueKind.String ? dwell.GetString() : null;
        }

        Assert.True(until is not null, $"no day without a score and with a dwell under way: {view}");
        var days = view.GetProperty("dataQuality").GetProperty("daysSinceLastReport").GetInt32();

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.OpenSignedInAsync(host.BaseAddress, "/notices/ruili", await host.CreateResponderKeyAsync("ruili"));
        var line = watched.Page.Locator("[data-now='ruili'] .response-in-force p[data-dwell-until]");
        await line.WaitForAsync();
        Assert.Equal($"No score (no report for {days} days): the plan steps down one level per dwell; the next step can come on {until}.", await line.InnerTextAsync());
        await watched.ScreenshotAsync("console-inbox-no-score-dwell.png", fullPage: true);
        watched.AssertClean();
    }
}
