using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// Local transmission is told to the city's team once per episode (newcomer 16, finding 3: 300 local cases in Heihe,
/// already at level 3 from imports, issued nothing, since the level did not change). Over real HTTP: the list, the
/// stream, the webhook body and alert quality.
/// </summary>
public sealed class LocalTransmissionNoticeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string City = "heihe";
    private const string Kind = "local-transmission";
    private static readonly DateOnly Imports = new(2020, 4, 29);
    private static readonly DateOnly Onset = new(2020, 4, 30);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LocalCasesAfterImportsOnly_IssueOneLocalTransmissionNotice_ListedStreamedAndHooked_AndNoSecondInTheEpisode()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        var host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");
        try
        {
            await host.PutWebhookAsync(City, receiver, "local-transmission-test-secret");

            // Escalated by imported cases first, as Heihe was: the local cases then change no level.
            await host.PutPlanAsync(City, EscalationApi.LowPlan);
            await host.SetClockAsync(Imports);
            await host.PostNdjsonAsync([Case("imports", Imports, 40, "imported-confirmed")]);
            var before = await host.Admin.NoticesAsync(City);
            Assert.NotEmpty(before);
            Assert.DoesNotContain(before, n => n.Text("kind") == Kind);
            var level = (await host.Admin.GetJsonAsync($"/api/v1/cities/{City}")).GetProperty("response").GetProperty("level").GetInt32();
            Assert.Equal(4, level);

            await host.SetClockAsync(Onset);
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync(City));
            await using var stream = await SseReader.OpenAsync(responder, $"/api/v1/cities/{City}/notices/stream");
            await stream.ReadUntilAsync(e => e.Count >= before.Length, Wait);

            await host.PostNdjsonAsync([Case("local-1", Onset, 300, "local-confirmed"), Case("local-asym-1", Onset, 7, "local-asymptomatic")]);

            var events = await stream.ReadUntilAsync(e => e.Any(x => x.Json.Text("kind") == Kind), Wait);
            var streamed = events.Single(x => x.Json.Text("kind") == Kind).Json;
            var notices = await responder.NoticesAsync(City);
            output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
            var notice = Assert.Single(notices, n => n.Text("kind") == Kind);

            // Only the local-transmission notice is new: the level stood at 4.
            Assert.Equal(before.Length + 1, notices.Length);
            Assert.Equal(notice.ToString(), streamed.ToString());
            Assert.Equal("2020-04-30", notice.Text("date"));
            Assert.Equal((level, level), (notice.GetProperty("previousLevel").GetInt32(), notice.GetProperty("newLevel").GetInt32()));
            var local = notice.GetProperty("localCases");
            Assert.Equal(("2020-04-30", 307, 300, 7, 14), (local.Text("date"), local.GetProperty("count").GetInt64(), local.GetProperty("confirmed").GetInt64(), local.GetProperty("asymptomatic").GetInt64(), local.GetProperty("quietDays").GetInt32()));
            var view = await host.Admin.GetJsonAsync($"/api/v1/cities/{City}");
            Assert.Equal(view.GetProperty("score").GetDouble(), notice.GetProperty("score").GetDouble(), 2);
            Assert.StartsWith(
                // Heihe reported nothing before 29 April: the 14 days before are not known to be quiet (review 16 L6).
                "Local transmission in Heihe (Aihui District): 307 local cases (300 confirmed, 7 asymptomatic) on 2020-04-30, the first local cases reported; Heihe (Aihui District) stands at level 4 (very high), city score ",
                notice.Text("summary"),
                StringComparison.Ordinal);
            var actions = notice.GetProperty("actions").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal("Low plan: national team.", actions[0]);
            Assert.NotEmpty(notice.GetProperty("drivers").EnumerateArray());

            // The webhook body is the notice as issued.
            var body = await receiver.DeliveredNoticeAsync(City, notice.Text("id")!, "the local-transmission notice delivered");
            Assert.Equal(local.ToString(), body.GetProperty("localCases").ToString());
            Assert.Equal(notice.Text("summary"), body.Text("summary"));

            // The same episode: more cases that day, the next day's, the clock moved back and forward: nothing new.
            await host.PostNdjsonAsync([Case("local-2", Onset, 50, "local-confirmed")]);
            await host.SetClockAsync(Onset.AddDays(1));
            await host.PostNdjsonAsync([Case("local-3", Onset.AddDays(1), 80, "local-confirmed")]);
            await host.SetClockAsync(Imports);
            await host.SetClockAsync(Onset.AddDays(1));
            var after = await host.Admin.NoticesAsync(City);
            output.WriteLine(string.Join("\n", after.Select(n => n.ToString())));
            Assert.Equal(notice.Text("id"), Assert.Single(after, n => n.Text("kind") == Kind).Text("id"));

            // Counted as a notice, in its own column, and never as a change of level.
            var quality = await host.Admin.GetJsonAsync($"/api/v1/alert-quality?from={Imports:yyyy-MM-dd}&to={Onset.AddDays(1):yyyy-MM-dd}");
            var row = quality.GetProperty("cities").EnumerateArray().Single(c => c.Text("city") == City);
            Assert.Equal(1, row.GetProperty("localTransmission").GetInt32());
            Assert.Equal(after.Length, row.GetProperty("notices").GetInt32());
            Assert.Equal(after.Count(n => n.Text("kind") == "escalation"), row.GetProperty("escalations").GetInt32());
            Assert.Equal(1, quality.GetProperty("overall").GetProperty("localTransmission").GetInt32());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task LateReportsOfEarlierDays_AndTheClockMovedBackAndForward_IssueOneNoticePerEpisode_UntilARealQuietGap()
    {
        // Review 16 H1, as reproduced there: local cases on 30 April, then late reports dated 25 and 15 April, each
        // followed by the clock moved back before them and forward again. One episode: one notice, not three.
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.PutPlanAsync(City, EscalationApi.LowPlan);
            await host.SetClockAsync(Onset);
            await host.PostNdjsonAsync([Case("h1-0430", Onset, 300, "local-confirmed")]);
            Assert.Single(await LocalNoticesAsync(host));

            await host.PostNdjsonAsync([Case("h1-0425", new DateOnly(2020, 4, 25), 2, "local-asymptomatic")]);
            await host.SetClockAsync(new DateOnly(2020, 4, 20));
            await host.SetClockAsync(new DateOnly(2020, 5, 3));
            Assert.Single(await LocalNoticesAsync(host));

            await host.PostNdjsonAsync([Case("h1-0415", new DateOnly(2020, 4, 15), 1, "local-confirmed")]);
            await host.SetClockAsync(new DateOnly(2020, 4, 10));
            await host.SetClockAsync(new DateOnly(2020, 5, 3));
            var first = Assert.Single(await LocalNoticesAsync(host));

            // Cases after 14 days without any (the last were on 30 April) begin a new episode: a second notice.
            var next = new DateOnly(2020, 5, 20);
            await host.SetClockAsync(next);
            await host.PostNdjsonAsync([Case("h1-0520", next, 5, "local-confirmed")]);
            var notices = await LocalNoticesAsync(host);
            output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
            Assert.Equal(2, notices.Length);
            Assert.Equal(first.Text("id"), notices[0].Text("id"));
            Assert.Equal("2020-05-20", notices[1].GetProperty("localCases").Text("date"));

            // Review 16 L4: the first came the day Heihe escalated from level 1 (its own notice); its summary says so
            // instead of "stands at". L6: Heihe had reported nothing before, the second episode follows reports.
            Assert.Equal(1, first.GetProperty("previousLevel").GetInt32());
            Assert.Equal(4, first.GetProperty("newLevel").GetInt32());
            Assert.Contains("on 2020-04-30, the first local cases reported; Heihe (Aihui District) escalated the same day from level 1 ", first.Text("summary"), StringComparison.Ordinal);
            Assert.DoesNotContain("stands at", first.Text("summary"), StringComparison.Ordinal);
            Assert.Contains("on 2020-05-20, the first local cases in 14 days; Heihe (Aihui District) ", notices[1].Text("summary"), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<JsonElement[]> LocalNoticesAsync(RiskMeshHostFixture host) =>
        [.. (await host.Admin.NoticesAsync(City)).Where(n => n.Text("kind") == Kind).OrderBy(n => n.GetProperty("sequence").GetInt64())];

    private static string Case(string id, DateOnly date, int count, string classification) =>
        JsonSerializer.Serialize(new { id = $"{City}-{id}", type = "case", location = $"city:{City}", date = date.ToString("yyyy-MM-dd"), count, classification, source = "local-transmission-tests" });
}
