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
        "Counts the notices dated from..to: per city (only cities with notices unless --all) and overall, by kind",
        "(the kinds add up to the notices; a legend line under the table names them), with",
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

        // The kinds' columns stand side by side and add up to "notices"; port-no-longer-above-city and
        // testing-shortfall-ended had no column, so rows looked a notice or two short (newcomer 21a L1).
        var table = new Table("city", "notices", "per week", "esc", "de-esc", "port>city", "no longer", "local", "shortfall", "ended", "flaps", "port flaps", "acked", "median h", "p90 h");
        table.RightAligned.UnionWith(Enumerable.Range(1, 14));
        var shown = report.Cities.Where(c => args.Has("all") || c.Notices > 0).ToList();
        foreach (var c in shown)
        {
            table.Add([c.City, Format.Count(c.Notices), Format.Number(c.NoticesPerWeek),
                .. Kinds(c.Escalations, c.DeEscalations, c.PortAboveCity, c.PortNoLongerAboveCity, c.LocalTransmission, c.TestingShortfall, c.TestingShortfallEnded),
                Format.Count(c.Flaps), Format.Count(c.PortFlaps), Format.Count(c.Acknowledged), Format.Number(c.MedianHoursToAck), Format.Number(c.P90HoursToAck)]);
        }

        var o = report.Overall;
        table.Add([$"all {o.Cities} cities", Format.Count(o.Notices), Format.Number(o.NoticesPerCityPerWeek) + "/city",
            .. Kinds(o.Escalations, o.DeEscalations, o.PortAboveCity, o.PortNoLongerAboveCity, o.LocalTransmission, o.TestingShortfall, o.TestingShortfallEnded),
            Format.Count(o.Flaps), Format.Count(o.PortFlaps), Format.Count(o.Acknowledged), Format.Number(o.MedianHoursToAck), Format.Number(o.P90HoursToAck)]);
        context.Out.WriteLine($"alert quality {Format.Date(report.From)}..{Format.Date(report.To)}");
        table.Write(context.Out);
        context.Out.WriteLine(Legend);
        var hidden = report.Cities.Count - shown.Count;
        if (hidden > 0)
        {
            context.Out.WriteLine($"{hidden} other cities had no notices (--all lists them)");
        }

        return ExitCodes.Success;
    }

    /// <summary>What the columns count: the kinds add up to the notices; flaps count some of them again.</summary>
    internal const string Legend =
        "notices = esc + de-esc + port>city + no longer (port-no-longer-above-city) + local + shortfall + ended (testing-shortfall-ended); flaps and port flaps count some of them again";

    private static string[] Kinds(params int[] counts) => [.. counts.Select(c => Format.Count(c))];
}
