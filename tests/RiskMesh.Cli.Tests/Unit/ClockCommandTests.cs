using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh clock set</c> says when the server answered before the cities had evaluated to the new day (202,
/// evaluation "pending"): the clock moved, and no notice printed does not mean none will be issued.
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
    }

    [Fact]
    public async Task ClockSet_AnsweredComplete_PrintsNoPendingLine()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.OK, """{"mode":"replay","date":"2020-04-22","version":7,"notices":[],"evaluation":"complete"}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "clock", "set", "2020-04-22");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("pending", result.Out, StringComparison.Ordinal);
    }
}
