using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh get country|port|city ID</c>: a compact summary, or the raw JSON.</summary>
internal sealed class GetCommand : Command
{
    public override string Name => "get";

    public override string Summary => "an entity's score, level, trend and key metrics";

    public override IReadOnlyList<string> Usage => ["get country CODE [--json]", "get port ID [--json]", "get city ID [--json]"];

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

        RiskViewWriter.Summary(context.Out, ApiClient.Deserialize<RiskViewDto>(body, "/" + path));
        return ExitCodes.Success;
    }
}
