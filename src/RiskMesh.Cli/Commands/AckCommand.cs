using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh ack city ID NOTICE_ID</c>: acknowledges a notice.</summary>
internal sealed class AckCommand : Command
{
    public override string Name => "ack";

    public override string Summary => "acknowledge a city's notice";

    public override IReadOnlyList<string> Usage => ["ack city ID NOTICE_ID"];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var noticeId = args.Positional(2, "NOTICE_ID");
        var path = EntityPath.City(args, $"/notices/{Uri.EscapeDataString(noticeId)}/ack", extra: 1);
        var body = await context.Api(args).SendAsync(HttpMethod.Post, path, null, context.CancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            context.Out.WriteLine($"acknowledged {noticeId}");
            return ExitCodes.Success;
        }

        Format.Notice(context.Out, ApiClient.Deserialize<NoticeDto>(body, "/" + path));
        return ExitCodes.Success;
    }
}
