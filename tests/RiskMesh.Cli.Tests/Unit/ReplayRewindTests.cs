using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh replay</c> says when it moves the clock back, and refuses, unless <c>--allow-rewind</c> is given, to
/// leave the replay clock on an earlier day than it found it: every city would go back to its standing of that day
/// (newcomer 18 L2: the April replay run again after the clock had reached 10 June rewound every city without a word).
/// Documented workflows go on: a first replay from live time and a re-run of the same replay (README, "First steps").
/// </summary>
public sealed class ReplayRewindTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"riskmesh-rewind-{Guid.NewGuid():N}.ndjson");

    /// <summary>The days the stub's clock was set to, in order (a request's body is gone once it is answered).</summary>
    private readonly List<string> _clockDays = [];

    public ReplayRewindTests() => File.WriteAllLines(_file,
    [
        """{"id":"w1","source":"t","type":"country-cases","country":"RU","date":"2020-04-01","newCases":5}""",
        """{"id":"w2","source":"t","type":"country-cases","country":"RU","date":"2020-04-02","newCases":6}""",
        """{"id":"w3","source":"t","type":"country-cases","country":"RU","date":"2020-04-03","newCases":7}""",
    ]);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task ReplayEndingBeforeTheReplayClock_WithoutAllowRewind_RefusedNamingTheFlag_NothingSent()
    {
        using var handler = Server("replay", "2020-06-10");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-02");

        // Refused (2), not a usage error (1), and the sentence alone: the command line was valid (review 18 L4).
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(
            "riskmesh replay: the replay clock is on 2020-06-10, after --to 2020-04-02: this replay would move it back and leave every city at its standing of 2020-04-02",
            result.Error, StringComparison.Ordinal);
        Assert.Contains("add --allow-rewind", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("usage:", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("riskmesh replay:", StringComparison.Ordinal));
        Assert.DoesNotContain(handler.Requests, r => r.Method == HttpMethod.Post);
    }

    [Theory]
    [InlineData("stop-on-error", null)]
    [InlineData("server-error", null)]
    [InlineData("ctrl-c", null)]
    [InlineData("stop-on-error", "--allow-rewind")]
    public async Task ReplayStoppedEarly_LeavingTheClockBeforeTheDayItFound_SaysTheDayItIsLeftOn(string stop, string? allow)
    {
        // Review 18 M2: the run says it brings the clock forward again, then stops on 2 April: it must say where it left
        // the clock, naming that day (not --to), however it stopped.
        using var interrupt = new CancellationTokenSource();
        using var handler = Server("replay", "2020-06-10", bad: stop == "stop-on-error" ? "w2" : null, failing: stop == "server-error" ? "w2" : null,
            onClock: day => { if (stop == "ctrl-c" && day == "2020-04-02") { interrupt.Cancel(); } });
        string[] args = ["replay", _file, "--from", "2020-04-01", "--to", allow is null ? "2020-06-10" : "2020-04-05", "--stop-on-error"];

        // A real connection sees Ctrl+C on the next request; the stub answers at once, so the check is put in front.
        using var observing = new ObservesCancellation(handler);
        var result = await CliRun.RunWithHandlerAsync(observing, interrupt.Token, allow is null ? args : [.. args, allow]);

        Assert.True(result.ExitCode == stop switch { "stop-on-error" => 2, "server-error" => 5, _ => 130 }, result.ToString());
        Assert.Contains(
            "clock left on 2020-04-02, earlier than the 2020-06-10 it was on: every city stands as at the end of 2020-04-02; 'riskmesh clock set 2020-06-10' moves it forward",
            result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("clock moved back from 2020-06-10 to 2020-04-05", result.Error, StringComparison.Ordinal);
        Assert.Equal(["2020-04-01", "2020-04-02"], _clockDays);
    }

    [Fact]
    public async Task ReplayStoppedOnOrAfterTheDayTheClockWasOn_SaysNothingAboutTheClock()
    {
        using var handler = Server("replay", "2020-04-01", bad: "w2");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-03", "--stop-on-error");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("stopped at 2020-04-02 after a refused batch", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("clock left", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayFromLiveTime_OnAHostWithNoticesAfterTo_RefusedWithoutAllowRewind_RunsWithIt()
    {
        // Review 18 M3: a live host (RISKMESH_URL at production) handed an old scenario; a notice dated after --to says
        // the host has a standing to lose.
        const string Later = """[{"id":"heihe-5","city":"heihe","sequence":5,"kind":"level-change","previousLevel":1,"newLevel":2,"date":"2026-03-02","issuedAt":"2026-03-02T06:00:00Z","status":"open"}]""";
        using var handler = Server("live", "2026-11-29", noticesAfter: ("2020-04-04", Later));

        var refused = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-03");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains(
            "riskmesh replay: the clock is in live time (2026-11-29) and this host holds notices dated after --to 2020-04-03 (the first: heihe-5, 2026-03-02)",
            refused.Error, StringComparison.Ordinal);
        Assert.Contains("add --allow-rewind", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Method == HttpMethod.Post);
        Assert.Contains(handler.Requests, r => r.RequestUri!.PathAndQuery == "/api/v1/notices?from=2020-04-04&to=2026-11-29");

        var allowed = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-03", "--allow-rewind");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("accepted 3, duplicates 0, rejected 0", allowed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayEndingBeforeTheReplayClock_WithAllowRewind_RunsAndSaysTheClockMovedBack()
    {
        using var handler = Server("replay", "2020-06-10");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-02", "--allow-rewind");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("accepted 2, duplicates 0, rejected 0", result.Out, StringComparison.Ordinal);
        Assert.Contains("clock moved back from 2020-06-10 to 2020-04-01 (--allow-rewind)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("clock left on", result.Error, StringComparison.Ordinal);
        Assert.Contains(
            "clock moved back from 2020-06-10 to 2020-04-02: every city stands as at the end of 2020-04-02; 'riskmesh clock set 2020-06-10' moves it forward again",
            result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2020-04-02", true)]
    [InlineData("2020-04-01", false)]
    public async Task ReRunEndingOnOrAfterTheReplayClock_RunsAndSaysWhenItGoesBackThenForward(string clockDay, bool movesBack)
    {
        // A re-run of the same replay comes back to where it was; on its first day, nothing moves back.
        using var handler = Server("replay", clockDay);

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-02");

        Assert.True(result.ExitCode == 0, result.ToString());
        if (movesBack)
        {
            Assert.Contains("clock moved back from 2020-04-02 to 2020-04-01; the replay brings it forward again, day by day, to 2020-04-02", result.Error, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("moved", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task FirstReplayFromLiveTime_RunsAndSaysTheClockLeftLiveTime()
    {
        using var handler = Server("live", "2026-11-29");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-02");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("clock moved from live time (2026-11-29) back to 2020-04-01 for the replay", result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A server whose clock is at <paramref name="mode"/> <paramref name="date"/> until a replay moves it. Each batch is
    /// answered for its own events (review 18 L7: always "accepted 1" only counted requests): accepted, one each; refused
    /// (400) if it holds the event <paramref name="bad"/>; a 500 if it holds <paramref name="failing"/>. The notices read
    /// from <paramref name="noticesAfter"/>'s day answer its list; every other read an empty one.
    /// </summary>
    private StubHandler Server(string mode, string date, string? bad = null, string? failing = null, Action<string>? onClock = null, (string From, string Json)? noticesAfter = null) =>
        new((request, _) => (request.Method.Method, request.RequestUri!.AbsolutePath) switch
        {
            ("GET", "/api/v1/clock") => StubHandler.Json(HttpStatusCode.OK, $$"""{"mode":"{{mode}}","date":"{{date}}","version":3}"""),
            ("POST", "/api/v1/clock") => MoveClock(request, onClock),
            ("POST", "/api/v1/events") => Batch(request, bad, failing),
            ("GET", "/api/v1/notices") when noticesAfter is { } after && request.RequestUri.Query.StartsWith($"?from={after.From}&", StringComparison.Ordinal)
                => StubHandler.Json(HttpStatusCode.OK, after.Json),
            _ => StubHandler.Json(HttpStatusCode.OK, "[]"),
        });

    private HttpResponseMessage MoveClock(HttpRequestMessage request, Action<string>? onClock)
    {
        var day = Day(request);
        lock (_clockDays)
        {
            _clockDays.Add(day);
        }

        onClock?.Invoke(day);
        return StubHandler.Json(HttpStatusCode.OK, $$"""{"mode":"replay","date":"{{day}}","version":4,"notices":[],"evaluation":"complete"}""");
    }

    private static HttpResponseMessage Batch(HttpRequestMessage request, string? bad, string? failing)
    {
        var ids = request.Content!.ReadAsStringAsync().Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!)
            .ToList();
        if (failing is not null && ids.Contains(failing))
        {
            return StubHandler.Json(HttpStatusCode.InternalServerError, """{"title":"Internal Server Error","status":500}""", "application/problem+json");
        }

        return ids.IndexOf(bad ?? "") is var index and >= 0
            ? StubHandler.Json(HttpStatusCode.BadRequest, $$"""{"title":"Invalid events","status":400,"errors":[{"index":{{index}},"id":"{{bad}}","reason":"newCases is required"}]}""", "application/problem+json")
            : StubHandler.Json(HttpStatusCode.Accepted, $$"""{"accepted":{{ids.Count}},"duplicates":0}""");
    }

    private static string Day(HttpRequestMessage request) =>
        System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result).RootElement.GetProperty("date").GetString()!;

    /// <summary>Throws when the run was interrupted before a request is sent, as an HTTP connection does.</summary>
    private sealed class ObservesCancellation(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
