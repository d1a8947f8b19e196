using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary>A command that reads one entity's view and prints it its own way (or the raw JSON with <c>--json</c>).</summary>
internal abstract class EntityViewCommand : Command
{
    public override IReadOnlyList<string> Usage =>
        [$"{Name} country CODE [--as-known-on YYYY-MM-DD] [--json]", $"{Name} port ID [--as-known-on YYYY-MM-DD] [--json]", $"{Name} city ID [--as-known-on YYYY-MM-DD] [--json]"];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("as-known-on", "answer what RiskMesh said at the end of that day, from what it knew then"),
        OptionSpec.Switch("json", "print the API's JSON"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        await KindLeftOut.RefuseAsync(context, args, Name, EntityPath.Kinds);
        CountryNameHint.Refuse(args, Name);
        var path = EntityPath.FromArgs(args);
        if (args.Date("as-known-on") is { } knownOn)
        {
            path += "?asKnownOn=" + Format.Date(knownOn);
        }

        var body = await context.Api(args).SendAsync(HttpMethod.Get, path, null, context.CancellationToken);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        Write(context.Out, ApiClient.Deserialize<RiskViewDto>(body, "/" + path));
        return ExitCodes.Success;
    }

    /// <summary>Prints the view.</summary>
    protected abstract void Write(TextWriter writer, RiskViewDto view);
}

/// <summary><c>riskmesh get country|port|city ID</c>: a compact summary, or the raw JSON.</summary>
internal sealed class GetCommand : EntityViewCommand
{
    public override string Name => "get";

    public override string Summary => "an entity's score, level, trend and key metrics";

    protected override void Write(TextWriter writer, RiskViewDto view) => RiskViewWriter.Summary(writer, view);
}

/// <summary>
/// <c>riskmesh explain country|port|city ID</c>: every component of the score and why; with <c>--since DAY</c>, each
/// beside what RiskMesh said at the end of that day, the components that moved most first.
/// </summary>
internal sealed class ExplainCommand : EntityViewCommand
{
    public override string Name => "explain";

    public override string Summary => "every component of a score: value, normalized, weight, contribution, explanation; --since DAY: what changed";

    public override IReadOnlyList<string> Usage =>
    [
        .. base.Usage,
        "explain country|port|city ID --since YYYY-MM-DD|yesterday [--as-known-on YYYY-MM-DD] [--json]",
        "",
        "With --since, each component's value and points beside those of the view RiskMesh gave at the end of that day",
        "(what an analyst was told then: ?asKnownOn=), the components that moved most first, and the score band and",
        "response level then and now. 'yesterday' is the day before the view's own day (the clock's, or --as-known-on).",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        .. base.Options,
        OptionSpec.Value("since", "compare with what RiskMesh said at the end of that day (YYYY-MM-DD or 'yesterday'): what changed since"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        if (args.Value("since") is not { } sinceText)
        {
            return await base.RunAsync(context, args);
        }

        // Checked before anything is asked: a word that is not a day is the analyst's slip, not the server's.
        var sinceDay = sinceText == "yesterday" ? (DateOnly?)null : SinceDate(args);
        await KindLeftOut.RefuseAsync(context, args, Name, EntityPath.Kinds);
        CountryNameHint.Refuse(args, Name);
        var path = EntityPath.FromArgs(args);
        var knownOn = args.Date("as-known-on");
        var api = context.Api(args);
        var nowPath = knownOn is { } k ? path + "?asKnownOn=" + Format.Date(k) : path;
        var nowBody = await api.SendAsync(HttpMethod.Get, nowPath, null, context.CancellationToken);
        var now = ApiClient.Deserialize<RiskViewDto>(nowBody, "/" + nowPath);
        var since = sinceDay ?? now.AsOf.AddDays(-1);
        if (since >= now.AsOf)
        {
            var against = knownOn is null ? $"the clock's day, {Format.Date(now.AsOf)}" : $"--as-known-on {Format.Date(now.AsOf)}";
            var what = since > now.AsOf ? (knownOn is null ? "is after the clock's day: nothing is known of it yet" : "is after the day it is compared with") : "is the very day it is compared with";
            throw new UsageException($"--since {Format.Date(since)} {what}; give a day before {against} (for example --since {Format.Date(now.AsOf.AddDays(-1))})");
        }

        var thenPath = path + "?asKnownOn=" + Format.Date(since);
        string thenBody;
        try
        {
            thenBody = await api.SendAsync(HttpMethod.Get, thenPath, null, context.CancellationToken);
        }
        catch (ApiException refused) when (refused.Status == 400)
        {
            // The server names its parameter (asKnownOn); the analyst typed --since.
            var why = refused.Problem.Detail ?? refused.Problem.Title ?? "refused";
            var named = $"'asKnownOn' ({Format.Date(since)}) ";
            context.Error.WriteLine(why.StartsWith(named, StringComparison.Ordinal)
                ? $"riskmesh explain: --since {Format.Date(since)} {why[named.Length..]}"
                : $"riskmesh explain: --since {Format.Date(since)} refused: {why}");
            return ExitCodes.Refused;
        }

        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson($"{{\"since\":\"{Format.Date(since)}\",\"now\":{nowBody},\"then\":{thenBody}}}"));
            return ExitCodes.Success;
        }

        ViewChangeWriter.Write(context.Out, now, ApiClient.Deserialize<RiskViewDto>(thenBody, "/" + thenPath));
        return ExitCodes.Success;
    }

    protected override void Write(TextWriter writer, RiskViewDto view) => RiskViewWriter.Explain(writer, view);

    // A day, or the refusal of one saying that 'yesterday' is taken too.
    private static DateOnly? SinceDate(ParsedArgs args)
    {
        try
        {
            return args.Date("since");
        }
        catch (UsageException refused)
        {
            throw new UsageException($"{refused.Message} (or 'yesterday', the day before the view's)");
        }
    }
}
