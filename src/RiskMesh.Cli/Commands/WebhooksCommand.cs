using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// <c>riskmesh webhooks send-open CITY --webhook URL</c>: sends a city's open notices to one of its webhooks, one added after
/// they were issued (newcomer 24a L7: a duty phone's relay set up mid-crisis heard nothing of an open level-4 notice).
/// </summary>
internal sealed class WebhooksCommand : Command
{
    public override string Name => "webhooks";

    public override string Summary => "send a city's open notices to one of its webhooks (responder or operator key)";

    public override IReadOnlyList<string> Usage =>
    [
        "webhooks send-open CITY --webhook URL [--json]",
        "",
        "Queues the city's open notices (unacknowledged, not superseded) for that webhook alone, signed and retried as",
        "any notice; those already waiting for it are not queued twice. Receivers dedupe on X-RiskMesh-Notice-Id.",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        // Not --url: that is every command's API address.
        OptionSpec.Value("webhook", "the webhook's URL, one of the city's (as GET /api/v1/cities/CITY/webhooks lists them)"),
        OptionSpec.Switch("json", "print the API's JSON"),
    ];

    public override Task<int> RunAsync(CommandContext context, ParsedArgs args) =>
        args.Positional(0, "send-open") switch
        {
            "send-open" => SendOpenAsync(context, args),
            var other => throw new UsageException($"unknown webhooks command '{other}'; expected send-open"),
        };

    private static async Task<int> SendOpenAsync(CommandContext context, ParsedArgs args)
    {
        var city = EntityPath.CityId(args.Positional(1, "CITY"));
        args.NoMorePositionals(2);
        var url = args.Value("webhook") ?? throw new UsageException("missing option: --webhook URL (one of the city's webhooks)");
        var path = $"api/v1/cities/{Uri.EscapeDataString(city)}/webhooks/send-open";
        var body = await context.Api(args).SendJsonAsync(HttpMethod.Post, path, new { url }, context.CancellationToken);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        var result = ApiClient.Deserialize<SendOpenDto>(body, "/" + path);
        var open = result.Open ?? [];
        var queued = result.Queued ?? [];
        if (open.Count == 0)
        {
            context.Out.WriteLine($"{city} has no open notices: nothing sent to {result.Url}");
            return ExitCodes.Success;
        }

        var waiting = open.Except(queued, StringComparer.Ordinal).ToList();
        context.Out.WriteLine(queued.Count == 0
            ? $"{Count(open.Count)} of {city} already waiting for {result.Url}: nothing queued again ({string.Join(", ", open)})"
            : $"queued {Count(queued.Count)} of {city} for {result.Url}: {string.Join(", ", queued)}"
                + (waiting.Count == 0 ? "" : $" ({string.Join(", ", waiting)} already waiting)"));
        return ExitCodes.Success;
    }

    private static string Count(int notices) => notices == 1 ? "1 open notice" : $"{notices} open notices";
}
