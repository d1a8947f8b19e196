using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions;
using RiskMesh.Api.Notices;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

public sealed class NoticeStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stream_NoticeIssuedWhileConnected_ArrivesAsIdEventAndDataLines()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var day = new DateOnly(2020, 4, 10);
            await host.PutPlanAsync("heihe", EscalationApi.LowPlan);
            await host.SetClockAsync(day);
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("heihe"));
            await using var stream = await SseReader.OpenAsync(responder, "/api/v1/cities/heihe/notices/stream");

            await host.ReportLocalCasesAsync("heihe", day, 40);

            var received = await stream.ReadUntilAsync(events => events.Count >= 1, Wait);
            var notice = received[0];
            Assert.Equal("1", notice.Id);
            Assert.Equal("notice", notice.Event);
            Assert.Equal("escalation", notice.Json.Text("kind"));
            Assert.Equal("heihe", notice.Json.Text("city"));
            Assert.Equal("heihe-1", notice.Json.Text("id"));
            Assert.Contains("event=connected", stream.Seen[0], StringComparison.Ordinal);

            // The summary people read names the city as the topology does; the id stays in its field (try-out 5 P14).
            Assert.Equal("Heihe (Aihui District)", notice.Json.Text("cityName"));
            // Levels by the names of the city's plan, never by score-band words (try-out 6 F16).
            var next = notice.Json.GetProperty("newLevel").GetInt32();
            var nextName = RiskMesh.Scoring.Escalation.ResponsePlan.Default.NameOf(next);
            Assert.Equal(("normal vigilance", nextName), (notice.Json.Text("previousLevelName"), notice.Json.Text("newLevelName")));
            Assert.StartsWith($"Heihe (Aihui District) escalates from level 1 (normal vigilance) to level {next} ({nextName}) on ", notice.Json.Text("summary"), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stream_NoticeWithoutNamesAfterTheTopologyRenamedTheCity_IsNamedByTheTopologyInForce()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await using var stream = await SseReader.OpenAsync(host.Admin, "/api/v1/cities/heihe/notices/stream");
            var topology = await host.Admin.GetStringAsync("/api/v1/topology");
            Assert.Contains("\"Heihe (Aihui District)\"", topology, StringComparison.Ordinal);
            using var renamed = await host.Admin.PutAsync(
                "/api/v1/topology",
                new StringContent(topology.Replace("\"Heihe (Aihui District)\"", "\"Heihe-Aihui\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(renamed.IsSuccessStatusCode, $"PUT /api/v1/topology answered {(int)renamed.StatusCode}: {await renamed.Content.ReadAsStringAsync()}");

            // A notice as a silo of an earlier version issues it (without names), pushed to this node's feed for the
            // city as the city grain pushes: the stream opened before the rename must not name it as it was then
            // (review 6 F8: the stream named such notices from the topology as it was when it opened).
            var notice = new NoticeView(
                "heihe-1", "heihe", 1, "escalation", 1, 2, 30, null, [], [], new DateOnly(2020, 4, 10), DateTimeOffset.UnixEpoch, "open", null, null);
            await FeedOf(host, "heihe").OnNotice(notice);

            var received = await stream.ReadUntilAsync(events => events.Count >= 1, Wait);
            Assert.Equal("heihe", received[0].Json.Text("city"));
            Assert.Equal("Heihe-Aihui", received[0].Json.Text("cityName"));
            Assert.StartsWith("Heihe-Aihui escalates from level 1", received[0].Json.Text("summary"), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stream_ReconnectWithLastEventId_ReplaysOnlyLaterNoticesWithoutGapsOrRepeats()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var day = new DateOnly(2020, 4, 10);
            await host.PutPlanAsync("dongning", EscalationApi.LowPlan);
            await host.SetClockAsync(day);
            List<SseEvent> live;
            await using (var first = await SseReader.OpenAsync(host.Admin, "/api/v1/cities/dongning/notices/stream"))
            {
                await host.ReportLocalCasesAsync("dongning", day, 40);
                live = await first.ReadUntilAsync(events => events.Count >= 1, Wait);
            }

            // Disconnected: the data goes quiet, so the city steps down while nobody listens.
            await host.SetClockAsync(day.AddDays(40));
            var stored = await host.Admin.NoticesAsync("dongning");
            Assert.True(stored.Length >= 2, $"expected a step-down after the escalation, got {stored.Length} notices");
            var expected = stored.Skip(1).Select(n => n.GetProperty("sequence").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Contains(stored.Skip(1), n => n.Text("kind") == "de-escalation");

            await using var second = await SseReader.OpenAsync(host.Admin, "/api/v1/cities/dongning/notices/stream", live[0].Id);
            var replayed = await second.ReadUntilAsync(events => events.Count >= expected.Count, Wait);
            var extra = await second.NextAsync(TimeSpan.FromSeconds(2));

            Assert.Equal("1", live[0].Id);
            Assert.Equal(expected, replayed.Select(e => e.Id));
            Assert.All(replayed, e => Assert.Equal("notice", e.Event));
            Assert.Equal(stored.Skip(1).Select(n => n.Text("id")), replayed.Select(e => e.Json.Text("id")));
            Assert.Null(extra);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stream_BadLastEventId_Answers400()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cities/suifenhe/notices/stream");
            request.Headers.Add("Last-Event-ID", "suifenhe-1");

            using var response = await host.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    // The hub's feed for a city: the observer the city grain pushes its notices to (private to the hub, reached here
    // to push as a silo of an earlier version would).
    private static INoticeObserver FeedOf(RiskMeshHostFixture host, string city)
    {
        var hub = host.Services.GetRequiredService<NoticeHub>();
        var feeds = (System.Collections.IDictionary)typeof(NoticeHub).GetField("_feeds", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(hub)!;
        return (INoticeObserver)feeds[city]!;
    }
}
