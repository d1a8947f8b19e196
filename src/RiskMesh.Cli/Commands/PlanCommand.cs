using System.Text;
using System.Text.Json;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Input;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh plan show|set</c>: a city's response plan.</summary>
internal sealed class PlanCommand : Command
{
    public override string Name => "plan";

    public override string Summary => "show or replace a city's response plan";

    public override IReadOnlyList<string> Usage =>
    [
        "plan show CITY_ID [--json]",
        "plan set CITY_ID FILE      FILE: {\"levels\":[{\"level\":2,\"name\":\"...\",\"enterAt\":25,\"exitBelow\":20,\"dwellDays\":3,\"actions\":[\"...\"]}]}",
        "",
        "A level's actions add to the lower levels' (its notices list those as continuing) unless FILE says",
        "\"levelsStandAlone\": true, when each level's actions replace the lower levels'.",
    ];

    public override IReadOnlyList<OptionSpec> Options => [OptionSpec.Switch("json", "print the API's JSON")];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var verb = args.Positional(0, "show|set");
        var city = EntityPath.CityId(args.Positional(1, "CITY_ID"));
        var path = $"api/v1/cities/{Uri.EscapeDataString(city)}/plan";
        string body;
        switch (verb)
        {
            case "show":
                args.NoMorePositionals(2);
                body = await context.Api(args).SendAsync(HttpMethod.Get, path, null, context.CancellationToken);
                break;
            case "set":
                var file = args.Positional(2, "FILE");
                args.NoMorePositionals(3);
                var json = ReadPlan(file);
                body = await context.Api(args).SendAsync(
                    HttpMethod.Put, path, new StringContent(json, Encoding.UTF8, "application/json"), context.CancellationToken);
                context.Error.WriteLine($"plan of {city} replaced; it takes effect at the next evaluation");
                break;
            default:
                throw new UsageException($"unknown plan command '{verb}'; expected show or set");
        }

        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        Write(context.Out, ApiClient.Deserialize<PlanDto>(body, "/" + path), city);
        return ExitCodes.Success;
    }

    private static string ReadPlan(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileNotFoundException($"no such file: {file}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {file}: {ex.Message}");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("levels", out _))
            {
                throw new InputException($"{file}: a plan is a JSON object with a \"levels\" array");
            }
        }
        catch (JsonException ex)
        {
            throw new InputException($"{file} is not valid JSON ({JsonErrors.Describe(ex)})");
        }

        return text;
    }

    private static void Write(TextWriter writer, PlanDto plan, string city)
    {
        writer.WriteLine($"response plan of {plan.City ?? city}{(plan.IsDefault ? " (default)" : "")}");
        var table = new Table("level", "name", "enter at", "exit below", "dwell days");
        table.RightAligned.UnionWith([0, 2, 3, 4]);
        var levels = plan.Levels ?? [];
        foreach (var level in levels)
        {
            table.Add(Format.Count(level.Level), level.Name, Format.Number(level.EnterAt), Format.Number(level.ExitBelow), Format.Count(level.DwellDays));
        }

        table.Write(writer);
        writer.WriteLine(plan.LevelsStandAlone
            ? "levels stand alone: each level's actions replace the lower levels' (levelsStandAlone: true)"
            : "levels accumulate: each level keeps the lower levels' actions in force beside its own (notices list them as continuing)");
        foreach (var level in levels)
        {
            foreach (var action in level.Actions ?? [])
            {
                writer.WriteLine($"  level {level.Level}: {action}");
            }
        }
    }
}
