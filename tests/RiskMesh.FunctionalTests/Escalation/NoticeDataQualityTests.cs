using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A notice carries the data-quality flags of its day: a city whose reports stopped steps down on no score, and its
/// team read "level 4 → level 3" as all clear (notices13, task 1). The list, the stream and the webhook body say it.
/// </summary>
public sealed class NoticeDataQualityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string City = "dongning";
    private static readonly DateOnly Reported = new(2020, 4, 1);

    [Fact]
    public async Task CityWhoseFeedWentQuiet_StepsDown_WithItsDataQualityAndAWarning_InTheListStreamAndWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        var host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");
        try
        {
            await host.PutWebhookAsync(City, receiver, "data-quality-test-secret");

            // Reported fully on one day (cases and capacity): the escalation rests on complete data.
            await host.PutPlanAsync(City, EscalationApi.LowPlan);
            await host.SetClockAsync(Reported);
            await host.PostNdjsonAsync(ReportedDay());
            // The local cases escalate the city and, the first in 14 days, begin local transmission: both on full data.
            var escalations = await host.Admin.NoticesAsync(City);
            Assert.NotEmpty(escalations);
            Assert.All(escalations, n => Assert.Contains(n.Text("kind"), new[] { "escalation", "local-transmission" }));
            Assert.All(escalations, n => Assert.False(n.TryGetProperty("dataQuality", out _), n.ToString()));
            Assert.All(escalations, n => Assert.False(n.TryGetProperty("dataQualityWarning", out _), n.ToString()));

            // Then nothing: the cases leave the 14-day window on the day the city's own reports go stale.
            await host.SetClockAsync(Reported.AddDays(20));
            var notices = await host.Admin.NoticesAsync(City);
            var stepDown = notices.First(n => n.Text("kind") == "de-escalation");
            output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
            var quality = stepDown.GetProperty("dataQuality");
            var flags = quality.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList();
            Assert.True(flags.Contains("stale") || flags.Contains("no-recent-report"), stepDown.ToString());
            Assert.InRange(quality.GetProperty("daysSinceLastReport").GetInt32(), 14, 20);
            var notes = quality.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
            Assert.Equal(flags.Count, notes.Count);
            Assert.StartsWith($"No case or capacity report from the city", notes[0], StringComparison.Ordinal);
            Assert.Contains($"for {quality.GetProperty("daysSinceLastReport").GetInt32()} days", notes[0], StringComparison.Ordinal);
            Assert.StartsWith("Not an all-clear: the lower level rests on incomplete data", stepDown.Text("dataQualityWarning"), StringComparison.Ordinal);
            Assert.Contains("Not an all-clear: the lower level rests on incomplete data (no case or capacity report from the city", stepDown.Text("summary"), StringComparison.Ordinal);

            // Stale: no score, said with its reason, and no driver of it named (newcomer 17 F1: "city score no score.
            // Score now led by: City capacity gap - …"); every step without a score is one level, each with the warning.
            Assert.Equal("stale", flags[0]);
            Assert.Equal(JsonValueKind.Null, stepDown.GetProperty("score").ValueKind);
            var reason = $"insufficient data: no case or capacity report from the city for {quality.GetProperty("daysSinceLastReport").GetInt32()} days and none of its ports scored";
            Assert.Equal(reason, stepDown.Text("noScoreReason"));
            Assert.Contains($": no city score ({reason}).", stepDown.Text("summary"), StringComparison.Ordinal);
            Assert.DoesNotContain("led by", stepDown.Text("summary"), StringComparison.Ordinal);
            Assert.Equal(0, stepDown.GetProperty("drivers").GetArrayLength());
            var stepsDown = notices.Where(n => n.Text("kind") == "de-escalation").ToList();
            Assert.Equal([4, 3, 2, 1], [stepsDown[0].GetProperty("previousLevel").GetInt32(), .. stepsDown.Select(n => n.GetProperty("newLevel").GetInt32())]);
            Assert.All(stepsDown, n => Assert.Equal(JsonValueKind.Null, n.GetProperty("score").ValueKind));
            Assert.All(stepsDown, n => Assert.Contains("one level per dwell", n.Text("dataQualityWarning"), StringComparison.Ordinal));

            // The stream's backlog: the same notice, the same fields.
            await using (var sse = await SseReader.OpenAsync(host.Admin, $"/api/v1/cities/{City}/notices/stream"))
            {
                var events = await sse.ReadUntilAsync(e => e.Any(x => x.Json.Text("id") == stepDown.Text("id")), TimeSpan.FromSeconds(30));
                var streamed = events.Single(x => x.Json.Text("id") == stepDown.Text("id")).Json;
                Assert.Equal(quality.ToString(), streamed.GetProperty("dataQuality").ToString());
                Assert.Equal(stepDown.Text("dataQualityWarning"), streamed.Text("dataQualityWarning"));
                Assert.Equal(stepDown.Text("summary"), streamed.Text("summary"));
                Assert.Equal(reason, streamed.Text("noScoreReason"));
            }

            // The webhook body, the notice as issued: the warning and notes a relay passes on.
            var body = await receiver.DeliveredNoticeAsync(City, stepDown.Text("id")!, "the step down delivered");
            Assert.Equal(quality.ToString(), body.GetProperty("dataQuality").ToString());
            Assert.Equal(stepDown.Text("dataQualityWarning"), body.Text("dataQualityWarning"));
            Assert.Equal(stepDown.Text("summary"), body.Text("summary"));
            Assert.Equal(reason, body.Text("noScoreReason"));
            Assert.Equal(0, body.GetProperty("drivers").GetArrayLength());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Local cases and the city's capacity, reported on <see cref="Reported"/>.</summary>
    internal static IEnumerable<string> ReportedDay() =>
    [
        JsonSerializer.Serialize(new { id = $"{City}-cases", type = "case", location = $"city:{City}", date = Reported.ToString("yyyy-MM-dd"), count = 40, classification = "local-confirmed", source = "data-quality-tests" }),
        JsonSerializer.Serialize(new { id = $"{City}-capacity", type = "capacity", subject = $"city:{City}", date = Reported.ToString("yyyy-MM-dd"), labs = 3, technicians = 60, isolationBeds = 400, source = "data-quality-tests" }),
    ];
}
