using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary>A read whose answer the CLI prints as indented JSON (for resources whose shape it does not rely on).</summary>
internal sealed class RawGetCommand(string name, string summary, IReadOnlyList<string> usage, Func<ParsedArgs, string> path, int positionals) : Command
{
    public override string Name => name;

    public override string Summary => summary;

    public override IReadOnlyList<string> Usage => usage;

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var url = path(args);
        args.NoMorePositionals(positionals);
        var body = await context.Api(args).SendAsync(HttpMethod.Get, url, null, context.CancellationToken);
        context.Out.WriteLine(Format.PrettyJson(body));
        return ExitCodes.Success;
    }
}
