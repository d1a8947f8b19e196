using System.Globalization;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// Says on stderr where <c>riskmesh watch</c>'s stream moved the clock's day, without a line per day of a replay: a
/// replay of April 2020 printed 42 "the clock's day moved to …" lines between its notices (newcomer 20b, L9). A move is
/// held until something else is printed (a notice or an acknowledgement, which it then precedes, so each notice still
/// follows the day it was issued on), the stream ends, or the stream stays quiet for <see cref="QuietWindow"/>; moves
/// held together are said in one line naming the first day and how many moves led to the last.
/// </summary>
internal sealed class ClockMoveLines(TextWriter error, Func<TimeSpan, CancellationToken, Task> delay, CancellationToken stopping)
{
    /// <summary>How long a held move waits for the next before it is said.</summary>
    public static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private string? _known;
    private string? _from;
    private string? _to;
    private string? _mode;
    private string? _earliest;
    private int _moves;
    private int _generation;

    /// <summary>
    /// The stream says the clock's day as it opens and each time it moves: a day other than the one known is a move
    /// (the day said as the stream opens is news only after a reconnection that missed a move).
    /// </summary>
    public void Seen(string date, string? mode)
    {
        lock (_gate)
        {
            if (_known is null || date == _known)
            {
                _known = date;
                return;
            }

            _from ??= _known;
            _to = date;
            _earliest = _earliest is null || string.CompareOrdinal(date, _earliest) < 0 ? date : _earliest;
            _mode = mode;
            _moves++;
            _known = date;
            var generation = ++_generation;
            _ = SayWhenQuietAsync(generation);
        }
    }

    /// <summary>Says the moves held, if any: before a notice or acknowledgement is printed, and as the stream ends.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_to is null)
            {
                return;
            }

            error.WriteLine(Line(_from!, _to, _earliest!, _mode, _moves));
            error.Flush();
            _from = null;
            _to = null;
            _mode = null;
            _earliest = null;
            _moves = 0;
        }
    }

    /// <summary>
    /// The line for moves held from <paramref name="from"/> to <paramref name="to"/>, the earliest day they reached on the
    /// way being <paramref name="earliest"/>. A move back is said as one: a replay's start, six years back from the live
    /// day and then forward day by day, read "moved to 2020-04-10, from 2026-11-29 in 22 moves", as if forward
    /// (newcomer 22a, L4). ISO days compare as text.
    /// </summary>
    private static string Line(string from, string to, string earliest, string? modeName, int count)
    {
        var mode = modeName is null ? "" : $" ({modeName})";
        var moves = count.ToString(CultureInfo.InvariantCulture);
        var back = string.CompareOrdinal(to, from) < 0;
        // The earliest day on the way, when the last one is later than it: where a replay started.
        var via = string.CompareOrdinal(earliest, to) < 0 && string.CompareOrdinal(earliest, from) < 0 ? earliest : null;
        return count == 1 ? (back ? $"the clock's day moved back to {to}{mode}, from {from}" : $"the clock's day moved to {to}{mode}")
            // Away and back within the window: "moved to D, from D" read as if nothing had happened (review 20, L5).
            : from == to ? $"the clock's day moved away and back to {to}{mode}, in {moves} moves"
            : back ? $"the clock's day moved back to {to}{mode}, from {from} in {moves} moves" + (via is null ? "" : $", by way of {via}")
            : $"the clock's day moved to {to}{mode}, from {from} in {moves} moves" + (via is null ? "" : $", back to {via} on the way");
    }

    private async Task SayWhenQuietAsync(int generation)
    {
        try
        {
            await delay(QuietWindow, stopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (generation == _generation)
            {
                Flush();
            }
        }
    }
}
