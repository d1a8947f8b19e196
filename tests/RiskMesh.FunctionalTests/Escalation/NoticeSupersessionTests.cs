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

    // A clock's day after every notice of the lists below: none is ahead of it.
    private static readonly DateOnly Today = new(2020, 12, 31);

    private static NoticeView Notice(long sequence, string kind, string? port = null, int day = 10, int previous = 1, int next = 2) => new(
        $"c-{sequence}", "c", sequence, kind, previous, next, 30, port, [], [], new DateOnly(2020, 4, day), DateTimeOffset.UnixEpoch, "open", null, null);

    [Fact]
    public void Mark_ANoticeStatingTheLevel_NamesTheLastChangeOfLevelIssuedAfterItTheSameDay()
    {
        // Newcomer 22a, M2: a shortfall told at level 1, then the same day's escalation to 3 and step to 4: the shortfall
        // names the day's last change. A change of another day, an earlier one, a port's and one that left the level
        // it states name nothing.
        ImmutableArray<NoticeView> notices =
        [
            Notice(1, "escalation", day: 9, previous: 1, next: 3),
            Notice(2, "testing-shortfall", next: 1, previous: 1),
            Notice(3, "port-above-city", "a", next: 4),
            Notice(4, "escalation", previous: 1, next: 3) with { NewLevelName = "high" },
            Notice(5, "escalation", previous: 3, next: 4) with { NewLevelName = "very high" },
            Notice(6, "local-transmission", previous: 1, next: 4),
            Notice(7, "testing-shortfall-ended", day: 11, previous: 4, next: 4),
            Notice(8, "de-escalation", day: 12, previous: 4, next: 3),
        ];

        var marked = NoticeSupersession.Mark(notices, Today).ToDictionary(n => n.Id, n => n.LevelChangedLater);

        Assert.Equal(new NoticeLevelChange("c-5", 4, "very high"), marked["c-2"]);
        Assert.Null(marked["c-6"]);
        Assert.Null(marked["c-7"]);
        Assert.Null(marked["c-4"]);
        Assert.Equal(new NoticeLevelChange("c-5", 4, "very high"), NoticeSupersession.Mark(notices[1], notices[2..], Today).LevelChangedLater);
    }

    [Fact]
    public void Mark_APortNoticeStatingTheCitysLevel_NamesTheLastChangeOfTheCitysLevelThatDay()
    {
        // Closing note 22: a port told above the city "at level 1" beside the same day's escalation to 2 stated no later
        // change, as the shortfall did before newcomer 22a M2. Its city level is its previousLevel; the port's own is not
        // the city's, and a change that left the city's level as stated names nothing.
        ImmutableArray<NoticeView> notices =
        [
            Notice(1, "port-above-city", "a", previous: 1, next: 4),
            Notice(2, "port-no-longer-above-city", "b", previous: 1, next: 1),
            Notice(3, "port-above-city", "c", previous: 2, next: 4),
            Notice(4, "escalation", previous: 1, next: 2) with { NewLevelName = "heightened" },
            Notice(5, "port-above-city", "a", day: 11, previous: 2, next: 4),
            Notice(6, "escalation", day: 11, previous: 2, next: 2),
        ];

        var marked = NoticeSupersession.Mark(notices, Today).ToDictionary(n => n.Id, n => n.LevelChangedLater);

        Assert.Equal(new NoticeLevelChange("c-4", 2, "heightened"), marked["c-1"]);
        Assert.Equal(new NoticeLevelChange("c-4", 2, "heightened"), marked["c-2"]);
        Assert.Null(marked["c-3"]);
        Assert.Null(marked["c-5"]);
        Assert.Equal(new NoticeLevelChange("c-4", 2, "heightened"), NoticeSupersession.Mark(notices[0], notices[1..], Today).LevelChangedLater);
    }

    [Fact]
    public void Mark_ChainsLevelChangesAndEachPortApart_InIssueOrder()
    {
        // Issued out of day order (the clock moved back before 4 and 6): issue order decides, the newest decision stands.
        // The ports stand at level 4, above every level the city reaches here.
        ImmutableArray<NoticeView> notices =
        [
            Notice(1, "escalation", day: 5), Notice(2, "port-above-city", "a", next: 4), Notice(3, "port-above-city", "b", next: 4),
            Notice(4, "de-escalation", day: 3), Notice(5, "port-above-city", "a", next: 4), Notice(6, "escalation", day: 4), Notice(7, "test"),
        ];

        var marked = NoticeSupersession.Mark(notices, Today).ToDictionary(n => n.Id, n => n.SupersededBy);

        Assert.Equal("c-4", marked["c-1"]);
        Assert.Equal("c-6", marked["c-4"]);
        Assert.Null(marked["c-6"]);
        Assert.Equal("c-5", marked["c-2"]);
        Assert.Null(marked["c-3"]);
        Assert.Null(marked["c-5"]);
        Assert.Null(marked["c-7"]);
        Assert.Equal("c-4", NoticeSupersession.Mark(notices[0], notices[1..], Today).SupersededBy);
        Assert.Null(NoticeSupersession.Mark(notices[2], notices[3..], Today).SupersededBy);
    }

    [Fact]
    public void Mark_APortAboveTheCity_IsReplacedByTheCitysChangeToThePortsLevelOrHigher_WhicheverCameFirst()
    {
        // Suifenhe after the April 2020 replay: its road port at 4 above the city at 3 (7 April), the city then at 4
        // (16 April), down to 2 and 1 in May; the port at 3 above the city at 2 would be replaced by the port's own next.
        ImmutableArray<NoticeView> notices =
        [
            Notice(1, "port-above-city", "road", previous: 1, next: 3), Notice(2, "escalation", previous: 1, next: 2),
            Notice(3, "port-above-city", "road", previous: 2, next: 4), Notice(4, "escalation", previous: 2, next: 3),
            Notice(5, "escalation", previous: 3, next: 4), Notice(6, "port-above-city", "rail", previous: 4, next: 4),
            Notice(7, "de-escalation", previous: 4, next: 2), Notice(8, "port-above-city", "road", previous: 2, next: 3),
        ];

        var marked = NoticeSupersession.Mark(notices, Today).ToDictionary(n => n.Id, n => n.SupersededBy);

        // Road at 3 above the city at 1: the city's escalation to 2 leaves it above, the road's next notice replaces it.
        Assert.Equal("c-3", marked["c-1"]);
        // Road at 4 above the city at 2: the escalation to 3 leaves it above; the one to 4 does not.
        Assert.Equal("c-5", marked["c-3"]);
        // Rail at 4 beside the city at 4 (issued as the city stood there): the step down to 2 reaches no level 4.
        Assert.Null(marked["c-6"]);
        Assert.Null(marked["c-8"]);
        Assert.Equal("c-5", NoticeSupersession.Mark(notices[2], notices[3..], Today).SupersededBy);
        Assert.Equal("c-3", NoticeSupersession.Mark(notices[0], notices[1..], Today).SupersededBy);
    }

    [Fact]
    public void Mark_NoticesDatedAfterTheClocksDay_AreAheadOfIt_AndReplaceNoNoticeUpToIt()
    {
        // Suifenhe after the April replay, gone live (steps down on 1 and 5 May) and the clock moved back to 20 April:
        // level 4 from 16 April is in force, so its escalation is current, not replaced by the May step downs.
        ImmutableArray<NoticeView> notices =
        [
            Notice(1, "escalation", day: 7, previous: 2, next: 3), Notice(2, "port-above-city", "road", day: 7, previous: 3, next: 4),
            Notice(3, "escalation", day: 16, previous: 3, next: 4), Notice(4, "port-above-city", "rail", day: 25, previous: 4, next: 4),
            Notice(5, "de-escalation", day: 30, previous: 4, next: 2), Notice(6, "de-escalation", day: 30, previous: 2, next: 1),
        ];
        var clockDay = new DateOnly(2020, 4, 20);

        var marked = NoticeSupersession.Mark(notices, clockDay).ToDictionary(n => n.Id);

        Assert.Equal("c-3", marked["c-1"].SupersededBy);
        Assert.Equal("c-3", marked["c-2"].SupersededBy);
        Assert.Null(marked["c-3"].SupersededBy);
        Assert.Equal([null, null, null, true, true, true], notices.Select(n => marked[n.Id].AheadOfClock));
        // Among themselves, notices ahead of the clock keep their issue order: the newest decision stands.
        Assert.Equal("c-6", marked["c-5"].SupersededBy);
        Assert.Null(marked["c-6"].SupersededBy);
        // One notice marked from those after it (an acknowledgement's answer) says the same.
        var escalation = NoticeSupersession.Mark(notices[2], notices[3..], clockDay);
        Assert.Null(escalation.SupersededBy);
        Assert.Null(escalation.AheadOfClock);
        var stepDown = NoticeSupersession.Mark(notices[4], notices[5..], clockDay);
        Assert.Equal("c-6", stepDown.SupersededBy);
        Assert.True(stepDown.AheadOfClock);
        // With the clock at the last notice's day again, nothing is ahead and the step down replaces the escalation.
        Assert.Equal("c-5", NoticeSupersession.Mark(notices, new DateOnly(2020, 4, 30)).Single(n => n.Id == "c-3").SupersededBy);
    }

    [Fact]
    public async Task ListAckAndStream_SayWhichLaterNoticeReplacedOne_AndTheStreamCarriesTheListsFields()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            // An escalation to level 4 on 10 April, then, once the city's reports are stale (no score), a step down one
            // level per dwell (newcomer 17 F1; one day each in the low plan): each notice replaces the one before it.
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            await host.SetClockAsync(new DateOnly(2020, 5, 20));
            var listed = await host.Admin.NoticesAsync("fuyuan");
            Assert.Equal(["escalation", "de-escalation", "de-escalation", "de-escalation"], listed.Select(n => n.Text("kind")));
            var (first, second) = (listed[0].Text("id")!, listed[1].Text("id")!);
            Assert.Equal(second, listed[0].Text("supersededBy"));
            Assert.Equal(listed[2].Text("id"), listed[1].Text("supersededBy"));
            Assert.Equal(listed[3].Text("id"), listed[2].Text("supersededBy"));
            Assert.False(listed[3].TryGetProperty("supersededBy", out _));

            // The analysts' list of every city says it too, also for a period that ends before the notice replacing it.
            var everyCity = await host.Admin.GetJsonAsync("/api/v1/notices?from=2020-04-01&to=2020-04-30");
            Assert.Equal(second, everyCity.EnumerateArray().Single(n => n.Text("id") == first).Text("supersededBy"));

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
                var backlog = await stream.ReadUntilAsync(events => events.Count >= 4, Wait);
                Assert.Equal(["1", "2", "3", "4"], backlog.Select(e => e.Id));
                foreach (var (sent, expected) in backlog.Select(e => e.Json).Zip(listed))
                {
                    Assert.True(JsonElement.DeepEquals(expected, sent), $"stream: {sent}\nlist:   {expected}");
                }
            }

            // With Last-Event-ID (or ?lastEventId=), only what follows it.
            foreach (var (path, lastEventId) in new[] { ("/api/v1/cities/fuyuan/notices/stream", "1"), ("/api/v1/cities/fuyuan/notices/stream?lastEventId=1", (string?)null) })
            {
                await using var resumed = await SseReader.OpenAsync(responder, path, lastEventId);
                var after = await resumed.ReadUntilAsync(events => events.Count >= 3, Wait);
                Assert.Equal(listed.Skip(1).Select(n => n.Text("id")), after.Select(e => e.Json.Text("id")));
                Assert.Null(await resumed.NextAsync(TimeSpan.FromSeconds(1)));
            }
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
