using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh alert-quality --from D --to D</c>: how many notices each city got, flaps and time to acknowledge, as a table.</summary>
internal sealed class AlertQualityCommand : Command
{
    public override string Name => "alert-quality";

    public override string Summary => "notices per city and week, flaps and time to acknowledge over a period";

    public override IReadOnlyList<string> Usage =>
    [
        "alert-quality --from YYYY-MM-DD --to YYYY-MM-DD [--all] [--json]",
        "",
        "Counts the notices dated from..to: per city (only cities with notices unless --all) and overall, with",
        "notices per week (CIDARS: 1.65 signals per county per week), flaps (a level change reversed within 14",
        "days) and hours from issue to acknowledgement (median, p90).",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("from", "first day (required)"),
        OptionSpec.Value("to", "last day (required)"),
        OptionSpec.Switch("all", "list every city, also those without notices"),
        OptionSpec.Switch("json", "print the API's JSON"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        args.NoMorePositionals(0);
        var from = args.Date("from") ?? throw new UsageException("missing option: --from");
        var to = args.Date("to") ?? throw new UsageException("missing option: --to");
        if (from > to)
        {
            throw new UsageException($"--from {Format.Date(from)} is after --to {Format.Date(to)}");
        }

        var path = $"api/v1/alert-quality?from={Format.Date(from)}&to={Format.Date(to)}";
        var body = await context.Api(args).SendAsync(HttpMethod.Get, path, null, context.CancellationToken);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        var report = ApiClient.Deserialize<AlertQualityDto>(body, "/api/v1/alert-quality");
        var table = new Table("city", "notices", "per week", "esc", "de-esc", "port>city", "local", "flaps", "port flaps", "shortfall", "acked", "median h", "p90 h");
        table.RightAligned.UnionWith([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var shown = report.Cities.Where(c => args.Has("all") || c.Notices > 0).ToList();
        foreach (var c in shown)
        {
            table.Add(c.City, Format.Count(c.Notices), Format.Number(c.NoticesPerWeek), Format.Count(c.Escalations), Format.Count(c.DeEscalations),
                Format.Count(c.PortAboveCity), Format.Count(c.LocalTransmission), Format.Count(c.Flaps), Format.Count(c.PortFlaps), Format.Count(c.TestingShortfall), Format.Count(c.Acknowledged), Format.Number(c.MedianHoursToAck), Format.Number(c.P90HoursToAck));
        }

        var o = report.Overall;
        table.Add($"all {o.Cities} cities", Format.Count(o.Notices), Format.Number(o.NoticesPerCityPerWeek) + "/city", Format.Count(o.Escalations), Format.Count(o.DeEscalations),
            Format.Count(o.PortAboveCity), Format.Count(o.LocalTransmission), Format.Count(o.Flaps), Format.Count(o.PortFlaps), Format.Count(o.TestingShortfall), Format.Count(o.Acknowledged), Format.Number(o.MedianHoursToAck), Format.Number(o.P90HoursToAck));
        context.Out.WriteLine($"alert quality {Format.Date(report.From)}..{Format.Date(report.To)}");
        table.Write(context.Out);
        var hidden = report.Cities.Count - shown.Count;
        if (hidden > 0)
        {
            context.Out.WriteLine($"{hidden} other cities had no notices (--all lists them)");
        }

        return ExitCodes.Success;
    }
}
