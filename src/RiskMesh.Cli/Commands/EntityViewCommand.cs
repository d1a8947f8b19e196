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

/// <summary><c>riskmesh explain country|port|city ID</c>: every component of the score and why.</summary>
internal sealed class ExplainCommand : EntityViewCommand
{
    public override string Name => "explain";

    public override string Summary => "every component of a score: value, normalized, weight, contribution, explanation";

    protected override void Write(TextWriter writer, RiskViewDto view) => RiskViewWriter.Explain(writer, view);
}
