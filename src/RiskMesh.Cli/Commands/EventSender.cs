using System.Text;
using System.Text.RegularExpressions;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Input;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>Totals of an ingest run.</summary>
internal sealed class IngestTotals
{
    /// <summary>Events the server applied.</summary>
    public long Accepted { get; set; }

    /// <summary>Events the server had already seen.</summary>
    public long Duplicates { get; set; }

    /// <summary>Accepted events that replaced an earlier report of the same entity, type, date and source (intel: the one its 'replaces' names).</summary>
    public long Replaced { get; set; }

    /// <summary>Events in refused batches (none of them applied).</summary>
    public long Rejected { get; set; }

    /// <summary>Events the server named as invalid.</summary>
    public long Invalid { get; set; }

    /// <summary>Batches the server refused.</summary>
    public int RejectedBatches { get; set; }

    /// <summary>Duplicates whose content differs from what the server accepted under their id: not applied.</summary>
    public long Conflicts { get; set; }

    /// <summary>
    /// Events set aside, not applied, for a date past the clock: the server refused their batch for them, and the CLI
    /// sent the rest of it again without them.
    /// </summary>
    public long SetAside { get; set; }

    /// <summary>Events never sent because of <c>--stop-on-error</c>.</summary>
    public long NotSent { get; set; }

    /// <summary>Which events of the run replaced which, when the command names them (<c>ingest</c>); null otherwise.</summary>
    public ReportReplacements? Replacements { get; init; }

    /// <summary>The file could not be read as events (its problems were named): nothing of it was sent.</summary>
    public bool Unreadable { get; set; }

    /// <summary>The same counts for each file, in the order the files were first sent (or skipped).</summary>
    public IReadOnlyList<(string File, IngestTotals Totals)> Files => _files;

    private readonly List<(string File, IngestTotals Totals)> _files = [];

    /// <summary>The totals of one file, made on first use.</summary>
    public IngestTotals For(string file)
    {
        foreach (var (name, totals) in _files)
        {
            if (name == file)
            {
                return totals;
            }
        }

        var made = new IngestTotals();
        _files.Add((file, made));
        return made;
    }

    /// <summary>What the server did with the events sent so far, for the progress line.</summary>
    public string Outcome => $"accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected}{AsideText}";

    // ", set aside 140 (dated past the clock)": said only when some were, so every other summary reads as it did.
    private string AsideText => SetAside > 0 ? $", set aside {SetAside} (dated past the clock, not applied)" : "";

    /// <summary>
    /// One file's line of the closing summary: what was accepted and refused of it, and, when <c>--stop-on-error</c>
    /// stopped before it was all sent, how much of it was not.
    /// </summary>
    public string FileSummary => Unreadable
        ? "not sent: it cannot be read as events (its problems are named above)"
        : Summary + (NotSent > 0 ? $"; {Scales.Counted(NotSent, "event", "events")} not sent (stopped at a refused batch)" : "");

    /// <summary>
    /// The closing summary line. "Rejected" counts every event of a refused batch; when some of them were valid (refused
    /// only because the batch was), the line says how many of each, so it agrees with the invalid events named on stderr.
    /// Accepted events that replaced an earlier report are said with why: a feed sending increments under-counts. Duplicates
    /// whose content differs are counted apart, so each file's line says where corrections were lost (review 15 L5).
    /// </summary>
    public string Summary => (Rejected > Invalid && Invalid > 0
        ? $"accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected} ({Invalid} invalid, {Rejected - Invalid} valid but in a refused batch, not applied)"
        : $"accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected}")
        + AsideText
        + (Replaced > 0 ? $"; {Replaced} replaced an earlier report (same entity, type, date and source: a report is the day's figure, not an increment; an intel report, the one its 'replaces' names)" : "")
        + (Conflicts > 0 ? $"; {Conflicts} of the duplicates conflicting (an id already accepted with other content: not applied)" : "");

    /// <summary>
    /// What to say on stderr when some duplicates carried other content than was accepted under their id, or null: an
    /// id seen before changes nothing, so a correction sent under an old id is lost unless the sender hears of it.
    /// </summary>
    public string? ConflictWarning => Conflicts == 0 ? null
        : $"{Scales.Counted(Conflicts, "event", "events")} had an id already accepted with different content; {(Conflicts == 1 ? "it was" : "they were")} NOT applied: " +
          "send a correction under a new id (a later case, country-cases, traffic or capacity report for the same entity, date and source " +
          "replaces the earlier one; an intel report replaces only the report its 'replaces' field names, and one with confidence 0 withdraws it)";
}

/// <summary>Sends events in NDJSON batches and reports refused batches with each bad event's file and line.</summary>
internal sealed partial class EventSender(CommandContext context, ApiClient api, int batchSize, bool stopOnError, bool check = false)
{
    private const string EventsPath = "api/v1/events";

    private const string CheckPath = EventsPath + "?check=true";

    // A check asks what an ingest would do; the server writes nothing.
    private readonly string _path = check ? CheckPath : EventsPath;

    // A check also counts ids repeated across its batches, as the journal of a real ingest would.
    private readonly CheckRunRepeats? _repeats = check ? new CheckRunRepeats() : null;

    /// <summary>
    /// How many events refused for one reason are named line by line in a file; the rest of each batch's are said in
    /// one line. A CSV whose header misnames a column has every row refused for it: 100,000 rows printed the same
    /// sentence 100,000 times and buried any other error.
    /// </summary>
    internal const int SameReasonShown = 3;

    // Per file and rule (RefusalRules.Of: the reason without the event's own values, so that a year of rows refused
    // each for its own date is one rule): how many lines were named in full, and the first of them.
    private readonly Dictionary<(string File, string Rule), (int Shown, int FirstLine)> _named = [];

    // Per file, the header problems said in full (each is said once; a later batch refused for it says so in short).
    private readonly HashSet<(string File, string Lack)> _headerSaid = [];

    // Per file, the events set aside for a date past the clock, which the end of the run says what to do about.
    private readonly Dictionary<string, AfterClock> _afterClock = [];

    /// <summary>The events of each file set aside for a date past the clock, in the order first met.</summary>
    internal IReadOnlyCollection<AfterClock> AfterClockRefusals => _afterClock.Values;

    /// <summary>Sends the events; returns false when stopped at a refused batch.</summary>
    public async Task<bool> SendAsync(IReadOnlyList<SourceEvent> events, IngestTotals totals, Progress? progress)
    {
        NoteDays(events);
        var sent = 0;
        foreach (var batch in Batches(events, batchSize))
        {
            var carryOn = await SendBatchAsync(batch, totals, progress);
            sent += batch.Count;
            progress?.Report(sent, totals.Outcome, batch[0].File);
            if (!carryOn)
            {
                // What was not sent, file by file, so each file's line says so.
                foreach (var rest in events.Skip(sent).GroupBy(e => e.File))
                {
                    totals.NotSent += rest.Count();
                    totals.For(rest.Key).NotSent += rest.Count();
                }

                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Batches of at most <paramref name="size"/> events that never span two files: the server takes or refuses a batch
    /// whole, so a bad file must not take a good one's events down with it (newcomer 15: "ingest bad.csv good2.csv"
    /// refused good2.csv's line in a batch it shared with bad.csv's).
    /// </summary>
    internal static IEnumerable<List<SourceEvent>> Batches(IReadOnlyList<SourceEvent> events, int size)
    {
        var batch = new List<SourceEvent>();
        foreach (var item in events)
        {
            if (batch.Count == size || (batch.Count > 0 && batch[0].File != item.File))
            {
                yield return batch;
                batch = [];
            }

            batch.Add(item);
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task<bool> SendBatchAsync(List<SourceEvent> batch, IngestTotals all, Progress? progress)
    {
        // Every count goes to the run's totals and to the batch's file's: a batch is of one file.
        var file = all.For(batch[0].File);
        IngestTotals[] totals = [all, file];
        var toSend = batch;
        var aside = new Dictionary<SourceEvent, (DateOnly Day, DateOnly Today, int Ahead)>(ReferenceEqualityComparer.Instance);
        try
        {
            while (true)
            {
                try
                {
                    var accepted = await PostAsync(_path, toSend);
                    await CountAcceptedAsync(toSend, accepted, totals, all, progress);
                    return true;
                }
                catch (ApiException ex) when (ex.Status == 400 && PastTheClock(toSend, ex.Problem) is { Count: > 0 } late)
                {
                    // The server takes or refuses a batch whole (README, "Events"): the rows dated past the clock are
                    // set aside and the rest sent again, so a file reaching a day past the clock loses only those rows,
                    // not every row that shared their batch (newcomer 23b, finding 5).
                    foreach (var (item, day, today, ahead) in late)
                    {
                        aside[item] = (day, today, ahead);
                    }

                    toSend = [.. toSend.Where(e => !aside.ContainsKey(e))];
                    if (toSend.Count == 0)
                    {
                        return true;
                    }
                }
                catch (ApiException ex) when (ex.Status is 400 or 413)
                {
                    progress?.Finish();
                    var invalid = WriteRejection(toSend, ex.Problem);
                    foreach (var t in totals)
                    {
                        t.Rejected += toSend.Count;
                        t.RejectedBatches++;
                        t.Invalid += invalid;
                    }

                    return !stopOnError;
                }
            }
        }
        finally
        {
            SetAside(batch, aside, totals);
        }
    }

    // Counts the events of a batch set aside for a date past the clock, and notes them (in the file's order, so that
    // the end of the run names their runs of lines) for the advice that ends it.
    private void SetAside(List<SourceEvent> batch, Dictionary<SourceEvent, (DateOnly Day, DateOnly Today, int Ahead)> aside, IngestTotals[] totals)
    {
        foreach (var item in batch)
        {
            var follows = _previous is { } previous && previous.File == item.File && previous.Aside;
            _previous = (item.File, aside.TryGetValue(item, out var late));
            if (_previous.Value.Aside)
            {
                var refused = _afterClock.TryGetValue(item.File, out var seen) ? seen : _afterClock[item.File] = new AfterClock(item.File, late.Today, late.Ahead);
                refused.Add(item.Line, late.Day, follows);
            }
        }

        foreach (var t in totals)
        {
            t.SetAside += aside.Count;
        }
    }

    // The file of the last event sent and whether it was set aside: a run of set-aside lines may cross batches.
    private (string File, bool Aside)? _previous;

    // Counts an accepted (or checked) batch and names its conflicts and warnings by file and line.
    private async Task CountAcceptedAsync(List<SourceEvent> sent, IngestAcceptedDto accepted, IngestTotals[] totals, IngestTotals all, Progress? progress)
    {
        var runConflicts = 0;
        if (_repeats is not null)
        {
            (accepted, runConflicts) = await WithRunRepeatsAsync(sent, accepted, progress);
        }

        foreach (var t in totals)
        {
            t.Accepted += accepted.Accepted;
            t.Duplicates += accepted.Duplicates;
            t.Replaced += accepted.Replaced;
            t.Conflicts += (accepted.Conflicts?.Count ?? 0) + runConflicts;
        }

        all.Replacements?.Accepted(sent, accepted.Replaced);
        foreach (var conflict in accepted.Conflicts ?? [])
        {
            var where = conflict.Index >= 0 && conflict.Index < sent.Count ? $"{sent[conflict.Index].File} line {sent[conflict.Index].Line}" : $"event at index {conflict.Index}";
            progress?.Finish();
            context.Error.WriteLine($"  {where} (id {conflict.Id}, source {conflict.Source}): id already accepted with different content; not applied");
        }

        // Accepted, but a country the topology does not hold: said by the file's line, so a typo (FR for RU) is seen.
        foreach (var warning in accepted.Warnings ?? [])
        {
            var where = warning.Index >= 0 && warning.Index < sent.Count ? $"{sent[warning.Index].File} line {sent[warning.Index].Line}" : $"event at index {warning.Index}";
            progress?.Finish();
            context.Error.WriteLine($"  {where}: warning: {warning.Message}");
        }
    }

    /// <summary>
    /// The events of a refused batch whose one problem is a date past the clock (each with its day), or none: an event
    /// with another problem beside its date is invalid, and refuses its batch as any invalid event does.
    /// </summary>
    internal static List<(SourceEvent Item, DateOnly Day, DateOnly Today, int Ahead)> PastTheClock(List<SourceEvent> batch, ApiProblem problem)
    {
        var late = new Dictionary<int, (DateOnly Day, DateOnly Today, int Ahead)>();
        var otherwise = new HashSet<int>();
        foreach (var error in problem.Errors)
        {
            if (error.Index is not int i || i < 0 || i >= batch.Count)
            {
                continue;
            }

            if (RefusalRules.IsFutureDate(error.Reason, out var day, out var today, out var ahead) && error.Reason == RefusalRules.FutureDate(day, today, ahead))
            {
                late[i] = (day, today, ahead);
            }
            else
            {
                otherwise.Add(i);
            }
        }

        return [.. late.Where(l => !otherwise.Contains(l.Key)).OrderBy(l => l.Key).Select(l => (batch[l.Key], l.Value.Day, l.Value.Today, l.Value.Ahead))];
    }

    private async Task<IngestAcceptedDto> PostAsync(string path, IReadOnlyList<SourceEvent> events)
    {
        var body = new StringBuilder();
        foreach (var item in events)
        {
            body.Append(item.Json).Append('\n');
        }

        var answer = await api.SendAsync(HttpMethod.Post, path, new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"), context.CancellationToken);
        return ApiClient.Deserialize<IngestAcceptedDto>(answer, "/" + EventsPath);
    }

    /// <summary>
    /// A checked batch's answer with the ids of the run's earlier batches counted as a real ingest would: duplicates, and
    /// conflicts when their content differs, each conflict named by file and line with the line it repeats (and counted
    /// apart from the server's conflicts, which it names itself).
    /// </summary>
    private async Task<(IngestAcceptedDto Answer, int RunConflicts)> WithRunRepeatsAsync(List<SourceEvent> batch, IngestAcceptedDto accepted, Progress? progress)
    {
        var repeats = await _repeats!.SettleAsync(batch, accepted.Duplicates, async events =>
        {
            try
            {
                return await PostAsync(CheckPath, events);
            }
            catch (ApiException ex) when (ex.Status is 400 or 413)
            {
                // Not learnt (the clock moved since): the server's own count stands.
                return null;
            }
        });
        foreach (var (item, id, source, first) in repeats.Conflicts)
        {
            progress?.Finish();
            var where = first.File == item.File ? $"line {first.Line}" : $"{first.File} line {first.Line}";
            context.Error.WriteLine($"  {item.File} line {item.Line} (id {id}, source {source}): id already used in this run by {where} with different content; an ingest would not apply it");
        }

        return (accepted with { Accepted = accepted.Accepted - repeats.AlsoDuplicates, Duplicates = accepted.Duplicates + repeats.AlsoDuplicates }, repeats.Conflicts.Count);
    }

    /// <summary>Writes why a batch was refused, each bad event by file and line; returns how many events were invalid.</summary>
    private int WriteRejection(List<SourceEvent> batch, ApiProblem problem)
    {
        var first = batch[0];
        var last = batch[^1];
        var invalidCount = 0;
        var span = first.Line == last.Line ? $"{first.File} line {first.Line}" : $"{first.File} lines {first.Line}–{last.Line}";
        context.Error.WriteLine($"rejected batch ({span}, {Scales.Counted(batch.Count, "event", "events")}, none applied): {problem.Title ?? "refused"}");
        // A batch that is not NDJSON at all: the server names the line of the body it sent, one event per line, so the
        // line of the batch is the event, named by its file and line as a bad event is.
        if (problem.Errors.Count == 0 && problem.Position is { Line: > 0 } at && at.Line <= batch.Count)
        {
            // Worded as a bad line among good ones is ("not valid JSON: column 2, …"); every line of it is invalid.
            var item = batch[at.Line - 1];
            var column = at.Column > 0 ? $": column {at.Column}," : ":";
            context.Error.WriteLine($"  {item.File} line {item.Line}: not valid JSON{column} {at.Reason ?? problem.Detail}{(batch.Count > 1 ? "; no line of this batch is JSON" : "")}");
            invalidCount += batch.Count;
        }
        else if (problem.Errors.Count == 0 && problem.Detail is not null)
        {
            context.Error.WriteLine($"  {problem.Detail}");
        }

        // An event with two problems is one invalid event.
        var invalid = new HashSet<int>();
        var held = new List<(string File, string Rule, List<int> Lines, List<string> Dates)>();
        var headerProblems = new Dictionary<(string File, int HeaderLine, string Lack), List<int>>();
        var rows = new List<string>();
        foreach (var error in problem.Errors)
        {
            var reason = NotJsonPrefix().Replace(error.Reason, "not valid JSON");
            if (error.Index is int i && i >= 0 && i < batch.Count)
            {
                if (invalid.Add(i))
                {
                    invalidCount++;
                }

                var item = batch[i];
                reason = UnknownFieldHint.Add(reason, item.Header is { } header ? header.ColumnOf : null);
                reason = DecimalCommaHint.Add(reason, item.Header);
                // The server can only name the batch's index of an id's first use; the file's line is what is mended.
                reason = EarlierIndex().Replace(reason, m =>
                    int.TryParse(m.Groups["index"].ValueSpan, out var at) && at >= 0 && at < batch.Count
                        ? (batch[at].File == item.File ? $"by line {batch[at].Line} of this file" : $"by {batch[at].File} line {batch[at].Line}")
                        : m.Value);
                var placed = CsvPlaces.Place(reason, item);
                foreach (var lack in placed.Header)
                {
                    var key = (item.File, item.Header!.Line, lack);
                    if (!headerProblems.TryGetValue(key, out var lines))
                    {
                        headerProblems[key] = lines = [];
                    }

                    lines.Add(item.Line);
                }

                if (placed.Row is null)
                {
                    // Its one problem is the header's, said once for the file below.
                    continue;
                }

                reason = placed.Row;
                var rule = RefusalRules.Of(reason);
                if (!Name(item, rule))
                {
                    if (held.FindIndex(h => h.File == item.File && h.Rule == rule) is var group and >= 0)
                    {
                        held[group].Lines.Add(item.Line);
                    }
                    else
                    {
                        held.Add((item.File, rule, [item.Line], []));
                        group = held.Count - 1;
                    }

                    // The event's own date, when the reason names it: the values the rule left out, said as a range.
                    if (item.Date is { Length: > 0 } date && reason.Contains(date, StringComparison.Ordinal))
                    {
                        held[group].Dates.Add(date);
                    }

                    continue;
                }

                var id = error.Id is null ? "" : $" (id {error.Id})";
                var column = placed.Column is null ? "" : $", {placed.Column}";
                rows.Add($"  {item.File} line {item.Line}{column}{id}: {reason}");
            }
            else
            {
                rows.Add($"  {span}: {UnknownFieldHint.Add(reason)}");
            }
        }

        // The header's problems first, once a file: the rows' own follow.
        foreach (var ((file, headerLine, lack), lines) in headerProblems)
        {
            var which = lines.Count == 1 ? $"line {lines[0]}" : $"lines {lines[0]}–{lines[^1]}";
            context.Error.WriteLine(_headerSaid.Add((file, lack))
                ? $"  {file} line {headerLine}: {lack} ({Scales.Counted(lines.Count, "row", "rows")} refused for it: {which})"
                : $"  {file} {which}: {Scales.Counted(lines.Count, "more row", "more rows")} refused for the header's problem named above (line {headerLine})");
        }

        foreach (var row in rows)
        {
            context.Error.WriteLine(row);
        }

        foreach (var (file, rule, lines, dates) in held)
        {
            var namedAt = _named[(file, rule)].FirstLine;
            var which = lines.Count == 1 ? $"line {lines[0]}" : $"lines {lines[0]}–{lines[^1]}";
            var dated = dates.Count == lines.Count ? DateRange(dates) : "";
            context.Error.WriteLine($"  {file} {which}: {Scales.Counted(lines.Count, "more event", "more events")}{dated} refused for the same reason as line {namedAt}");
        }

        return invalidCount;
    }

    // " dated 2020-05-05 … 2020-12-31", or " dated 2020-05-05" when they are one day: the dates as the file wrote them,
    // ordered by the day each means. A refused date is the file's own text, not ISO: sorted as text, 28.03.2020 came
    // after 05.04.2020 and 10.04.2020 fell outside the range (review 23 F5). When one of them means no day for sure
    // (04/05/2020, 2020-02-30), no range is said rather than a wrong one.
    private static string DateRange(List<string> dates)
    {
        var meant = new List<(string Text, DateOnly Day)>(dates.Count);
        foreach (var date in dates)
        {
            if (IsoDates.Meant(date) is not { } day)
            {
                return "";
            }

            meant.Add((date, day));
        }

        var first = meant.MinBy(d => d.Day);
        var last = meant.MaxBy(d => d.Day);
        return first.Day == last.Day ? $" dated {first.Text}" : $" dated {first.Text} … {last.Text}";
    }

    /// <summary>
    /// One line per file whose events were refused for a date past the clock: how many, which days and lines, and what
    /// to do, which depends on the clock (a replay clock is moved by a replay; live time is not). Nothing when none was.
    /// </summary>
    public async Task WriteAfterClockAdviceAsync()
    {
        if (_afterClock.Count == 0)
        {
            return;
        }

        string? mode = null;
        try
        {
            mode = ApiClient.Deserialize<ClockDto>(await api.SendAsync(HttpMethod.Get, ClockCommand.Path, null, context.CancellationToken), "/" + ClockCommand.Path).Mode;
        }
        catch (ApiException)
        {
            // A key that may not read the clock: the advice names both ways.
        }

        foreach (var refused in _afterClock.Values)
        {
            context.Error.WriteLine(refused.Advice(mode, _fileDays.TryGetValue(refused.File, out var days) ? days : null));
        }
    }

    // Each file's first and last readable date, for the replay the advice names.
    private readonly Dictionary<string, (DateOnly First, DateOnly Last)> _fileDays = [];

    // The days of the events to be sent, so that advice about a file can name its whole period.
    private void NoteDays(IEnumerable<SourceEvent> events)
    {
        foreach (var item in events)
        {
            if (IsoDates.TryParse(item.Date, out var day))
            {
                _fileDays[item.File] = _fileDays.TryGetValue(item.File, out var known)
                    ? (day < known.First ? day : known.First, day > known.Last ? day : known.Last)
                    : (day, day);
            }
        }
    }

    // Whether to name this event's line in full: the first few of each file's rule are, the rest are counted.
    private bool Name(SourceEvent item, string rule)
    {
        var key = (item.File, rule);
        var (shown, first) = _named.TryGetValue(key, out var seen) ? seen : (0, item.Line);
        if (shown >= SameReasonShown)
        {
            return false;
        }

        _named[key] = (shown + 1, first);
        return true;
    }

    // "by the event at index 0 of this batch" in the server's refusal of an id used twice with different content.
    [GeneratedRegex(@"by the event at index (?<index>\d+) of this batch")]
    private static partial Regex EarlierIndex();

    // The server numbers lines within the batch it received; the CLI names the file's line instead.
    [GeneratedRegex(@"^line \d+ is not valid JSON")]
    private static partial Regex NotJsonPrefix();
}
