using System.Net;
using System.Text;
using RiskMesh.Cli.Commands;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class WatchCommandTests
{
    // The default plan's names of levels 1 to 4, as a notice carries them.
    private static readonly string[] LevelNames = ["", "normal vigilance", "heightened", "high", "very high"];

    private static string Notice(long sequence, string kind, int from, int to) =>
        $"{{\"id\":\"suifenhe-{sequence}\",\"city\":\"suifenhe\",\"sequence\":{sequence},\"kind\":\"{kind}\",\"previousLevel\":{from},\"newLevel\":{to}," +
        $"\"previousLevelName\":\"{LevelNames[from]}\",\"newLevelName\":\"{LevelNames[to]}\"," +
        "\"score\":55.5,\"port\":null,\"drivers\":[{\"name\":\"localCases\",\"value\":12,\"contribution\":20.1,\"explanation\":\"12 cases\"}]," +
        "\"actions\":[\"designated quarantine facilities\"],\"date\":\"2020-04-20\",\"issuedAt\":\"2020-04-20T08:00:00Z\",\"status\":\"open\"," +
        "\"acknowledgedBy\":null,\"acknowledgedAt\":null}";

    private static string Frame(long sequence, string data) => $"id: {sequence}\nevent: notice\ndata: {data}\n\n";

    private static HttpResponseMessage EventStream(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/event-stream") };

    // A server whose notice stream answers the watch's connections with these bodies in turn; the connection after the
    // last gets an empty stream and cancels the watch, so the test ends once its script is played.
    private static StubHandler ServingStreams(CancellationTokenSource cancel, params string[] bodies) =>
        new((_, call) =>
        {
            if (call > bodies.Length)
            {
                cancel.Cancel();
                return EventStream("");
            }

            return EventStream(bodies[call - 1]);
        });

    [Fact]
    public async Task Watch_StreamDrops_ReconnectsWithLastEventIdAndSkipsRepeats()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The second connection is refused, so this server is its own.
        using var handler = new StubHandler((request, call) =>
        {
            var body = call switch
            {
                1 => Frame(1, Notice(1, "escalation", 1, 2)) + Frame(2, Notice(2, "escalation", 2, 3)),
                2 => throw new HttpRequestException("connection refused"),
                3 => Frame(2, Notice(2, "escalation", 2, 3)) + Frame(3, Notice(3, "de-escalation", 3, 2)),
                _ => "",
            };
            if (call >= 4)
            {
                cancel.Cancel();
            }

            return EventStream(body);
        });

        var result = await CliRun.RunWithHandlerAsync(handler, cancel.Token, "watch", "city", "suifenhe", "--backlog");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Null(handler.Requests[0].Headers.TryGetValues("Last-Event-ID", out var first) ? first.Single() : null);
        Assert.Equal("2", handler.Requests[1].Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal("2", handler.Requests[2].Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal("3", handler.Requests[3].Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal("/api/v1/cities/suifenhe/notices/stream", handler.Requests[0].RequestUri!.AbsolutePath);
        var lines = result.Out.Split('\n').Where(l => l.Contains("suifenhe-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("day 2020-04-20  escalation: city level 1 (normal vigilance) → level 2 (heightened), city score 55.5  [open; issued 2020-04-20 08:00 UTC]", lines[0], StringComparison.Ordinal);
        // Drivers by their labels, the code in brackets (try-out 7 F4).
        Assert.Contains("    driver Local cases [localCases]: 12 (+20.1 pts) 12 cases", result.Out, StringComparison.Ordinal);
        Assert.Contains("de-escalation: city level 3 (high) → level 2 (heightened)", lines[2], StringComparison.Ordinal);
        Assert.Contains("action: designated quarantine facilities", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_WithoutBacklog_SumsUpEarlierNoticesInOneLine_PrintsOnlyNewOnes()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var handler = new StubHandler((request, call) =>
        {
            if (call == 1)
            {
                // The city's notices so far, as GET /cities/{id}/notices lists them.
                return StubHandler.Json(HttpStatusCode.OK, $"[{Notice(1, "escalation", 1, 2)},{Notice(2, "escalation", 2, 3)}]", "application/json");
            }

            // The stream replays the history, then a new notice arrives.
            var body = call == 2 ? Frame(1, Notice(1, "escalation", 1, 2)) + Frame(2, Notice(2, "escalation", 2, 3)) + Frame(3, Notice(3, "de-escalation", 3, 2)) : "";
            if (call >= 3)
            {
                cancel.Cancel();
            }

            return EventStream(body);
        });

        var result = await CliRun.RunWithHandlerAsync(handler, cancel.Token, "watch", "city", "suifenhe");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/cities/suifenhe/notices", handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Contains("2 earlier notices, 2 open; the last: suifenhe-2 of 2020-04-20 (escalation); --backlog prints them", result.Error, StringComparison.Ordinal);
        var lines = result.Out.Split('\n').Where(l => l.Contains("suifenhe-", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(lines);
        Assert.Contains("de-escalation: city level 3 (high) → level 2 (heightened)", only, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_ClockEvents_SaysEachMoveOnStderrOnce_NoticesAndResumePointUnchanged()
    {
        // The stream's clock events (no id): the day as it opens, then each move; after a reconnection, the day again.
        static string Clock(string date) => $"event: clock\ndata: {{\"date\":\"{date}\",\"mode\":\"replay\"}}\n\n";
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var handler = ServingStreams(
            cancel,
            Clock("2020-04-20") + Frame(1, Notice(1, "escalation", 1, 2)) + Clock("2020-04-21") + Frame(2, Notice(2, "escalation", 2, 3)) + Clock("2020-04-21"),
            Clock("2020-04-21") + Frame(3, Notice(3, "de-escalation", 3, 2)));

        var result = await CliRun.RunWithHandlerAsync(handler, cancel.Token, "watch", "city", "suifenhe", "--backlog");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["the clock's day moved to 2020-04-21 (replay)"], result.Error.Split('\n').Where(l => l.Contains("clock", StringComparison.Ordinal)).Select(l => l.TrimEnd()));
        Assert.Equal(3, result.Out.Split('\n').Count(l => l.Contains("suifenhe-", StringComparison.Ordinal)));
        Assert.DoesNotContain("mode", result.Out, StringComparison.Ordinal);
        Assert.Equal("2", handler.Requests[1].Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal("3", handler.Requests[2].Headers.GetValues("Last-Event-ID").Single());
    }

    [Fact]
    public async Task Watch_AReplaysDaysInQuickSuccession_SaidInOneLineBeforeTheNextNotice_NotOneLinePerDay()
    {
        // A replay moves the clock a day at a time: April 2020 printed 42 lines between its notices (newcomer 20b, L9).
        static string Clock(string date) => $"event: clock\ndata: {{\"date\":\"{date}\",\"mode\":\"replay\"}}\n\n";
        var days = Enumerable.Range(0, 11).Select(i => Clock(new DateOnly(2020, 4, 20).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var handler = ServingStreams(
            cancel,
            string.Concat(days) + Frame(1, Notice(1, "escalation", 1, 2)) + Clock("2020-05-01") + Clock("2020-05-02"));

        // The quiet window never ends here, so only a notice and the stream's end say the moves held; the reconnection
        // after the stream's end is not held (it waits a second too, and was: the test ran out its 30 s instead of
        // ending at the second connection).
        var result = await CliRun.RunWithHandlerAsync(
            handler,
            (_, token) => Task.Delay(10, token),
            (_, token) => Task.Delay(Timeout.Infinite, token),
            cancel.Token,
            "watch", "city", "suifenhe", "--backlog");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["the clock's day moved to 2020-04-30 (replay), from 2020-04-20 in 10 moves", "the clock's day moved to 2020-05-02 (replay), from 2020-04-30 in 2 moves"],
            result.Error.Split('\n').Where(l => l.Contains("clock", StringComparison.Ordinal)).Select(l => l.TrimEnd()));
        Assert.Single(result.Out.Split('\n'), l => l.Contains("suifenhe-1", StringComparison.Ordinal));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Watch_AckEvents_PrintOneLineEachOnStdout_WithTheComment_NoticesAndResumePointUnchanged()
    {
        // The stream's ack events (no id): one by a labelled key with a comment, one by a key without a label.
        const string ByTeam = "event: ack\ndata: {\"id\":\"suifenhe-1\",\"city\":\"suifenhe\",\"sequence\":1,\"acknowledgedBy\":\"key-0123456789ab\","
            + "\"acknowledgedByLabel\":\"Suifenhe response team\",\"acknowledgedAt\":\"2020-04-20T09:15:00+00:00\",\"acknowledgementComment\":\"Teams at the crossing\"}\n\n";
        const string ByKey = "event: ack\ndata: {\"id\":\"suifenhe-2\",\"city\":\"suifenhe\",\"sequence\":2,\"acknowledgedBy\":\"key-ba9876543210\",\"acknowledgedAt\":\"2020-04-20T10:00:00Z\"}\n\n";
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var handler = ServingStreams(
            cancel,
            Frame(1, Notice(1, "escalation", 1, 2)) + ByTeam + Frame(2, Notice(2, "escalation", 2, 3)) + ByKey);

        var result = await CliRun.RunWithHandlerAsync(handler, cancel.Token, "watch", "city", "suifenhe", "--backlog");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        var first = lines.FindIndex(l => l.StartsWith("suifenhe-1  day ", StringComparison.Ordinal));
        var ackedFirst = lines.IndexOf("suifenhe-1  acknowledged by Suifenhe response team (key-0123456789ab) at 2020-04-20 09:15 UTC");
        var second = lines.FindIndex(l => l.StartsWith("suifenhe-2  day ", StringComparison.Ordinal));
        var ackedSecond = lines.IndexOf("suifenhe-2  acknowledged by key-ba9876543210 at 2020-04-20 10:00 UTC");
        Assert.True(first >= 0 && first < ackedFirst && ackedFirst < second && second < ackedSecond, result.Out);
        Assert.Equal("    comment: \u201cTeams at the crossing\u201d", lines[ackedFirst + 1]);
        Assert.Equal(ackedSecond + 1, lines.FindLastIndex(l => l.Length > 0) + 1);
        Assert.Equal(2, lines.Count(l => l.Contains("acknowledged by", StringComparison.Ordinal)));
        Assert.DoesNotContain("ack", result.Error, StringComparison.Ordinal);
        Assert.Equal("2", handler.Requests[1].Headers.GetValues("Last-Event-ID").Single());
    }

    [Fact]
    public async Task Watch_AnAckForANoticeTheBacklogShowedAcknowledged_IsNotSaidAgain_NorARepeatedAck()
    {
        // A stream opened as suifenhe-1 was acknowledged: the backlog carries it acknowledged, then the ack event comes
        // (review 20, L7); and an ack event repeated (after a reconnection) is said once.
        var acknowledgedNotice = Notice(1, "escalation", 1, 2)
            .Replace("\"status\":\"open\",\"acknowledgedBy\":null,\"acknowledgedAt\":null", "\"status\":\"acknowledged\",\"acknowledgedBy\":\"key-0123456789ab\",\"acknowledgedAt\":\"2020-04-20T09:15:00Z\"", StringComparison.Ordinal);
        Assert.Contains("\"status\":\"acknowledged\"", acknowledgedNotice, StringComparison.Ordinal);
        static string Ack(int sequence) => $"event: ack\ndata: {{\"id\":\"suifenhe-{sequence}\",\"city\":\"suifenhe\",\"sequence\":{sequence},\"acknowledgedBy\":\"key-0123456789ab\",\"acknowledgedAt\":\"2020-04-20T09:15:00Z\"}}\n\n";
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var handler = ServingStreams(
            cancel,
            Frame(1, acknowledgedNotice) + Ack(1) + Frame(2, Notice(2, "escalation", 2, 3)) + Ack(2),
            Ack(2));

        var result = await CliRun.RunWithHandlerAsync(handler, cancel.Token, "watch", "city", "suifenhe", "--backlog");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.DoesNotContain("suifenhe-1  acknowledged by key-0123456789ab at 2020-04-20 09:15 UTC", lines);
        Assert.Single(lines, l => l == "suifenhe-2  acknowledged by key-0123456789ab at 2020-04-20 09:15 UTC");
    }

    // A notice issued at a given time, acknowledged or not.
    private static string NoticeAt(long sequence, string issuedAt, bool acknowledged = false)
    {
        var notice = Notice(sequence, "escalation", 1, 2).Replace("2020-04-20T08:00:00Z", issuedAt, StringComparison.Ordinal);
        return acknowledged
            ? notice.Replace("\"status\":\"open\",\"acknowledgedBy\":null,\"acknowledgedAt\":null", "\"status\":\"acknowledged\",\"acknowledgedBy\":\"key-0123456789ab\",\"acknowledgedAt\":\"2020-04-20T09:15:00Z\"", StringComparison.Ordinal)
            : notice;
    }

    // A server with these notices listed (GET …/notices) whose stream sends these frames, then ends the watch.
    private static StubHandler Serving(CancellationTokenSource cancel, string listed, string streamed)
    {
        var served = 0;
        return new((request, _) =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/notices", StringComparison.Ordinal))
            {
                return StubHandler.Json(HttpStatusCode.OK, listed);
            }

            if (Interlocked.Increment(ref served) > 1)
            {
                cancel.Cancel();
                return EventStream("");
            }

            return EventStream(streamed);
        });
    }

    private static IReadOnlyList<string> NoticeLines(CliResult result) =>
        [.. result.Out.Split('\n').Where(l => l.Contains("  day ", StringComparison.Ordinal)).Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)])];

    [Fact]
    public async Task Watch_RestartedAfterNoticesWereIssued_PrintsThoseItMissed_AndTheAcknowledgementsMadeMeanwhile()
    {
        // Newcomer 22a, M1: a restarted watch summed up the escalation issued while it was stopped and never printed it.
        var env = CliRun.Env("http://stub.test", "k");
        using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            using var first = Serving(cancel, $"[{NoticeAt(1, "2026-11-29T10:00:00Z")}]", Frame(1, NoticeAt(1, "2026-11-29T10:00:00Z")) + Frame(2, NoticeAt(2, "2026-11-29T10:05:00Z")));
            var before = await CliRun.RunWithHandlerAsync(first, env, cancel.Token, "watch", "city", "suifenhe");
            Assert.True(before.ExitCode == 0, before.ToString());
            Assert.Equal(["suifenhe-2"], NoticeLines(before));
        }

        // While it was stopped: suifenhe-2 (printed open) was acknowledged, suifenhe-3 and -4 were issued.
        using var again = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listed = $"[{NoticeAt(1, "2026-11-29T10:00:00Z")},{NoticeAt(2, "2026-11-29T10:05:00Z", acknowledged: true)},{NoticeAt(3, "2026-11-29T11:00:00Z")},{NoticeAt(4, "2026-11-29T11:01:00Z")}]";
        using var second = Serving(again, listed, Frame(3, NoticeAt(3, "2026-11-29T11:00:00Z")) + Frame(4, NoticeAt(4, "2026-11-29T11:01:00Z")));
        var result = await CliRun.RunWithHandlerAsync(second, env, again.Token, "watch", "city", "suifenhe");

        Assert.True(result.ExitCode == 0, result.ToString());
        var stream = second.Requests.First(r => r.RequestUri!.AbsolutePath.EndsWith("/stream", StringComparison.Ordinal));
        Assert.Equal("2", stream.Headers.GetValues("Last-Event-ID").Single());
        Assert.Equal(["suifenhe-3", "suifenhe-4"], NoticeLines(result));
        Assert.Contains("suifenhe-2  acknowledged by key-0123456789ab at 2020-04-20 09:15 UTC", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("suifenhe-1  acknowledged", result.Out, StringComparison.Ordinal);
        Assert.Contains("resuming after suifenhe-2, where this watch last stopped (", result.Error, StringComparison.Ordinal);
        Assert.Contains("2 notices issued since", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("earlier notices", result.Error, StringComparison.Ordinal);

        // The memory is the owner's alone, and names the server and city it is for.
        var file = Assert.Single(Directory.GetFiles(Path.Combine(env["XDG_STATE_HOME"]!, "riskmesh", "watch")));
        Assert.StartsWith("suifenhe-", Path.GetFileName(file), StringComparison.Ordinal);
        Assert.Contains("\"lastEventId\": 4", File.ReadAllText(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        }
    }

    [Fact]
    public async Task Watch_RestartedOnAServerWhoseNoticesWereNumberedAnew_PrintsThoseIssuedAfterTheRememberedOne()
    {
        var env = CliRun.Env("http://stub.test", "k");
        using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            using var first = Serving(cancel, "[]", Frame(5, NoticeAt(5, "2026-11-29T10:00:00Z")));
            Assert.Equal(0, (await CliRun.RunWithHandlerAsync(first, env, cancel.Token, "watch", "city", "suifenhe")).ExitCode);
        }

        // Restored from an older backup: suifenhe-1 and -2 were issued before the watch stopped, suifenhe-3 after; the
        // notice it remembers (5) is not there.
        using var again = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var notices = new[] { NoticeAt(1, "2026-11-29T09:00:00Z"), NoticeAt(2, "2026-11-29T09:30:00Z"), NoticeAt(3, "2026-11-29T12:00:00Z") };
        using var second = Serving(again, $"[{string.Join(',', notices)}]", string.Concat(notices.Select((n, i) => Frame(i + 1, n))));
        var result = await CliRun.RunWithHandlerAsync(second, env, again.Token, "watch", "city", "suifenhe");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["suifenhe-3"], NoticeLines(result));
        Assert.Contains("http://stub.test/ no longer has the notice this watch last printed (suifenhe-5, issued 2026-11-29 10:00 UTC;", result.Error, StringComparison.Ordinal);
        Assert.Contains("numbered anew", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_After_StartsAfterTheNoticeNamed_ByIdOrSequence()
    {
        foreach (var after in new[] { "suifenhe-3", "3" })
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var handler = ServingStreams(cancel, Frame(4, NoticeAt(4, "2026-11-29T11:01:00Z")));

            var result = await CliRun.RunWithHandlerAsync(handler, cancel.Token, "watch", "city", "suifenhe", "--after", after);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("3", handler.Requests[0].Headers.GetValues("Last-Event-ID").Single());
            Assert.Equal(["suifenhe-4"], NoticeLines(result));
        }
    }

    [Theory]
    [InlineData("heihe-3")]
    [InlineData("-1")]
    [InlineData("latest")]
    public async Task Watch_AfterSomethingNotANoticeOfTheCity_IsAUsageErrorNamingIt(string after)
    {
        using var handler = new StubHandler((_, _) => throw new InvalidOperationException("no request expected"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "watch", "city", "suifenhe", "--after", after);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"got '{after}'", result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("../../escaped")]
    [InlineData("a/b")]
    [InlineData("Suifenhe")]
    public async Task Watch_ACityThatIsNotACityId_IsAUsageError_BeforeAnyRequestOrFile(string city)
    {
        // Review 22 F5: the city names the watch's memory file, and --after writes it before the first request, so
        // '../../escaped' wrote STATE/../escaped-<hash>.json, outside the watch's own directory.
        var env = CliRun.Env("http://stub.test", "k");
        var state = env["XDG_STATE_HOME"]!;
        using var handler = new StubHandler((_, _) => throw new InvalidOperationException("no request expected"));

        var result = await CliRun.RunWithHandlerAsync(handler, env, CancellationToken.None, "watch", "city", city, "--after", "0");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains($"'{city}' is not a city id (lower-case letters and digits separated by hyphens, e.g. suifenhe)", result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
        Assert.False(Directory.Exists(state) && Directory.EnumerateFileSystemEntries(state, "*", SearchOption.AllDirectories).Any(), $"written under {state}");
    }

    [Fact]
    public async Task Watch_ForbiddenCity_Exit3WithoutRetrying()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.Forbidden, "{\"title\":\"Forbidden\",\"detail\":\"This key may not act for city 'heihe'.\"}", "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "watch", "city", "heihe", "--backlog");

        Assert.Equal(3, result.ExitCode);
        Assert.Single(handler.Requests);
        Assert.Contains("may not act for city 'heihe'", result.Error, StringComparison.Ordinal);
    }
}
