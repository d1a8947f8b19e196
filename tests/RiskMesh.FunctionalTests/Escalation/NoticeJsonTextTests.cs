using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// The API's JSON carries text as it is (newcomer 15: <c>curl -N</c> on the stream and webhook bodies read
/// "(\u002B3 more actions)", "today\u0027s" and "\u002B00:00"): only what JSON needs is escaped, in the notices' list,
/// their stream and the plan's answer alike.
/// </summary>
public sealed class NoticeJsonTextTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Notices_ListStreamAndPlan_CarryPlusApostropheAndArrowUnescaped()
    {
        var plan = new
        {
            levels = new object[]
            {
                new { level = 2, name = "heightened", enterAt = 1, exitBelow = 0.5, dwellDays = 1, actions = new[] { "Check today's arrivals → quarantine.", "Health checks.", "Patrols." } },
                new { level = 3, name = "high", enterAt = 99, exitBelow = 98, dwellDays = 1, actions = new[] { "Reduce movement." } },
                new { level = 4, name = "very high", enterAt = 100, exitBelow = 99.5, dwellDays = 1, actions = new[] { "Request a national expert team." } },
            },
        };
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.PutPlanAsync("hekou", plan);
        await host.SetClockAsync(new DateOnly(2020, 4, 20));
        await host.PostNdjsonAsync(
        [
            """{"id":"text-hekou-city","type":"capacity","subject":"city:hekou","date":"2020-04-14","labs":0,"technicians":3,"isolationBeds":30,"source":"text-tests"}""",
            """{"id":"text-hekou-cases","type":"case","location":"city:hekou","date":"2020-04-20","count":12,"classification":"local-confirmed","source":"text-tests"}""",
        ]);

        var list = await host.Admin.GetStringAsync("/api/v1/cities/hekou/notices");
        output.WriteLine(list);
        await using var sse = await SseReader.OpenAsync(host.Admin, "/api/v1/cities/hekou/notices/stream");
        var streamed = (await sse.ReadUntilAsync(e => e.Count > 0, TimeSpan.FromSeconds(30))).First().Data;
        var planAnswer = await host.Admin.GetStringAsync("/api/v1/cities/hekou/plan");

        foreach (var (what, text) in new[] { ("list", list), ("stream", streamed) })
        {
            // The summary quotes the first action and counts the others: the plan's two and the testing request.
            Assert.True(text.Contains("First action: Check today's arrivals → quarantine (+3 more actions).", StringComparison.Ordinal), $"{what}: {text}");
            Assert.True(text.Contains("+00:00\"", StringComparison.Ordinal), $"{what}: {text}");
            Assert.False(text.Contains("\\u", StringComparison.Ordinal), $"{what}: {text}");
        }

        Assert.Contains("Check today's arrivals → quarantine.", planAnswer, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", planAnswer, StringComparison.Ordinal);
    }
}
