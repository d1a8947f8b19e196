using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh history KIND ID</c>: one row a day and a sparkline of the score.</summary>
internal sealed class HistoryCommand : Command
{
    public override string Name => "history";

    public override string Summary => "an entity's daily score history, with a sparkline";

    public override IReadOnlyList<string> Usage => ["history country|port|city|province ID [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--as-known-on YYYY-MM-DD] [--json]"];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("from", "first day (default: 30 days before --to)"),
        OptionSpec.Value("to", "last day (default: the clock's today)"),
        OptionSpec.Value("as-known-on", "answer from what RiskMesh knew at the end of that day (later revisions left out)"),
        OptionSpec.Switch("json", "print the API's JSON"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
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
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        var points = ApiClient.Deserialize<List<HistoryPointDto>>(body, "/" + path);
        // Countries carry their reference classifications, so the day a level changed shows in the table.
        var classified = points.Any(p => p.Classifications is not null);
        // A city's days carry the level of its plan in force at each day's end: the day a level changed shows too.
        var responded = points.Any(p => p.ResponseLevel is not null);
        var table = classified ? new Table("date", "score", Table.ScoreBand, "ecdc", "cdc-thn")
            : responded ? new Table("date", "score", Table.ScoreBand, "response level")
            : new Table("date", "score", Table.ScoreBand);
        table.RightAligned.Add(1);
        foreach (var point in points)
        {
            if (classified)
            {
                table.Add(Format.Date(point.Date), Format.Score(point.Score), Format.Band(point.Level), point.Classifications?.Ecdc ?? "—", point.Classifications?.CdcThn ?? "—");
            }
            else if (responded)
            {
                table.Add(Format.Date(point.Date), Format.Score(point.Score), Format.Band(point.Level), Format.ResponseLevel(point.ResponseLevel));
            }
            else
            {
                table.Add(Format.Date(point.Date), Format.Score(point.Score), Format.Band(point.Level));
            }
        }

        table.Write(context.Out);
        var scores = points.Select(p => p.Score).ToList();
        var present = scores.OfType<double>().ToList();
        var range = present.Count == 0 ? "no scores" : $"min {Format.Score(present.Min())}, max {Format.Score(present.Max())}";
        context.Out.WriteLine();
        context.Out.WriteLine($"score {Sparkline.Render(scores)}  ({range}; {Sparkline.Gap} = no score)");
        return ExitCodes.Success;
    }

    // Only history and the province view exist for provinces (no explanation or plan), so the kind is accepted here
    // rather than in EntityPath, which the other commands share.
    private static string PathOf(ParsedArgs args)
    {
        var kind = args.Positional(0, EntityPath.Kinds + "|province");
        if (kind.ToLowerInvariant() is not ("province" or "provinces"))
        {
            return EntityPath.FromArgs(args);
        }

        var id = args.Positional(1, "ID");
        args.NoMorePositionals(2);
        return $"api/v1/provinces/{Uri.EscapeDataString(id)}";
    }
}
