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
        "replay FILE... --from YYYY-MM-DD --to YYYY-MM-DD [--batch N] [--stop-on-error]",
        "",
        "Reads every file first and groups the events by their date; for each day from..to it sets the clock",
        "(POST /api/v1/clock) and ingests that day's events, then prints every notice dated that day (issued when the",
        "clock moved or while the day's events were ingested). Events outside the range are skipped and counted.",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
        [OptionSpec.Value("from", "first day (required)"), OptionSpec.Value("to", "last day (required)"), .. IngestCommand.SendOptions];

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
            foreach (var item in EventFileReader.Read(file))
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
        var totals = new IngestTotals();
        var sender = new EventSender(context, api, batch, args.Has("stop-on-error"));
        // Notices that exist before this replay (a re-run, or days replayed before) are not news: each day counts them
        // apart, "notices 2 (0 new)", and prints only the notices this replay issued.
        var earlier = await api.GetAsync<List<NoticeDto>>($"api/v1/notices?from={Format.Date(from)}&to={Format.Date(to)}", context.CancellationToken);
        var earlierByDay = earlier.GroupBy(n => n.Date).ToDictionary(g => g.Key, g => g.Count());
        var printed = new HashSet<string>(earlier.Select(n => n.Id), StringComparer.Ordinal);
        var evaluationFailedDays = 0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var clock = await ClockCommand.SetAsync(api, day, context.CancellationToken);
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
                break;
            }
        }

        context.Out.WriteLine(totals.Summary);
        if (totals.ConflictWarning is { } conflicts)
        {
            context.Error.WriteLine(conflicts);
        }

        if (totals.RejectedBatches > 0 || totals.Conflicts > 0)
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
