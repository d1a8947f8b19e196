using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh ack city ID NOTICE_ID [--comment TEXT]</c>: acknowledges a notice, optionally with a comment.</summary>
internal sealed class AckCommand : Command
{
    public override string Name => "ack";

    public override string Summary => "acknowledge a city's notice";

    public override IReadOnlyList<string> Usage => ["ack city ID NOTICE_ID [--comment TEXT]"];

    public override IReadOnlyList<OptionSpec> Options =>
        [OptionSpec.Value("comment", "what the team writes with the acknowledgement (at most 500 characters)")];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        // "ack suifenhe suifenhe-2" (the city word left out) was "missing argument: NOTICE_ID": say the form instead.
        if (args.Positionals.Count > 0 && args.Positionals[0] is not ("city" or "cities"))
        {
            throw new UsageException(args.Positionals.Count == 2
                ? $"the form is 'riskmesh ack city CITY NOTICE_ID': riskmesh ack city {args.Positionals[0]} {args.Positionals[1]}"
                : "the form is 'riskmesh ack city CITY NOTICE_ID'");
        }

        var noticeId = args.Positional(2, "NOTICE_ID");
        var path = EntityPath.City(args, $"/notices/{Uri.EscapeDataString(noticeId)}/ack", extra: 1);
        // The API's limit and its 409 for a repeat with another comment are the server's to say: the CLI sends the
        // text as written and prints the ProblemDetails it answers.
        var comment = args.Value("comment");
        var api = context.Api(args);
        var body = comment is null
            ? await api.SendAsync(HttpMethod.Post, path, null, context.CancellationToken)
            : await api.SendJsonAsync(HttpMethod.Post, path, new { comment }, context.CancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            context.Out.WriteLine($"acknowledged {noticeId}");
            return ExitCodes.Success;
        }

        // A repeat is harmless and changes nothing: said before the notice, whose headline names the first
        // acknowledgement, so nobody takes it for their own. An API without the field says neither.
        var notice = ApiClient.Deserialize<NoticeDto>(body, "/" + path);
        if (notice.AlreadyAcknowledged == true)
        {
            context.Out.WriteLine(Format.AlreadyAcknowledged(notice));
        }

        Format.Notice(context.Out, notice);
        return ExitCodes.Success;
    }
}
