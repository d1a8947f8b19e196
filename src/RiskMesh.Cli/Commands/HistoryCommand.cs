using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh history KIND ID</c>: one row a day and a sparkline of the score.</summary>
internal sealed class HistoryCommand : Command
{
    // A score's whole range: the sparkline's fixed scale.
    private const double ScaleLow = 0;
    private const double ScaleHigh = 100;

    public override string Name => "history";

    public override string Summary => "an entity's daily score history, with a sparkline";

    public override IReadOnlyList<string> Usage => ["history country|port|city|province ID [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--as-known-on YYYY-MM-DD] [--json | --csv | --format table|csv|json]"];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("from", "first day (default: 30 days before --to)"),
        OptionSpec.Value("to", "last day (default: the clock's today)"),
        OptionSpec.Value("as-known-on", "answer from what RiskMesh knew at the end of that day (later revisions left out)"),
        OptionSpec.Switch("json", "print the API's JSON"),
        OptionSpec.Switch("csv", "one CSV row a day (score, level, metrics) for a spreadsheet; same as --format csv"),
        OptionSpec.Value("format", "table (default), csv or json"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        await KindLeftOut.RefuseAsync(context, args, Name, EntityPath.Kinds + "|province");
        CountryNameHint.Refuse(args, Name);
        var format = FormatOf(args);
        var path = PathOf(args) + "/history";
        var from = args.Date("from");
        var to = args.Date("to");
        if (from > to)
        {
            throw new UsageException($"--from {Format.Date(from!.Value)} is after --to {Format.Date(to!.Value)}");
        }

        var query = new List<string>();
        if (from is { } f)
        {
            query.Add("from=" + Format.Date(f));
        }

        if (to is { } t)
        {
            query.Add("to=" + Format.Date(t));
        }

        if (args.Date("as-known-on") is { } knownOn)
        {
            query.Add("asKnownOn=" + Format.Date(knownOn));
        }

        var url = query.Count == 0 ? path : path + "?" + string.Join("&", query);
        var body = await context.Api(args).SendAsync(HttpMethod.Get, url, null, context.CancellationToken);
        var points = ApiClient.Deserialize<List<HistoryPointDto>>(body, "/" + path);

        // The history stops at the clock's day (or the day known on): a --to after it was cut there in silence, and the
        // table read as all there was (newcomer 19, L8). Said on stderr, so --json's output stays the API's JSON.
        if (to is { } asked && points.Count > 0 && points[^1].Date < asked)
        {
            var last = args.Date("as-known-on") is null ? "the clock's day" : "the day known on (--as-known-on)";
            context.Error.WriteLine($"riskmesh: --to {Format.Date(asked)} is after {last}; shown to {Format.Date(points[^1].Date)}");
        }

        if (format == "json")
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        if (format == "csv")
        {
            HistoryCsv.Write(context.Out, points);
            return ExitCodes.Success;
        }

        // Countries carry their reference classifications, so the day a level changed shows in the table.
        var classified = points.Any(p => p.Classifications is not null);
        // A city's days carry the level of its plan in force at each day's end: the day a level changed shows too.
        var responded = points.Any(p => p.ResponseLevel is not null);
        var cells = points.Select(p => Cells(p, classified, responded)).ToList();

        // Days before the first score that all read the same (no score, insufficient data, level 1) are one line, not
        // a row each: a history from 1 January printed 80 such rows before Suifenhe's first report (newcomer 17 F7).
        var folded = LeadingRun(points, cells);
        if (folded > 1)
        {
            var columns = cells[0][2..];
            var same = string.Join(", ", columns.Select((c, i) => i == 0 ? c : Named(c, i, classified, responded)).Where((c, i) => i == 0 || columns[i] != "—"));
            var rest = folded == points.Count ? "" : "; the table starts at the first scored day";
            context.Out.WriteLine($"{Format.Date(points[0].Date)} to {Format.Date(points[folded - 1].Date)} ({folded} days): no score, {same}{rest}");
        }
        else
        {
            folded = 0;
        }

        var shown = points.Skip(folded).ToList();
        if (shown.Count == 0)
        {
            return ExitCodes.Success;
        }

        var table = classified ? new Table("date", "score", Table.ScoreBand, "ecdc", "cdc-thn")
            : responded ? new Table("date", "score", Table.ScoreBand, "response level")
            : new Table("date", "score", Table.ScoreBand);
        table.RightAligned.Add(1);
        foreach (var row in cells.Skip(folded))
        {
            table.Add(row);
        }

        table.Write(context.Out);
        context.Out.WriteLine();
        context.Out.Write(SparklineLines(shown, context.Width));
        return ExitCodes.Success;
    }

    // The output asked for: --format's word, or --csv or --json; two that disagree are a usage error, not a guess.
    private static string FormatOf(ParsedArgs args)
    {
        string[] known = ["table", "csv", "json"];
        var named = args.Value("format")?.ToLowerInvariant();
        if (named is not null && !known.Contains(named))
        {
            throw new UsageException($"unknown --format '{args.Value("format")}'; expected table, csv or json");
        }

        var asked = new[] { named, args.Has("csv") ? "csv" : null, args.Has("json") ? "json" : null }.OfType<string>().Distinct().ToList();
        return asked.Count switch
        {
            0 => "table",
            1 => asked[0],
            _ => throw new UsageException($"--csv, --json and --format ask for different outputs ({string.Join(" and ", asked)}); give one"),
        };
    }

    /// <summary>
    /// The score's sparkline and its legend, fitted to <paramref name="width"/> columns: one mark a day while the days
    /// fit, else one mark per run of days (the highest score of each), which the legend says; the legend goes on a
    /// line of its own when the two do not fit on one. The marks are on the score's whole scale, 0 to 100, so a flat
    /// line stays flat (newcomer 21a L3: 42.5 to 42.7 was drawn ▁ to █), and the legend always names the days drawn,
    /// with --as-known-on too, so the line keeps its dates when pasted alone.
    /// </summary>
    internal static string SparklineLines(IReadOnlyList<HistoryPointDto> points, int width)
    {
        const string Label = "score ";
        var scores = points.Select(p => p.Score).ToList();
        var present = scores.OfType<double>().ToList();
        var range = present.Count == 0 ? "no scores" : $"min {Format.Score(present.Min())}, max {Format.Score(present.Max())}";
        var (marks, perMark) = Sparkline.Fit(scores, Math.Max(10, width - Label.Length), ScaleLow, ScaleHigh);
        var per = perMark == 1 ? "" : $"one mark per {perMark} days, the highest score of each, ";
        var span = $"{Format.Date(points[0].Date)} to {Format.Date(points[^1].Date)}";
        var legend = $"({per}{span}; {range}; scale 0 to 100; {Sparkline.Gap} = no score)";
        var line = $"{Label}{marks}  {legend}";
        return line.Length <= width
            ? line + Environment.NewLine
            : $"{Label}{marks}{Environment.NewLine}{new string(' ', Label.Length)}{legend}{Environment.NewLine}";
    }

    private static string[] Cells(HistoryPointDto point, bool classified, bool responded) =>
        classified ? [Format.Date(point.Date), Format.Score(point.Score), Format.Band(point.Level), point.Classifications?.Ecdc ?? "—", point.Classifications?.CdcThn ?? "—"]
        : responded ? [Format.Date(point.Date), Format.Score(point.Score), Format.Band(point.Level), Format.ResponseLevel(point.ResponseLevel)]
        : [Format.Date(point.Date), Format.Score(point.Score), Format.Band(point.Level)];

    // How many days from the first have no score and read alike in every other column.
    private static int LeadingRun(IReadOnlyList<HistoryPointDto> points, IReadOnlyList<string[]> cells)
    {
        var run = 0;
        while (run < points.Count && points[run].Score is null && cells[run].Skip(2).SequenceEqual(cells[0].Skip(2)))
        {
            run++;
        }

        return run;
    }

    // A folded run's column after the band, named as its heading reads ("ecdc grey", "cdc-thn unknown"); a response
    // level already reads "level 1".
    private static string Named(string cell, int index, bool classified, bool responded) =>
        classified ? (index == 1 ? "ecdc " : "cdc-thn ") + cell
        : responded ? "response " + cell
        : cell;

    // Only history and the province view exist for provinces (no explanation or plan), so the kind is accepted here
    // rather than in EntityPath, which the other commands share.
    private static string PathOf(ParsedArgs args)
    {
        var kind = args.Positional(0, EntityPath.Kinds + "|province");
        if (kind.ToLowerInvariant() is not ("province" or "provinces"))
        {
            return EntityPath.FromArgs(args);
        }

        var id = EntityPath.Checked("provinces", args.Positional(1, "ID"));
        args.NoMorePositionals(2);
        return $"api/v1/provinces/{Uri.EscapeDataString(id)}";
    }
}
