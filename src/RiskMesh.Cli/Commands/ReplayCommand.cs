using System.Globalization;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Input;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// <c>riskmesh replay FILE… --from D --to D</c>: for each day, sets the clock to it and ingests that day's events,
/// printing a line per day and every notice of that day, whether the clock move or the day's events issued it.
/// </summary>
internal sealed class ReplayCommand : Command
{
    public override string Name => "replay";

    public override string Summary => "replay event files day by day, moving the clock";

    public override IReadOnlyList<string> Usage =>
    [
        "replay FILE... --from YYYY-MM-DD --to YYYY-MM-DD [--batch N] [--stop-on-error] [--allow-rewind]",
        "",
        "Reads every file first (NDJSON, .json arrays or CSV, as ingest does) and groups the events by their date;",
        "for each day from..to it sets the clock (POST /api/v1/clock) and ingests that day's events, then prints",
        "every notice dated that day (issued when the clock moved or while the day's events were ingested). Events",
        "outside the range are skipped and counted.",
        "A replay that would leave the replay clock on an earlier day than it is on (--to before it), or move a host",
        "in live time back while it holds notices dated after --to, is refused (exit 2) unless --allow-rewind is given:",
        "every city would go back to its standing of that day. Each move back is said, and a replay that stops early",
        "on an earlier day than the clock was on says where it left the clock.",
    ];

    /// <summary>The switch that lets a replay leave the clock earlier than it found it.</summary>
    public const string AllowRewind = "allow-rewind";

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("from", "first day (required)"),
        OptionSpec.Value("to", "last day (required)"),
        .. IngestCommand.SendOptions,
        OptionSpec.Switch(AllowRewind, "let the replay end before the clock's day (or its notices' days), moving every city back to --to"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        if (args.Positionals.Count == 0)
        {
            throw new UsageException("missing argument: FILE");
        }

        var from = args.Date("from") ?? throw new UsageException("missing option: --from");
        var to = args.Date("to") ?? throw new UsageException("missing option: --to");
        if (from > to)
        {
            throw new UsageException($"--from {Format.Date(from)} is after --to {Format.Date(to)}");
        }

        var batch = args.PositiveInt("batch", IngestCommand.DefaultBatch);
        var byDay = new Dictionary<DateOnly, List<SourceEvent>>();
        var outside = 0;
        var undated = 0;
        foreach (var file in args.Positionals)
        {
            var read = EventFileReader.Read(file, out var readAs);
            if (readAs is not null)
            {
                context.Error.WriteLine(readAs);
            }

            foreach (var item in read)
            {
                if (!DateOnly.TryParseExact(item.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    undated++;
                }
                else if (day < from || day > to)
                {
                    outside++;
                }
                else
                {
                    (byDay.TryGetValue(day, out var list) ? list : byDay[day] = []).Add(item);
                }
            }
        }

        if (outside > 0 || undated > 0)
        {
            context.Error.WriteLine($"skipped {Scales.Counted(outside, "event", "events")} outside {Format.Date(from)}..{Format.Date(to)} and {undated} without a readable date");
        }

        var api = context.Api(args);
        // Said before anything is sent: moving the clock back puts every city back to its standing of that day (newcomer
        // 18 L2: a re-run of the April replay after the clock had reached 10 June rewound every city without a word).
        var found = ApiClient.Deserialize<ClockDto>(await api.SendAsync(HttpMethod.Get, ClockCommand.Path, null, context.CancellationToken), "/" + ClockCommand.Path);
        var allowed = args.Has(AllowRewind);
        // Live time is refused only when the host has something to lose (review 18 M3: a live host handed an old
        // scenario by mistake): a notice dated after --to. A new host has none, so "First steps" runs as it always did.
        var later = found.Mode != "replay" && found.Date > to && !allowed
            ? await FirstNoticeAfterAsync(api, to, found.Date, context.CancellationToken)
            : null;
        var rewound = Rewind(found, from, to, allowed, later);
        if (rewound is { } said)
        {
            context.Error.WriteLine(said);
        }

        var totals = new IngestTotals();
        var sender = new EventSender(context, api, batch, args.Has("stop-on-error"));
        // Notices that exist before this replay (a re-run, or days replayed before) are not news: each day counts them
        // apart, "notices 2 (0 new)", and prints only the notices this replay issued.
        var earlier = await api.GetAsync<List<NoticeDto>>($"api/v1/notices?from={Format.Date(from)}&to={Format.Date(to)}", context.CancellationToken);
        var earlierByDay = earlier.GroupBy(n => n.Date).ToDictionary(g => g.Key, g => g.Count());
        var printed = new HashSet<string>(earlier.Select(n => n.Id), StringComparer.Ordinal);
        var evaluationFailedDays = 0;
        // The last day the clock was set to, for the line that says where a replay that stopped early left it.
        DateOnly? left = null;
        var completed = false;
        try
        {
            completed = await ReplayDaysAsync();
        }
        finally
        {
            // Whatever stopped it (a refused batch with --stop-on-error, a server error, Ctrl+C, the host gone), a
            // replay that leaves the replay clock earlier than it found it says so, naming the day it is on (review 18
            // M2: the run had promised to bring it forward again, then stopped and said nothing).
            if (ClockLeft(found, left, completed, to) is { } line)
            {
                context.Error.WriteLine(line);
            }
        }

        if (totals.ConflictWarning is { } conflicts)
        {
            context.Error.WriteLine(conflicts);
        }

        if (totals.RejectedBatches > 0 || totals.Conflicts > 0 || totals.SetAside > 0)
        {
            return ExitCodes.Refused;
        }

        // As `clock set` says it (review 13 L7): every event is in, but some cities' notices of those days came late.
        if (evaluationFailedDays > 0)
        {
            context.Error.WriteLine($"the evaluation of {Scales.Counted(evaluationFailedDays, "day", "days")} failed for some cities: their notices are issued as the host retries them (exit {ExitCodes.EvaluationFailed})");
            return ExitCodes.EvaluationFailed;
        }

        return ExitCodes.Success;

        // Each day from..to; false when a refused batch stopped it (--stop-on-error).
        async Task<bool> ReplayDaysAsync()
        {
            for (var day = from; day <= to; day = day.AddDays(1))
            {
                var clock = await ClockCommand.SetAsync(api, day, context.CancellationToken);
                left = day;
                if (clock.Pending)
                {
                    // Its notices are not in the answer: they are listed below as they appear, on this day's line or a later one.
                    context.Error.WriteLine($"{Format.Date(day)}  {ClockCommand.ClockPending}");
                }
                else if (clock.Failed)
                {
                    // The other cities' notices are in the answer; the failed ones' are listed as they appear, as pending ones are.
                    context.Error.WriteLine($"{Format.Date(day)}  {ClockCommand.ClockFailed(clock)}");
                    evaluationFailedDays++;
                }

                var events = byDay.TryGetValue(day, out var list) ? list : [];
                var before = (totals.Accepted, totals.Duplicates, totals.Rejected, totals.Replaced);
                var carryOn = await sender.SendAsync(events, totals, progress: null);
                var notices = await NewNoticesAsync(api, clock.Notices ?? [], from, day, printed, context.CancellationToken);
                var known = earlierByDay.GetValueOrDefault(day);
                var noticeCount = known == 0 ? $"notices {notices.Count}" : $"notices {known + notices.Count} ({notices.Count} new)";
                var replaced = totals.Replaced - before.Replaced;
                context.Out.WriteLine(
                    $"{Format.Date(day)}  events {events.Count}: accepted {totals.Accepted - before.Accepted}, duplicates {totals.Duplicates - before.Duplicates}, rejected {totals.Rejected - before.Rejected}{(replaced > 0 ? $", replaced {replaced}" : "")}; {noticeCount}");
                foreach (var notice in notices)
                {
                    context.Out.Write("  ");
                    Format.Notice(context.Out, notice);
                }

                if (!carryOn)
                {
                    context.Error.WriteLine($"stopped at {Format.Date(day)} after a refused batch");
                    context.Out.WriteLine(totals.Summary);
                    return false;
                }
            }

            context.Out.WriteLine(totals.Summary);
            return true;
        }
    }

    /// <summary>
    /// The line for a replay that leaves the replay clock earlier than it found it, naming the day it is left on: a
    /// complete run with --allow-rewind ends on --to as asked; any run that stopped early ends on the last day it set.
    /// Null when the clock is where it was or later, or was not in replay time (said before the run), or was never set.
    /// </summary>
    internal static string? ClockLeft(ClockDto found, DateOnly? left, bool completed, DateOnly to)
    {
        if (found.Mode != "replay" || left is not { } day || day >= found.Date)
        {
            return null;
        }

        return completed && day == to
            ? $"clock moved back from {Format.Date(found.Date)} to {Format.Date(day)}: every city stands as at the end of {Format.Date(day)}; 'riskmesh clock set {Format.Date(found.Date)}' moves it forward again"
            : $"clock left on {Format.Date(day)}, earlier than the {Format.Date(found.Date)} it was on: every city stands as at the end of {Format.Date(day)}; 'riskmesh clock set {Format.Date(found.Date)}' moves it forward";
    }

    /// <summary>
    /// The first notice dated after <paramref name="to"/> (up to the clock's day or the day after --to, whichever is
    /// later), or null: what a replay from live time would put out of force. Read a period at a time (the API serves at
    /// most 3660 days a request); the key a replay needs reads every notice anyway (it lists each day's).
    /// </summary>
    private static async Task<NoticeDto?> FirstNoticeAfterAsync(ApiClient api, DateOnly to, DateOnly clockDay, CancellationToken cancellationToken)
    {
        const int MaxDays = 3660;
        var last = clockDay > to ? clockDay : to.AddDays(1);
        for (var first = to.AddDays(1); first <= last; first = first.AddDays(MaxDays))
        {
            var end = first.AddDays(MaxDays - 1) < last ? first.AddDays(MaxDays - 1) : last;
            var notices = await api.GetAsync<List<NoticeDto>>($"api/v1/notices?from={Format.Date(first)}&to={Format.Date(end)}", cancellationToken);
            if (notices.Count > 0)
            {
                return notices.OrderBy(n => n.Date).First();
            }
        }

        return null;
    }

    /// <summary>
    /// What the replay does to the clock it finds, in a sentence, when it moves it back; a replay that would leave the
    /// replay clock earlier than it is (a day after <paramref name="to"/>) is refused unless allowed. Leaving live time is
    /// refused unless allowed only when the host holds a notice dated after --to (<paramref name="later"/>, the first):
    /// otherwise it is said, not refused, as every replay on a new host starts that way (README, "First steps"). A
    /// replay that starts before the replay clock's day and ends on it or later (a re-run) comes back to where it was,
    /// with nothing issued twice, so it is said, not refused.
    /// </summary>
    internal static string? Rewind(ClockDto clock, DateOnly from, DateOnly to, bool allowed, NoticeDto? later = null)
    {
        if (clock.Mode != "replay")
        {
            if (later is not null && !allowed)
            {
                throw new ReplayRefusedException(
                    $"the clock is in live time ({Format.Date(clock.Date)}) and this host holds notices dated after --to {Format.Date(to)} (the first: {later.Id}, {Format.Date(later.Date)}): this replay would move every city back to its standing of {Format.Date(to)} and leave those notices no longer in force; check --url (RISKMESH_URL) names the host you mean, and to do it, add --{AllowRewind}");
            }

            return clock.Date > from
                ? $"clock moved from live time ({Format.Date(clock.Date)}) back to {Format.Date(from)} for the replay; it stays on replay days afterwards ('riskmesh clock live' returns to live time)"
                : null;
        }

        if (clock.Date > to && !allowed)
        {
            throw new ReplayRefusedException(
                $"the replay clock is on {Format.Date(clock.Date)}, after --to {Format.Date(to)}: this replay would move it back and leave every city at its standing of {Format.Date(to)} (notices dated after it no longer in force); to do that, add --{AllowRewind}, or end the replay on {Format.Date(clock.Date)} or later");
        }

        if (clock.Date > from)
        {
            return clock.Date > to
                ? $"clock moved back from {Format.Date(clock.Date)} to {Format.Date(from)} (--{AllowRewind}); the replay ends on {Format.Date(to)}, earlier than it was"
                : $"clock moved back from {Format.Date(clock.Date)} to {Format.Date(from)}; the replay brings it forward again, day by day, to {Format.Date(to)}";
        }

        return null;
    }

    /// <summary>
    /// The notices of the replay so far not printed yet, oldest first: those of the day (whether the clock move or the
    /// day's events issued them; the ingest answer does not carry them), any the clock move issued for earlier days (a
    /// first move that caught up), and any an earlier day's events issued after that day was printed (a city hears of
    /// its ports' changes a moment after the ingest is acknowledged). Each line shows the day the notice concerns.
    /// </summary>
    private static async Task<List<NoticeDto>> NewNoticesAsync(
        ApiClient api, IReadOnlyList<NoticeDto> fromClock, DateOnly from, DateOnly day, HashSet<string> printed, CancellationToken cancellationToken)
    {
        var listed = await api.GetAsync<List<NoticeDto>>($"api/v1/notices?from={Format.Date(from)}&to={Format.Date(day)}", cancellationToken);
        return [.. fromClock.Concat(listed)
            .DistinctBy(n => n.Id)
            .Where(n => printed.Add(n.Id))
            .OrderBy(n => n.Date)
            .ThenBy(n => n.City, StringComparer.Ordinal)
            .ThenBy(n => n.Sequence)];
    }
}
