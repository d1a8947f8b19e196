using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A city short of laboratories and technicians is told so whatever its level (newcomer 20b, finding 3: Ruili stayed at
/// level 1 and its stream carried nothing while its inbox said the province should dispatch kits and technicians). Over
/// real HTTP: the list, the responder's stream, the signed webhook body, the acknowledgement, supersession by its end,
/// and alert quality's own column.
/// </summary>
public sealed class TestingShortfallNoticeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string City = "ruili";
    private static readonly DateOnly Reported = new(2020, 4, 10);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RuiliReportsNoLaboratory_AtLevel1_IsToldOnceOnListStreamAndWebhook_AcknowledgedAndEndedWhenMadeGood()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        var host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");
        try
        {
            await host.PutWebhookAsync(City, receiver, "testing-shortfall-test-secret");

            await host.SetClockAsync(Reported);
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync(City));
            await using var stream = await SseReader.OpenAsync(responder, $"/api/v1/cities/{City}/notices/stream");

            // Ruili's report of 10 April 2020: no laboratory, 8 technicians for 267,638 people.
            await host.PostNdjsonAsync([Capacity("first", Reported, labs: 0, technicians: 8)]);

            var events = await stream.ReadUntilAsync(e => e.Any(x => x.Json.Text("kind") == "testing-shortfall"), Wait);
            var streamed = events.Single(x => x.Json.Text("kind") == "testing-shortfall").Json;
            var notices = await responder.NoticesAsync(City);
            output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
            var notice = Assert.Single(notices);
            Assert.Equal(notice.ToString(), streamed.ToString());
            Assert.Equal(("2020-04-10", 1, 1), (notice.Text("date"), notice.GetProperty("previousLevel").GetInt32(), notice.GetProperty("newLevel").GetInt32()));
            var gaps = notice.GetProperty("testingShortfall");
            Assert.Equal((1.0, 0.7011, false), (gaps.GetProperty("laboratoryGap").GetDouble(), gaps.GetProperty("technicianGap").GetDouble(), gaps.GetProperty("worse").GetBoolean()));
            Assert.Equal("short", notice.GetProperty("testingCapacity").Text("standing"));
            Assert.StartsWith(
                "Ruili is short of testing capacity on 2020-04-10: 0 laboratories for 267,638 people (0 per 1,000,000, target 2; gap 1, short by 1); 8 technicians for 267,638 people (2.99 per 100,000, target 10; gap 0.7, short by 19). The province is recommended to dispatch testing kits and laboratory technicians; Ruili stands at level 1 (normal vigilance), city score ",
                notice.Text("summary"),
                StringComparison.Ordinal);
            Assert.Equal(["Request testing kits and laboratory technicians from the province (for the testing shortfall, from level 3 (high) of the plan)."], notice.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

            // The webhook body is the notice as issued, signed like every notice.
            var body = await receiver.DeliveredNoticeAsync(City, notice.Text("id")!, "the testing-shortfall notice delivered");
            Assert.Equal(gaps.ToString(), body.GetProperty("testingShortfall").ToString());
            Assert.Equal(notice.Text("summary"), body.Text("summary"));

            // Acknowledged by its team like any notice.
            using (var ack = await responder.PostAsJsonAsync($"/api/v1/cities/{City}/notices/{notice.Text("id")}/ack", new { comment = "Asked the province for kits" }))
            {
                Assert.True(ack.IsSuccessStatusCode, await ack.Content.ReadAsStringAsync());
            }

            // Days on, its data going quiet and a report a hair either side of nothing new: nothing more; then made good: its end,
            // which replaces it.
            await host.SetClockAsync(Reported.AddDays(20));
            await host.PostNdjsonAsync([Capacity("near", Reported.AddDays(20), labs: 0, technicians: 9)]);
            Assert.Single(await responder.NoticesAsync(City));
            await host.SetClockAsync(Reported.AddDays(21));
            await host.PostNdjsonAsync([Capacity("good", Reported.AddDays(21), labs: 1, technicians: 27)]);
            var after = await responder.NoticesAsync(City);
            output.WriteLine(string.Join("\n", after.Select(n => n.ToString())));
            Assert.Equal(["testing-shortfall", "testing-shortfall-ended"], after.Select(n => n.Text("kind")));
            Assert.Equal(after[1].Text("id"), after[0].Text("supersededBy"));
            Assert.Equal("acknowledged", after[0].Text("status"));

            // Counted as notices, the shortfall in its own column, never as a change of level.
            var quality = await host.Admin.GetJsonAsync($"/api/v1/alert-quality?from={Reported:yyyy-MM-dd}&to={Reported.AddDays(21):yyyy-MM-dd}");
            var row = quality.GetProperty("cities").EnumerateArray().Single(c => c.Text("city") == City);
            Assert.Equal((2, 1, 0, 0, 0), (row.GetProperty("notices").GetInt32(), row.GetProperty("testingShortfall").GetInt32(), row.GetProperty("escalations").GetInt32(), row.GetProperty("deEscalations").GetInt32(), row.GetProperty("flaps").GetInt32()));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static string Capacity(string id, DateOnly day, int labs, int technicians) =>
        JsonSerializer.Serialize(new { id = $"ruili-capacity-{id}", type = "capacity", subject = $"city:{City}", date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), labs, technicians, isolationBeds = 30, source = "shortfall-test" });
}
