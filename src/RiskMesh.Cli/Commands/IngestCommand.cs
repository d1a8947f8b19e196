using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Input;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh ingest FILE…</c>: NDJSON, JSON-array or CSV events in batches, with progress and a summary.</summary>
internal sealed class IngestCommand : Command
{
    /// <summary>Events per request unless <c>--batch</c> says otherwise.</summary>
    public const int DefaultBatch = 1000;

    /// <summary>Options shared with replay.</summary>
    public static readonly IReadOnlyList<OptionSpec> SendOptions =
    [
        OptionSpec.Value("batch", $"events per request (default {DefaultBatch}; the server takes at most 10000)"),
        OptionSpec.Switch("stop-on-error", "stop at the first refused batch instead of going on with the next"),
    ];

    public override string Name => "ingest";

    public override string Summary => "send events from NDJSON (.ndjson, .jsonl), JSON array (.json) or CSV (.csv) files";

    public override IReadOnlyList<string> Usage =>
    [
        "ingest FILE... [--batch N] [--stop-on-error] [--check]",
        "",
        "--check validates the files as an ingest would (topology, dates against the clock, ids already accepted)",
        "and reports the same way, after \"checked, nothing written:\"; ids repeated across its batches count as",
        "duplicates (conflicts with other content), as in an ingest; it cannot say what only folding knows (replaced",
        "reports, a country's warnings about its case figures).",
        "CSV: a header row names event fields (id,type,port,date,inbound,origins,...); empty cells are omitted;",
        "numbers are sent as numbers; origins reads like RU:290;MN:10. A refused batch lists each bad event",
        "by file and line; nothing of that batch is applied, the next batches still go, and the exit code is 2.",
        "A batch never spans two files; with several files the summary gives each file's line, then all files'.",
        "An event whose id was accepted before with other content is not applied either: it is named, exit code 2.",
        "Events dated past the clock (more than a day ahead) are set aside, not applied, and their batches sent",
        "without them; the end says how many, which days and lines, and what to do (send the file again when their",
        "days come: what was accepted counts as duplicates), exit code 2. An event repeated word for word in a file",
        "is named by its line and applied once.",
        "A file that cannot be read as events (not UTF-8, CSV rows with more or fewer cells than the header, a",
        "quote never closed, not JSON) is named with its bad rows and not sent; the other files are sent all the",
        "same, and the exit code is 2.",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
        [.. SendOptions, OptionSpec.Switch("check", "check the files without writing anything: what would be accepted, duplicate or refused")];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        if (args.Positionals.Count == 0)
        {
            throw new UsageException("missing argument: FILE");
        }

        var batch = args.PositiveInt("batch", DefaultBatch);
        var events = new List<SourceEvent>();
        var totals = new IngestTotals { Replacements = new ReportReplacements() };
        foreach (var file in args.Positionals)
        {
            IReadOnlyList<SourceEvent> read;
            try
            {
                read = EventFileReader.Read(file, out var readAs);
                if (readAs is not null)
                {
                    // Said, not guessed: a ';' or tab file, or UTF-16 text, as Excel saves them (newcomer 23b, finding 6).
                    context.Error.WriteLine(readAs);
                }
            }
            catch (InputException ex) when (args.Positionals.Count > 1 && args.Has("stop-on-error"))
            {
                // Files are read before any is sent, so stopping at this one sends nothing at all: said, not left to guess.
                context.Error.WriteLine($"riskmesh: {ex.Message}");
                context.Error.WriteLine($"riskmesh: nothing sent: --stop-on-error stops at a file that cannot be read, and files are read before any is sent");
                return ExitCodes.Refused;
            }
            catch (InputException ex) when (args.Positionals.Count > 1)
            {
                // A file that cannot be read is not sent, and says why; the others are sent all the same, as a file
                // the server refuses does not hold back the others (newcomer 19: one bad CSV sent nothing at all).
                context.Error.WriteLine($"riskmesh: {ex.Message}");
                totals.For(file).Unreadable = true;
                continue;
            }

            if (read.Count == 0)
            {
                // Not an error (a day may bring no reports), but a truncated export must not read as a success.
                context.Error.WriteLine($"{file}: no events in it");
            }

            foreach (var repeat in RepeatedEvents.Notes(read))
            {
                context.Error.WriteLine(repeat);
            }

            totals.For(file);
            events.AddRange(read);
        }

        var api = context.Api(args);
        var progress = new Progress(context.Console, events.Count);
        var check = args.Has("check");
        var sender = new EventSender(context, api, batch, args.Has("stop-on-error"), check);
        try
        {
            await sender.SendAsync(events, totals, progress);
        }
        catch (Exception)
        {
            progress.Finish();
            context.Error.WriteLine($"stopped; so far: {totals.Summary}");
            context.Error.WriteLine("send the same files again to go on: the events already accepted (and perhaps the batch that was on its way) are answered as duplicates, not applied twice");
            throw;
        }
        finally
        {
            progress.Finish();
        }

        // Several files: each one's own line first (batches never span files, so each was accepted or refused on its own).
        if (totals.Files.Count > 1)
        {
            foreach (var (file, fileTotals) in totals.Files)
            {
                context.Out.WriteLine($"{file}: {fileTotals.FileSummary}");
            }

            context.Out.Write("all files: ");
        }

        context.Out.WriteLine(check ? $"checked, nothing written: {totals.Summary}" : totals.Summary);
        foreach (var replacement in totals.Replacements.Named)
        {
            context.Out.WriteLine($"  {replacement}");
        }

        if (totals.Replacements.MoreNotNamed > 0)
        {
            context.Out.WriteLine($"  … and {Scales.Counted(totals.Replacements.MoreNotNamed, "more replacement", "more replacements")} within these files");
        }

        if (totals.ConflictWarning is { } conflicts)
        {
            context.Error.WriteLine(conflicts);
        }

        if (totals.RejectedBatches > 0)
        {
            var notSent = totals.NotSent > 0 ? $"; stopped: {Scales.Counted(totals.NotSent, "event", "events")} not sent" : "";
            // "1 batch refused (3 events in it, 2 of them invalid)": the pronoun and "of them" agree with the counts.
            var inThem = totals.RejectedBatches == 1 ? "in it" : "in them";
            var invalid = totals.Rejected == 1 ? $"{Scales.Count(totals.Invalid)} invalid" : $"{Scales.Count(totals.Invalid)} of them invalid";
            context.Error.WriteLine($"{Scales.Counted(totals.RejectedBatches, "batch", "batches")} refused ({Scales.Counted(totals.Rejected, "event", "events")} {inThem}, {invalid}); nothing of a refused batch was applied{notSent}");
        }

        // Last, what to do about events dated past the clock: the one cause of a file that runs past it.
        await sender.WriteAfterClockAdviceAsync();

        // Events sent under an accepted id with other content were not applied either, nor were those set aside past the
        // clock: a script must not read success while part of a file waits.
        return totals.RejectedBatches > 0 || totals.Conflicts > 0 || totals.SetAside > 0 || totals.Files.Any(f => f.Totals.Unreadable)
            ? ExitCodes.Refused
            : ExitCodes.Success;
    }
}
