using System.Globalization;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// <c>riskmesh assistance</c> and <c>riskmesh provinces ID</c>: which cities need testing kits, technicians,
/// materials or national experts first, as a table (rank, city, score, capacity gap, need, what to send).
/// </summary>
internal sealed class AssistanceCommand(bool province) : Command
{
    public override string Name => province ? "provinces" : "assistance";

    public override string Summary => province
        ? "a province's cities ranked by need, with what to send them"
        : "cities nationwide ranked by need: who should get kits, technicians, experts first";

    public override IReadOnlyList<string> Usage => province
        ? ["provinces ID [--json]", "", "Need = score / 100 × capacity gap; the recommendations say what to send and why."]
        : ["assistance [--limit N] [--json]", "", "Need = score / 100 × capacity gap; the recommendations say what to send and why."];

    public override IReadOnlyList<OptionSpec> Options => province
        ? [OptionSpec.Switch("json", "print the API's JSON")]
        : [OptionSpec.Value("limit", "rows (default 10)"), OptionSpec.Switch("json", "print the API's JSON")];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        string path;
        if (province)
        {
            var id = EntityPath.Checked("provinces", args.Positional(0, "PROVINCE_ID"));
            args.NoMorePositionals(1);
            path = $"api/v1/provinces/{Uri.EscapeDataString(id)}";
        }
        else
        {
            args.NoMorePositionals(0);
            path = $"api/v1/assistance?limit={args.PositiveInt("limit", 10).ToString(CultureInfo.InvariantCulture)}";
        }

        var body = await context.Api(args).SendAsync(HttpMethod.Get, path, null, context.CancellationToken);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        IReadOnlyList<AssistanceDto> cities;
        if (province)
        {
            var view = ApiClient.Deserialize<ProvinceDto>(body, "/" + path);
            context.Out.WriteLine($"{view.Name} (province {view.Id}) as of {Format.Date(view.AsOf)}");
            cities = view.Cities ?? [];
        }
        else
        {
            cities = ApiClient.Deserialize<List<AssistanceDto>>(body, "/" + path);
        }

        Write(context.Out, cities);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The table (names, not ids: the ids are in <c>--json</c> and beside each explanation) with the group each city is
    /// ranked in, since the ranking is by group first and a need of 0.00 above 0.10 reads as mis-sorted without it.
    /// </summary>
    internal static void Write(TextWriter writer, IReadOnlyList<AssistanceDto> cities)
    {
        var table = new Table("#", "city", "province", "group", "score", Table.ScoreBand, "gap", "need", "send");
        table.RightAligned.UnionWith([0, 4, 6, 7]);
        foreach (var city in cities)
        {
            var send = city.Recommendations is { Count: > 0 } actions
                ? string.Join("; ", actions.Select(a => $"{a.Action} ({a.Scope})"))
                : "nothing";
            table.Add(
                Format.Count(city.Rank),
                city.CityName ?? city.CityId,
                city.ProvinceName ?? city.Province ?? "",
                city.Group ?? "",
                Format.Score(city.Score),
                Format.Band(city.Level),
                Format.Fraction(city.CapacityGap),
                Format.Fraction(city.Need),
                send);
        }

        table.Write(writer);
        foreach (var city in cities.Where(c => c.Recommendations is { Count: > 0 }))
        {
            writer.WriteLine();
            writer.WriteLine($"{city.CityName ?? city.CityId} ({city.CityId}): {city.Explanation}");
            foreach (var action in city.Recommendations!)
            {
                writer.WriteLine($"    {action.Action}: {action.Reason}");
            }
        }
    }
}
