using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// A file's events refused for a date past the clock, summed up: a file running past the clock (a year of rows against
/// a replay clock on 30 April) is one problem, said once with what to do, not a line a day (newcomer 23b, finding 5).
/// </summary>
internal sealed class AfterClock(string file, DateOnly today, int maxFutureDays)
{
    private int _count;
    private int _firstLine = int.MaxValue;
    private int _lastLine;
    private DateOnly _firstDay = DateOnly.MaxValue;
    private DateOnly _lastDay = DateOnly.MinValue;

    /// <summary>The file.</summary>
    public string File => file;

    /// <summary>Counts one refused event.</summary>
    public void Add(int line, DateOnly day)
    {
        _count++;
        _firstLine = Math.Min(_firstLine, line);
        _lastLine = Math.Max(_lastLine, line);
        _firstDay = day < _firstDay ? day : _firstDay;
        _lastDay = day > _lastDay ? day : _lastDay;
    }

    /// <summary>
    /// The line that sums them up and says what to do: on a replay clock, replay the file's period (each day's events
    /// sent once the clock is on it), or send the rows the clock takes now and the rest later; in live time, send each
    /// on or after its day. <paramref name="fileDays"/> is the file's whole period, for the replay's --from and --to.
    /// A null <paramref name="clockMode"/> (a feed key may not read the clock) names both: a replay alone, told to a feed
    /// on a live host, would have put production into replay mode (review 23 F2).
    /// </summary>
    public string Advice(string? clockMode, (DateOnly First, DateOnly Last)? fileDays)
    {
        var latest = today.AddDays(maxFutureDays);
        var days = _firstDay == _lastDay ? $"dated {Format.Date(_firstDay)}" : $"dated {Format.Date(_firstDay)} … {Format.Date(_lastDay)}";
        var lines = _firstLine == _lastLine ? $"line {_firstLine}" : $"lines {_firstLine}–{_lastLine}";
        var ahead = Scales.Counted(maxFutureDays, "day", "days");
        var what = $"{file}: {Scales.Counted(_count, "event", "events")} {days} ({lines}) refused: ";
        var live = $"send each on or after its day (the rows dated up to {Format.Date(latest)} are taken now)";
        if (clockMode == "live")
        {
            return what + $"RiskMesh takes an event from its day on (at most {ahead} ahead), and today is {Format.Date(today)} (live time): {live}";
        }

        var (first, last) = fileDays ?? (_firstDay, _lastDay);
        var back = first < today ? $"; it first moves the clock back to {Format.Date(first)}, and says so" : "";
        var replay = $"riskmesh replay {file} --from {Format.Date(first)} --to {Format.Date(last)} (it sets the replay clock to each day in turn and sends that day's events{back})";
        if (clockMode is null)
        {
            return what + $"the clock's day is {Format.Date(today)}, and RiskMesh takes dates at most {ahead} ahead (this key may not read whether the clock is live or a replay). " +
                $"In live time, {live}; on a replay clock, an operator loads the file's period day by day: {replay}";
        }

        return what + $"the clock's day is {Format.Date(today)}, and RiskMesh takes dates at most {ahead} ahead. To load the file's period, " +
            $"replay it day by day, as README's \"Calibration on a 2020-like year\" does: {replay}; " +
            $"or send the rows dated up to {Format.Date(latest)} alone now, and the later ones as the clock reaches their days";
    }
}
