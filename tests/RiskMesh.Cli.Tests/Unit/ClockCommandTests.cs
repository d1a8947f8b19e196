using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh clock set</c> says when the server answered before the cities had evaluated to the new day (202,
/// evaluation "pending"), or when the evaluation failed (evaluation "failed"): the clock moved either way, and no notice
/// printed does not mean none will be issued. A failed evaluation goes to stderr with exit code 7, as <c>riskmesh
/// replay</c> writes it, so that a script can tell it from a complete or pending one (review 12, L7).
/// </summary>
public sealed class ClockCommandTests
{
    [Fact]
    public async Task ClockSet_AnsweredPending_PrintsTheDayAndThatTheEvaluationIsPending()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.Accepted, """{"mode":"replay","date":"2020-04-22","version":7,"notices":[],"evaluation":"pending"}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "clock", "set", "2020-04-22");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n');
        Assert.Equal("replay 2020-04-22 (version 7)", lines[0].TrimEnd());
        Assert.StartsWith("evaluation pending: the clock has moved", lines[1], StringComparison.Ordinal);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task ClockSet_AnsweredFailedForSomeCities_SaysOnStderrThatTheClockMovedAndNamesTheFailedCities_Exit7()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.OK, """{"mode":"replay","date":"2020-04-22","version":7,"notices":[],"evaluation":"failed","citiesFailed":2,"failedCities":["manzhouli","suifenhe"],"reason":"2 of 65 cities failed"}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "clock", "set", "2020-04-22");

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Equal("replay 2020-04-22 (version 7)", result.Out.TrimEnd());
        Assert.Equal(
            "evaluation failed: the clock has moved, no need to set it again, but 2 cities failed to evaluate to this day (manzhouli, suifenhe); the others did; the server evaluates the failed ones again within a minute, and their notices appear in 'riskmesh notices'",
            result.Error.TrimEnd());
    }

    [Fact]
    public async Task ClockSet_AnsweredFailedWhole_SaysOnStderrThatTheClockMovedAndThatNoCityEvaluated_Exit7()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.OK, """{"mode":"replay","date":"2020-04-22","version":7,"notices":[],"evaluation":"failed","reason":"The evaluation of every city failed"}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "clock", "set", "2020-04-22");

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.StartsWith(
            "evaluation failed: the clock has moved, no need to set it again, but evaluating the cities to this day failed on the server",
            result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClockSet_AnsweredFailed_WithJson_PrintsTheAnswerAndExits7()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.OK, """{"mode":"replay","date":"2020-04-22","version":7,"notices":[],"evaluation":"failed","citiesFailed":1,"failedCities":["suifenhe"],"reason":"1 of 65 cities failed"}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "clock", "set", "2020-04-22", "--json");

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Contains("\"evaluation\": \"failed\"", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("failed", 7)]
    [InlineData("complete", 0)]
    public async Task Replay_ADayWhoseEvaluationFailed_EveryEventSent_Exits7AsClockSetDoes(string secondDay, int exitCode)
    {
        // Review 13 L7: replay wrote the failed day on stderr but exited 0, while `clock set` exits 7.
        var file = Path.Combine(Path.GetTempPath(), $"riskmesh-replay-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(file,
        [
            """{"id":"r1","source":"t","type":"country-cases","country":"RU","date":"2020-04-01","newCases":5}""",
            """{"id":"r2","source":"t","type":"country-cases","country":"RU","date":"2020-04-02","newCases":6}""",
        ]);
        using var handler = new StubHandler((request, _) => request.RequestUri!.AbsolutePath switch
        {
            // replay reads the clock first (to say whether it moves it back): a fresh host's, live.
            "/api/v1/clock" when request.Method == HttpMethod.Get => StubHandler.Json(HttpStatusCode.OK, """{"mode":"live","date":"2026-11-29","version":0}"""),
            "/api/v1/clock" => StubHandler.Json(HttpStatusCode.OK, request.Content!.ReadAsStringAsync().Result.Contains("2020-04-02", StringComparison.Ordinal)
                ? $$"""{"mode":"replay","date":"2020-04-02","version":2,"notices":[],"evaluation":"{{secondDay}}","citiesFailed":1,"failedCities":["suifenhe"]}"""
                : """{"mode":"replay","date":"2020-04-01","version":1,"notices":[],"evaluation":"complete"}"""),
            "/api/v1/events" => StubHandler.Json(HttpStatusCode.Accepted, """{"accepted":1,"duplicates":0}"""),
            _ => StubHandler.Json(HttpStatusCode.OK, "[]"),
        });
        try
        {
            var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "replay", file, "--from", "2020-04-01", "--to", "2020-04-02");

            Assert.True(result.ExitCode == exitCode, result.ToString());
            Assert.Contains("accepted 2, duplicates 0, rejected 0", result.Out, StringComparison.Ordinal);
            if (exitCode == 7)
            {
                Assert.Contains("the evaluation of 1 day failed for some cities", result.Error, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ClockSet_AnsweredComplete_PrintsNoPendingLine()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.OK, """{"mode":"replay","date":"2020-04-22","version":7,"notices":[],"evaluation":"complete"}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "clock", "set", "2020-04-22");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("pending", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", result.Out, StringComparison.Ordinal);
    }
}
