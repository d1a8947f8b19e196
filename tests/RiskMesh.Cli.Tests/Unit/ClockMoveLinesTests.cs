using RiskMesh.Cli.Commands;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh watch</c> holds a clock move until the stream has been quiet for a second, a notice is printed or the
/// stream ends, so a replay's days come as one line, not one per day (newcomer 20b, L9); a move followed by quiet is
/// still said, once.
/// </summary>
public sealed class ClockMoveLinesTests
{
    [Fact]
    public async Task MovesFollowedByQuiet_AreSaidOnceWhenTheLastOnesWindowEnds_NotWhenAnEarlierOneDoes()
    {
        var windows = new List<TaskCompletionSource>();
        using var error = new StringWriter();
        var lines = new ClockMoveLines(error, (span, _) =>
        {
            Assert.Equal(ClockMoveLines.QuietWindow, span);
            var window = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            windows.Add(window);
            return window.Task;
        }, CancellationToken.None);

        lines.Seen("2020-04-20", "replay");
        lines.Seen("2020-04-20", "replay");
        Assert.Empty(windows);
        lines.Seen("2020-04-21", "replay");
        lines.Seen("2020-04-22", "replay");
        Assert.Equal(2, windows.Count);

        windows[0].SetResult();
        await Task.Delay(50);
        Assert.Equal("", error.ToString());

        windows[1].SetResult();
        for (var i = 0; i < 100 && error.ToString() == ""; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal("the clock's day moved to 2020-04-22 (replay), from 2020-04-20 in 2 moves", error.ToString().TrimEnd());
        lines.Flush();
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
    }

    [Theory]
    // A replay's start: back six years, then forward day by day (newcomer 22a, L4: "moved to 2020-04-10 (replay), from
    // 2026-11-29 in 22 moves" hid the move back).
    [InlineData(new[] { "2026-11-29", "2020-03-20", "2020-03-21", "2020-03-22" }, "the clock's day moved back to 2020-03-22 (replay), from 2026-11-29 in 3 moves, by way of 2020-03-20")]
    [InlineData(new[] { "2020-04-30", "2020-04-20" }, "the clock's day moved back to 2020-04-20 (replay), from 2020-04-30")]
    [InlineData(new[] { "2020-04-30", "2020-04-20", "2020-04-10" }, "the clock's day moved back to 2020-04-10 (replay), from 2020-04-30 in 2 moves")]
    // Back and then forward past where it was: forward on the whole, the move back said.
    [InlineData(new[] { "2020-04-10", "2020-04-01", "2020-04-20" }, "the clock's day moved to 2020-04-20 (replay), from 2020-04-10 in 2 moves, back to 2020-04-01 on the way")]
    [InlineData(new[] { "2020-04-10", "2020-04-11", "2020-04-12" }, "the clock's day moved to 2020-04-12 (replay), from 2020-04-10 in 2 moves")]
    public void MovesBack_AreSaidAsBack_WithTheEarliestDayOnTheWay(string[] days, string expected)
    {
        using var error = new StringWriter();
        var lines = new ClockMoveLines(error, (_, token) => Task.Delay(Timeout.Infinite, token), CancellationToken.None);

        foreach (var day in days)
        {
            lines.Seen(day, "replay");
        }

        lines.Flush();

        Assert.Equal(expected, error.ToString().TrimEnd());
    }

    [Fact]
    public void AwayAndBackWithinTheWindow_SaysSo_NotMovedFromADayToTheSameDay()
    {
        using var error = new StringWriter();
        var lines = new ClockMoveLines(error, (_, token) => Task.Delay(Timeout.Infinite, token), CancellationToken.None);

        lines.Seen("2020-04-30", "replay");
        lines.Seen("2020-04-29", "replay");
        lines.Seen("2020-04-30", "replay");
        lines.Flush();

        Assert.Equal("the clock's day moved away and back to 2020-04-30 (replay), in 2 moves", error.ToString().TrimEnd());
    }

    [Fact]
    public void OneMove_FlushedBeforeANotice_ReadsAsOneMove_AndTheDayAsTheStreamOpensIsNoMove()
    {
        using var error = new StringWriter();
        var lines = new ClockMoveLines(error, (_, token) => Task.Delay(Timeout.Infinite, token), CancellationToken.None);

        lines.Seen("2020-04-20", null);
        lines.Flush();
        Assert.Equal("", error.ToString());

        lines.Seen("2020-05-01", "live");
        lines.Flush();
        Assert.Equal("the clock's day moved to 2020-05-01 (live)", error.ToString().TrimEnd());
    }
}
