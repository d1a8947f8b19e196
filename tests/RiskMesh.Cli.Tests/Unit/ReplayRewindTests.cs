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

    public ReplayRewindTests() => File.WriteAllLines(_file,
    [
        """{"id":"w1","source":"t","type":"country-cases","country":"RU","date":"2020-04-01","newCases":5}""",
        """{"id":"w2","source":"t","type":"country-cases","country":"RU","date":"2020-04-02","newCases":6}""",
    ]);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task ReplayEndingBeforeTheReplayClock_WithoutAllowRewind_RefusedNamingTheFlag_NothingSent()
    {
        using var handler = Server("replay", "2020-06-10");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-02");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(
            "riskmesh replay: the replay clock is on 2020-06-10, after --to 2020-04-02: this replay would move it back and leave every city at its standing of 2020-04-02",
            result.Error, StringComparison.Ordinal);
        Assert.Contains("add --allow-rewind", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task ReplayEndingBeforeTheReplayClock_WithAllowRewind_RunsAndSaysTheClockMovedBack()
    {
        using var handler = Server("replay", "2020-06-10");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", _file, "--from", "2020-04-01", "--to", "2020-04-02", "--allow-rewind");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("accepted 2, duplicates 0, rejected 0", result.Out, StringComparison.Ordinal);
        Assert.Contains("clock moved back from 2020-06-10 to 2020-04-01 (--allow-rewind)", result.Error, StringComparison.Ordinal);
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

    /// <summary>A server whose clock is at <paramref name="mode"/> <paramref name="date"/> until a replay moves it.</summary>
    private static StubHandler Server(string mode, string date) => new((request, _) => (request.Method.Method, request.RequestUri!.AbsolutePath) switch
    {
        ("GET", "/api/v1/clock") => StubHandler.Json(HttpStatusCode.OK, $$"""{"mode":"{{mode}}","date":"{{date}}","version":3}"""),
        ("POST", "/api/v1/clock") => StubHandler.Json(HttpStatusCode.OK, $$"""{"mode":"replay","date":"{{Day(request)}}","version":4,"notices":[],"evaluation":"complete"}"""),
        ("POST", "/api/v1/events") => StubHandler.Json(HttpStatusCode.Accepted, """{"accepted":1,"duplicates":0}"""),
        _ => StubHandler.Json(HttpStatusCode.OK, "[]"),
    });

    private static string Day(HttpRequestMessage request) =>
        System.Text.Json.JsonDocument.Parse(request.Content!.ReadAsStringAsync().Result).RootElement.GetProperty("date").GetString()!;
}
