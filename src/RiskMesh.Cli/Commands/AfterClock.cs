using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// A file's events set aside for a date past the clock, summed up: a file running past the clock (a year of rows against
/// a replay clock on 30 April) is one problem, said once with what to do, not a line a day (newcomer 23b, finding 5).
/// </summary>
internal sealed class AfterClock(string file, DateOnly today, int maxFutureDays)
{
    /// <summary>How many runs of lines are named before the rest are counted.</summary>
    internal const int RunsNamed = 4;

    private readonly List<(int First, int Last)> _runs = [];
    private int _count;
    private DateOnly _firstDay = DateOnly.MaxValue;
    private DateOnly _lastDay = DateOnly.MinValue;

    /// <summary>The file.</summary>
    public string File => file;

    /// <summary>Counts one event set aside; <paramref name="follows"/> when the file's event before it was set aside too.</summary>
    public void Add(int line, DateOnly day, bool follows)
    {
        _count++;
        if (follows && _runs.Count > 0)
        {
            _runs[^1] = (_runs[^1].First, line);
        }
        else
        {
            _runs.Add((line, line));
        }

        _firstDay = day < _firstDay ? day : _firstDay;
        _lastDay = day > _lastDay ? day : _lastDay;
    }

    /// <summary>
    /// The line that sums them up and says what to do. A re-run of the same file is the way in every mode: what was
    /// accepted is answered as duplicates, and the rows whose day has come are taken. On a replay clock an operator may
    /// also replay the file's period day by day; in live time the rows wait for their days. <paramref name="fileDays"/>
    /// is the file's whole period, for the replay's --from and --to. A null <paramref name="clockMode"/> (a feed key
    /// may not read the clock) names both: a replay alone, told to a feed on a live host, would have put production into
    /// replay mode (review 23 F2).
    /// </summary>
    public string Advice(string? clockMode, (DateOnly First, DateOnly Last)? fileDays)
    {
        var latest = today.AddDays(maxFutureDays);
        var days = _firstDay == _lastDay ? $"dated {Format.Date(_firstDay)}" : $"dated {Format.Date(_firstDay)} … {Format.Date(_lastDay)}";
        var ahead = Scales.Counted(maxFutureDays, "day", "days");
        var what = $"{file}: {Scales.Counted(_count, "event", "events")} {days} ({Lines()}) set aside, not applied: " +
            $"the clock's day is {Format.Date(today)}, and RiskMesh takes dates up to {Format.Date(latest)} ({ahead} ahead); the other events of {(_count == 1 ? "its batch were sent without it" : "their batches were sent without them")}. ";
        var when = _count == 1 ? "its day" : "their days";
        var again = $"('riskmesh ingest {file}' again: the events already accepted are answered as duplicates, not applied twice)";
        if (clockMode == "live")
        {
            return what + $"The clock is in live time: send the file again on or after {when} {again}";
        }

        var (first, last) = fileDays ?? (_firstDay, _lastDay);
        var back = first < today ? $"; it first moves the clock back to {Format.Date(first)}, and says so" : "";
        var replay = $"riskmesh replay {file} --from {Format.Date(first)} --to {Format.Date(last)} (it sets the replay clock to each day in turn and sends that day's events{back})";
        if (clockMode is null)
        {
            return what + "This key may not read whether the clock is live or a replay. " +
                $"In live time, send the file again on or after {when} {again}; on a replay clock, an operator loads the file's period day by day: {replay}";
        }

        return what + $"When the replay clock reaches {when}, send the file again {again}; " +
            $"or load the file's period day by day, as README's \"Calibration on a 2020-like year\" does: {replay}";
    }

    // "lines 54–123, 176–245": each run of consecutive events set aside, the first few named.
    private string Lines()
    {
        static string Run((int First, int Last) run) => run.First == run.Last ? $"{run.First}" : $"{run.First}–{run.Last}";
        var named = string.Join(", ", _runs.Take(RunsNamed).Select(Run));
        var more = _runs.Count > RunsNamed ? $" and {Scales.Counted(_runs.Count - RunsNamed, "more run", "more runs")} of lines" : "";
        return (_count == 1 ? "line " : "lines ") + named + more;
    }
}
