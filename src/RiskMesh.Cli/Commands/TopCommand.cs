using System.Globalization;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh top ports|cities|countries|provinces</c>: the ranking as a table.</summary>
internal sealed class TopCommand : Command
{
    public override string Name => "top";

    public override string Summary => "the highest scores of a kind";

    public override IReadOnlyList<string> Usage => ["top ports|cities|countries|provinces [--limit N] [--as-known-on YYYY-MM-DD] [--json]"];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("limit", "rows (default 10)"),
        OptionSpec.Value("as-known-on", "rank every entity as RiskMesh answered at the end of that day, from what it knew then (slower: each is asked)"),
        OptionSpec.Switch("json", "print the API's JSON"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var word = args.Positional(0, "ports|cities|countries|provinces");
        args.NoMorePositionals(1);
        var kind = word.ToLowerInvariant() switch
        {
            "ports" or "port" => "port",
            "cities" or "city" => "city",
            "countries" or "country" => "country",
            "provinces" or "province" => "province",
            _ => throw new UsageException($"unknown kind '{word}'; expected ports, cities, countries or provinces"),
        };
        var limit = args.PositiveInt("limit", 10);
        var knownOn = args.Date("as-known-on");
        var path = $"api/v1/rankings?kind={kind}&limit={limit.ToString(CultureInfo.InvariantCulture)}"
            + (knownOn is { } asked ? "&asKnownOn=" + Format.Date(asked) : "");
        var body = await context.Api(args).SendAsync(HttpMethod.Get, path, null, context.CancellationToken);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        var rows = ApiClient.Deserialize<List<RankingDto>>(body, "/api/v1/rankings");
        // A city ranking also says which level of each city's plan is in force: it differs from the score band by design
        // (hysteresis and dwell), and it is what a city is doing.
        var cities = kind == "city";
        // "est." beside a score resting on estimates or defaults (the rows' dataQuality): sixteen ports that reported
        // nothing ranked at 17.0 above one reporting its traffic and testing, with nothing to tell them apart (newcomer
        // 17 F3). A server from before dataQuality sends none: then the column is left out rather than left blank,
        // which would read as "rests on reports".
        var marks = rows.Exists(r => r.DataQuality is not null);
        // A country ranking also says how its cases move week on week: its trend is the score's, which falls when growth
        // slows while the cases still grow (Russia "falling" at ×1.26 a week, newcomer 19 L16).
        var countries = kind == "country";
        // A province is as risky as its riskiest city: the row names that city, whose figures it carries.
        var provinces = kind == "province";
        string[] headers = ["#", "id", "name", .. provinces ? (string[])["highest city"] : [], "score", .. marks ? (string[])[EstimateColumn] : [], Table.ScoreBand, .. cities ? (string[])["response level"] : [], "trend", .. countries ? (string[])["cases 7d"] : []];
        var table = new Table(headers);
        table.RightAligned.UnionWith([0, provinces ? 4 : 3]);
        var rank = 0;
        foreach (var row in rows)
        {
            string[] mark = marks ? [RestsOnEstimates(row) ? EstimateMark : ""] : [];
            string[] response = cities ? [Format.ResponseLevel(row.ResponseLevel)] : [];
            string[] growth = countries ? [Format.CasesWeeks(row.Cases7d, row.CasesPrevious7d) + WeeksEnd(row)] : [];
            string[] highest = provinces ? [row.HighestCity ?? "—"] : [];
            table.Add([Format.Count(++rank), row.Id, row.Name, .. highest, Format.Score(row.Score), .. mark, Format.Band(row.Level), .. response, row.Trend, .. growth]);
        }

        table.Write(context.Out);
        if (knownOn is { } then)
        {
            // Said under the table, as the other legends are: a past day's ranking pasted alone still says which day it is.
            context.Out.WriteLine($"as known on {Format.Date(then)}: each {kind} as RiskMesh answered at the end of that day, from the events accepted by then (later revisions left out; the topology is today's).");
        }

        if (rows.Exists(RestsOnEstimates))
        {
            context.Out.WriteLine($"{EstimateMark} = the score rests on estimates or defaults, not on the entity's own reports (no recent report, traffic estimated, capacity never reported); 'riskmesh explain {(provinces ? "city ID' (of the highest city)" : kind + " ID'")} says which, --json gives each row's dataQuality.");
        }

        if (countries)
        {
            context.Out.WriteLine("trend = the score's over 7 days; cases 7d = cases in the last 7 days against the 7 before, and the change (a score falls when growth slows, while cases may still grow).");
            if (rows.Exists(r => WeeksEnd(r) != ""))
            {
                var day = knownOn is null ? "today" : "the day known on";
                context.Out.WriteLine($"to DATE = the country's last case report is older than {day}: its two weeks end on that report's day, not {day}.");
            }
        }

        return ExitCodes.Success;
    }

    private const string EstimateColumn = "data";

    private const string EstimateMark = "est.";

    // The day a country's weeks end on, when not today (its feed paused): "72 vs 18" read as this week's was the week to
    // 20 April on a ranking of 30 April (newcomer 22).
    private static string WeeksEnd(RankingDto row) => row.Cases7d is not null && row.CasesThrough is { } through ? " to " + Format.Date(through) : "";

    private static bool RestsOnEstimates(RankingDto row) => row.Score is not null && row.DataQuality is { Count: > 0 };
}
