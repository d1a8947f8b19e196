using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh notices city ID</c>: a city's notices, optionally of one status.</summary>
internal sealed class NoticesCommand : Command
{
    public override string Name => "notices";

    public override string Summary => "a city's notices";

    public override IReadOnlyList<string> Usage => ["notices city ID [--status open|acknowledged] [--json]"];

    public override IReadOnlyList<OptionSpec> Options =>
        [OptionSpec.Value("status", "only open or only acknowledged notices"), OptionSpec.Switch("json", "print the API's JSON")];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var status = args.Value("status");
        if (status is not (null or NoticeStatuses.Open or NoticeStatuses.Acknowledged))
        {
            throw new UsageException($"--status must be open or acknowledged, got '{status}'");
        }

        var path = EntityPath.City(args, "/notices");
        var url = status is null ? path : $"{path}?status={status}";
        var body = await context.Api(args).SendAsync(HttpMethod.Get, url, null, context.CancellationToken);
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
}
