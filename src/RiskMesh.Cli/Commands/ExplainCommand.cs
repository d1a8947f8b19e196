using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh explain country|port|city ID</c>: every component of the score and why.</summary>
internal sealed class ExplainCommand : Command
{
    public override string Name => "explain";

    public override string Summary => "every component of a score: value, normalized, weight, contribution, explanation";

    public override IReadOnlyList<string> Usage => ["explain country CODE [--json]", "explain port ID [--json]", "explain city ID [--json]"];

    public override IReadOnlyList<OptionSpec> Options => [OptionSpec.Switch("json", "print the API's JSON")];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var path = EntityPath.FromArgs(args);
        var body = await context.Api(args).SendAsync(HttpMethod.Get, path, null, context.CancellationToken);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        RiskViewWriter.Explain(context.Out, ApiClient.Deserialize<RiskViewDto>(body, "/" + path));
        return ExitCodes.Success;
    }
}
