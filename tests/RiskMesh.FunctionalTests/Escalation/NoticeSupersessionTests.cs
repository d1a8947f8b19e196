using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.Abstractions;
using RiskMesh.Api.Notices;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A notice says which later notice of its city replaced it (<c>supersededBy</c>), in the list, in an acknowledgement's
/// answer and on the stream, and the stream's notices carry every field the list gives them (newcomer 11: the stream's
/// lacked <c>acknowledgedByLabel</c>).
/// </summary>
public sealed class NoticeSupersessionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public void Mark_ChainsLevelChangesAndEachPortApart_InIssueOrder()
    {
        static NoticeView Notice(long sequence, string kind, string? port = null, int day = 10) => new(
            $"c-{sequence}", "c", sequence, kind, 1, 2, 30, port, [], [], new DateOnly(2020, 4, day), DateTimeOffset.UnixEpoch, "open", null, null);

        // Issued out of day order (the clock moved back before 4 and 6): issue order decides, the newest decision stands.
        ImmutableArray<NoticeView> notices =
        [
            Notice(1, "escalation", day: 5), Notice(2, "port-above-city", "a"), Notice(3, "port-above-city", "b"),
            Notice(4, "de-escalation", day: 3), Notice(5, "port-above-city", "a"), Notice(6, "escalation", day: 4), Notice(7, "test"),
        ];

        var marked = NoticeSupersession.Mark(notices).ToDictionary(n => n.Id, n => n.SupersededBy);

        Assert.Equal("c-4", marked["c-1"]);
        Assert.Equal("c-6", marked["c-4"]);
        Assert.Null(marked["c-6"]);
        Assert.Equal("c-5", marked["c-2"]);
        Assert.Null(marked["c-3"]);
        Assert.Null(marked["c-5"]);
        Assert.Null(marked["c-7"]);
        Assert.Equal("c-4", NoticeSupersession.Mark(notices[0], notices[1..]).SupersededBy);
        Assert.Null(NoticeSupersession.Mark(notices[2], notices[3..]).SupersededBy);
    }

    [Fact]
    public async Task ListAckAndStream_SayWhichLaterNoticeReplacedOne_AndTheStreamCarriesTheListsFields()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            // An escalation on 10 April, then a step down once the cases leave the window: the second replaces the first.
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            await host.SetClockAsync(new DateOnly(2020, 5, 20));
            var listed = await host.Admin.NoticesAsync("fuyuan");
            Assert.Equal(["escalation", "de-escalation"], listed.Select(n => n.Text("kind")));
            var (first, second) = (listed[0].Text("id")!, listed[1].Text("id")!);
            Assert.Equal(second, listed[0].Text("supersededBy"));
            Assert.False(listed[1].TryGetProperty("supersededBy", out _));

            // Acknowledged by a labelled key: the answer and the list filtered by status still say it (the notice that
            // replaced it is open, and is read all the same).
            var created = await host.Admin.PostAsJsonAsync("/api/v1/keys", new { role = "responder", cities = new[] { "fuyuan" }, label = "Fuyuan response team" });
            using var responder = host.CreateClient((await created.BodyAsync()).Text("key"));
            var ack = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{first}/ack", null);
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            var answer = await ack.BodyAsync();
            Assert.Equal(second, answer.Text("supersededBy"));
            Assert.Equal("Fuyuan response team", answer.Text("acknowledgedByLabel"));
            Assert.Equal(second, Assert.Single(await responder.NoticesAsync("fuyuan", "acknowledged")).Text("supersededBy"));

            // Without Last-Event-ID the stream sends every stored notice first, each exactly as the list gives it.
            listed = await responder.NoticesAsync("fuyuan");
            await using (var stream = await SseReader.OpenAsync(responder, "/api/v1/cities/fuyuan/notices/stream"))
            {
                var backlog = await stream.ReadUntilAsync(events => events.Count >= 2, Wait);
                Assert.Equal(["1", "2"], backlog.Select(e => e.Id));
                foreach (var (sent, expected) in backlog.Select(e => e.Json).Zip(listed))
                {
                    Assert.True(JsonElement.DeepEquals(expected, sent), $"stream: {sent}\nlist:   {expected}");
                }
            }

            // With Last-Event-ID (or ?lastEventId=), only what follows it.
            foreach (var (path, lastEventId) in new[] { ("/api/v1/cities/fuyuan/notices/stream", "1"), ("/api/v1/cities/fuyuan/notices/stream?lastEventId=1", (string?)null) })
            {
                await using var resumed = await SseReader.OpenAsync(responder, path, lastEventId);
                var after = await resumed.ReadUntilAsync(events => events.Count >= 1, Wait);
                Assert.Equal(second, Assert.Single(after).Json.Text("id"));
                Assert.Null(await resumed.NextAsync(TimeSpan.FromSeconds(1)));
            }
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
