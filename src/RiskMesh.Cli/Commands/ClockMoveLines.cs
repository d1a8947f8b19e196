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

            var mode = _mode is null ? "" : $" ({_mode})";
            var moves = _moves.ToString(CultureInfo.InvariantCulture);
            // Away and back within the window: "moved to D, from D" read as if nothing had happened (review 20, L5).
            error.WriteLine(_moves == 1 ? $"the clock's day moved to {_to}{mode}"
                : _from == _to ? $"the clock's day moved away and back to {_to}{mode}, in {moves} moves"
                : $"the clock's day moved to {_to}{mode}, from {_from} in {moves} moves");
            error.Flush();
            _from = null;
            _to = null;
            _mode = null;
            _moves = 0;
        }
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
