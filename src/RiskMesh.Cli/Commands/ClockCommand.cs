using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh clock [set DATE | live]</c>: reads or sets the clock.</summary>
internal sealed class ClockCommand : Command
{
    /// <summary>The clock's path.</summary>
    public const string Path = "api/v1/clock";

    public override string Name => "clock";

    public override string Summary => "show the clock, set a replay date, or return to live time";

    public override IReadOnlyList<string> Usage => ["clock", "clock set YYYY-MM-DD", "clock live"];

    public override IReadOnlyList<OptionSpec> Options => [OptionSpec.Switch("json", "print the API's JSON")];

    /// <summary>What a clock change answered with evaluation "pending" means.</summary>
    public const string ClockPending =
        "evaluation pending: the clock has moved, but the cities had not all evaluated to this day when the server answered (it was busy); they will, and their notices appear in 'riskmesh notices'";

    /// <summary>
    /// What a clock change answered with evaluation "failed" means, in words: the clock moved (setting it again is not
    /// needed), and which cities did not evaluate to the day, or that none did.
    /// </summary>
    public static string ClockFailed(ClockDto clock)
    {
        var which = clock.CitiesFailed is not { } failed
            ? "evaluating the cities to this day failed on the server (its log says why)"
            : $"{Scales.Counted(failed, "city", "cities")} failed to evaluate to this day ({string.Join(", ", clock.FailedCities ?? [])}{(failed > (clock.FailedCities?.Count ?? 0) ? ", …" : "")}); the others did";
        return $"evaluation failed: the clock has moved, no need to set it again, but {which}; the server evaluates {(clock.CitiesFailed is null ? "them" : "the failed ones")} again within a minute, and their notices appear in 'riskmesh notices'";
    }

    /// <summary>Sets the replay clock to a day and returns the answer (with the notices it caused, once the server sends them).</summary>
    public static async Task<ClockDto> SetAsync(ApiClient api, DateOnly date, CancellationToken cancellationToken) =>
        ApiClient.Deserialize<ClockDto>(
            await api.SendJsonAsync(HttpMethod.Post, Path, new { date = Format.Date(date) }, cancellationToken), "/" + Path);

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var api = context.Api(args);
        string body;
        switch (args.Positionals.Count == 0 ? null : args.Positionals[0])
        {
            case null:
                body = await api.SendAsync(HttpMethod.Get, Path, null, context.CancellationToken);
                break;
            case "set":
                var text = args.Positional(1, "DATE");
                args.NoMorePositionals(2);
                if (!IsoDates.TryParse(text, out var date))
                {
                    throw new UsageException(IsoDates.Refusal("DATE", text, "2020-04-20"));
                }

                body = await api.SendJsonAsync(HttpMethod.Post, Path, new { date = Format.Date(date) }, context.CancellationToken);
                break;
            case "live":
                args.NoMorePositionals(1);
                body = await api.SendJsonAsync(HttpMethod.Post, Path, new { mode = "live" }, context.CancellationToken);
                break;
            case var other:
                throw new UsageException($"unknown clock command '{other}'; expected set or live");
        }

        var clock = ApiClient.Deserialize<ClockDto>(body, "/" + Path);
        // A failed evaluation is the one outcome a script must be able to tell apart (some cities' notices for the day
        // are late): stderr and exit code 7, as `riskmesh replay` writes it to stderr. "Pending" stays a success: the
        // cities evaluate as soon as the server is free, with nothing failed.
        var exitCode = clock.Failed ? ExitCodes.EvaluationFailed : ExitCodes.Success;
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return exitCode;
        }

        context.Out.WriteLine($"{clock.Mode} {Format.Date(clock.Date)} (version {clock.Version})");
        if (clock.Pending)
        {
            context.Out.WriteLine(ClockPending);
        }
        else if (clock.Failed)
        {
            context.Error.WriteLine(ClockFailed(clock));
        }

        foreach (var notice in clock.Notices ?? [])
        {
            Format.Notice(context.Out, notice);
        }

        return exitCode;
    }
}
