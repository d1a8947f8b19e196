using System.Text.Json.Nodes;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// <c>riskmesh notices city ID</c>: a city's notices (its team, operators, admins); <c>riskmesh notices --from D --to D</c>:
/// every city's notices dated in a period (analysts too), optionally of some cities only.
/// </summary>
internal sealed class NoticesCommand : Command
{
    public override string Name => "notices";

    public override string Summary => "a city's notices, or every city's notices of a period";

    public override IReadOnlyList<string> Usage =>
    [
        "notices city ID [--status open|acknowledged] [--json]",
        "notices --from YYYY-MM-DD --to YYYY-MM-DD [--city ID]... [--status open|acknowledged] [--json]",
        "",
        "The first form reads one city's notices (a responder key of that city, an operator or an admin). The second",
        "reads the notices of every city dated from..to (an analyst key too), each city's under its name; --city keeps",
        "only the cities named (repeat it for each city).",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("status", "only open or only acknowledged notices"),
        OptionSpec.Value("from", "with --to: every city's notices dated from this day"),
        OptionSpec.Value("to", "with --from: every city's notices dated up to this day"),
        OptionSpec.Repeated("city", "with --from and --to: only this city's notices"),
        OptionSpec.Switch("json", "print the API's JSON"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var status = args.Value("status");
        if (status is not (null or NoticeStatuses.Open or NoticeStatuses.Acknowledged))
        {
            throw new UsageException($"--status must be open or acknowledged, got '{status}'");
        }

        if (args.Value("from") is not null || args.Value("to") is not null || args.Values("city").Count > 0)
        {
            return await PeriodAsync(context, args, status);
        }

        var path = EntityPath.City(args, "/notices");
        var url = status is null ? path : $"{path}?status={status}";
        string body;
        try
        {
            body = await context.Api(args).SendAsync(HttpMethod.Get, url, null, context.CancellationToken);
        }
        catch (ApiException refused) when (refused.Status == 403 && IsAnalystRefusal(refused))
        {
            // An analyst reads notices by period, not by city: say which command reads them rather than leave the role's
            // refusal as the last word.
            var code = ErrorReporter.Report(context.Error, refused, context.Settings);
            var city = args.Positionals.Count > 1 ? args.Positionals[1] : "ID";
            context.Error.WriteLine($"  an analyst key reads every city's notices of a period: riskmesh notices --from YYYY-MM-DD --to YYYY-MM-DD --city {city}");
            return code;
        }

        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        var notices = ApiClient.Deserialize<List<NoticeDto>>(body, "/" + path);
        if (notices.Count == 0)
        {
            context.Out.WriteLine(status is null ? "no notices" : $"no {status} notices");
        }

        foreach (var notice in notices)
        {
            Format.Notice(context.Out, notice);
        }

        return ExitCodes.Success;
    }

    // GET /api/v1/notices answers every city's notices of the period; the cities and the status are chosen here, as
    // the endpoint takes neither.
    private static async Task<int> PeriodAsync(CommandContext context, ParsedArgs args, string? status)
    {
        if (args.Positionals.Count > 0)
        {
            throw new UsageException(args.Positionals[0] is "city" or "cities"
                ? "give either 'city ID' or --from and --to (with --city ID for some cities only), not both"
                : $"unexpected argument '{args.Positionals[0]}'");
        }

        var from = args.Date("from") ?? throw new UsageException("missing option: --from (every city's notices need a period: --from YYYY-MM-DD --to YYYY-MM-DD)");
        var to = args.Date("to") ?? throw new UsageException("missing option: --to (every city's notices need a period: --from YYYY-MM-DD --to YYYY-MM-DD)");
        if (from > to)
        {
            throw new UsageException($"--from {Format.Date(from)} is after --to {Format.Date(to)}");
        }

        var cities = args.Values("city");
        foreach (var city in cities)
        {
            EntityPath.CityId(city, $"--city '{city}'");
        }

        var path = $"api/v1/notices?from={Format.Date(from)}&to={Format.Date(to)}";
        var body = await context.Api(args).SendAsync(HttpMethod.Get, path, null, context.CancellationToken);
        bool Chosen(string city, string noticeStatus) =>
            (cities.Count == 0 || cities.Contains(city, StringComparer.Ordinal)) && (status is null || noticeStatus == status);

        if (args.Has("json"))
        {
            // The API's own objects, every field kept, of the chosen cities and status only.
            var all = JsonNode.Parse(body) as JsonArray ?? throw new UnexpectedAnswerException("GET /api/v1/notices did not answer a JSON array");
            var kept = new JsonArray([.. all.Where(n => Chosen((string?)n?["city"] ?? "", (string?)n?["status"] ?? "")).Select(n => n?.DeepClone())]);
            context.Out.WriteLine(Format.PrettyJson(kept.ToJsonString()));
            return ExitCodes.Success;
        }

        var notices = ApiClient.Deserialize<List<NoticeDto>>(body, "/api/v1/notices").Where(n => Chosen(n.City, n.Status)).ToList();

        var period = $"{Format.Date(from)}..{Format.Date(to)}";
        var which = status is null ? "notices" : $"{status} notices";
        if (notices.Count == 0)
        {
            context.Out.WriteLine(cities.Count == 0 ? $"no {which} dated {period}" : $"no {which} dated {period} for {string.Join(", ", cities)}");
            return ExitCodes.Success;
        }

        // Each city's notices under its id, in the order its own list gives them (by day, then issue order).
        foreach (var city in notices.GroupBy(n => n.City, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            context.Out.WriteLine($"city {city.Key}: {Scales.Counted(city.Count(), which[..^1], which)} dated {period}");
            foreach (var notice in city.OrderBy(n => n.Date).ThenBy(n => n.Sequence))
            {
                Format.Notice(context.Out, notice);
            }
        }

        return ExitCodes.Success;
    }

    private static bool IsAnalystRefusal(ApiException refused) =>
        refused.Problem.Detail?.Contains("role 'analyst'", StringComparison.Ordinal) == true;
}
