using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Commands;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Cli;

/// <summary>The <c>riskmesh</c> entry point: finds the command, parses its arguments, runs it and maps failures to exit codes.</summary>
public static class Cli
{
    private static readonly Command[] Commands =
    [
        new IngestCommand(),
        new GetCommand(),
        new ExplainCommand(),
        new TopCommand(),
        new HistoryCommand(),
        new WatchCommand(),
        new AckCommand(),
        new NoticesCommand(),
        new PlanCommand(),
        new ClockCommand(),
        new ReplayCommand(),
        new AlertQualityCommand(),
        new KeysCommand(),
        new WebhooksCommand(),
        new BackupCommand(),
        new AssistanceCommand(province: true),
        new AssistanceCommand(province: false),
        new CompletionCommand(() => Commands!),
    ];

    /// <summary>Runs the CLI with the given arguments, writers and environment; returns the exit code.</summary>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        IDictionary<string, string?> env,
        CancellationToken cancellationToken = default) =>
        RunAsync(args, new CliConsole(stdout, stderr, ErrorIsTerminal: false), env, CliRuntime.Default, cancellationToken);

    /// <summary>
    /// <c>--url</c> and <c>--key</c> given before the command (<c>riskmesh --key KEY get city suifenhe</c>), as most
    /// command-line tools allow, are read as if they followed the command's name.
    /// </summary>
    internal static string[] GlobalOptionsAfterCommand(string[] args)
    {
        var leading = new List<string>();
        var i = 0;
        while (i < args.Length)
        {
            if (args[i].StartsWith("--url=", StringComparison.Ordinal) || args[i].StartsWith("--key=", StringComparison.Ordinal))
            {
                leading.Add(args[i++]);
            }
            else if (args[i] is "--url" or "--key" && i + 1 < args.Length)
            {
                leading.AddRange(args[i..(i + 2)]);
                i += 2;
            }
            else
            {
                break;
            }
        }

        return leading.Count == 0 || i == args.Length ? args[i..] : [args[i], .. leading, .. args[(i + 1)..]];
    }

    /// <summary>Runs the CLI with a console description and test seams.</summary>
    internal static async Task<int> RunAsync(
        string[] args,
        CliConsole console,
        IDictionary<string, string?> env,
        CliRuntime runtime,
        CancellationToken cancellationToken)
    {
        args = GlobalOptionsAfterCommand(args);
        if (args.Length == 0)
        {
            console.Error.Write(GeneralUsage());
            return ExitCodes.Usage;
        }

        if (args[0] is "--version" or "version")
        {
            console.Out.WriteLine($"riskmesh {Version}");
            return ExitCodes.Success;
        }

        if (args[0] is "help" or "--help" or "-h")
        {
            if (args.Length > 1)
            {
                if (Find(args[1]) is not { } topic)
                {
                    return UnknownCommand(console, args[1]);
                }

                console.Out.Write(topic.Help());
                return ExitCodes.Success;
            }

            console.Out.Write(GeneralUsage());
            return ExitCodes.Success;
        }

        if (Find(args[0]) is not { } command)
        {
            return UnknownCommand(console, args[0]);
        }

        var context = new CommandContext(console, env, runtime, cancellationToken);
        try
        {
            var parsed = ArgParser.Parse(args[1..], command.Options);
            if (parsed.Help)
            {
                console.Out.Write(command.Help());
                return ExitCodes.Success;
            }

            return await command.RunAsync(context, parsed);
        }
        catch (ReplayRefusedException ex)
        {
            console.Error.WriteLine($"riskmesh {command.Name}: {ex.Message}");
            return ExitCodes.Refused;
        }
        catch (UsageException ex)
        {
            console.Error.WriteLine($"riskmesh {command.Name}: {ex.Message}");
            console.Error.Write(command.Help());
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("riskmesh: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ErrorReporter.Report(console.Error, ex, context.Settings);
        }
    }

    /// <summary>The CLI's version (the assembly's informational version, without build metadata).</summary>
    public static string Version =>
        (typeof(Cli).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>The list of commands.</summary>
    public static string GeneralUsage()
    {
        var lines = new List<string>
        {
            "riskmesh: border epidemic risk over the RiskMesh HTTP API",
            "",
            "usage: riskmesh COMMAND [ARGS] [--url URL] [--key KEY]",
            "       riskmesh help COMMAND | riskmesh COMMAND --help | riskmesh --version",
            "",
            "commands:",
        };
        // One column for every description, as wide as the longest name ("alert-quality" overran a fixed width).
        var width = Commands.Max(c => c.Name.Length);
        lines.AddRange(Commands.Select(c => $"  {c.Name.PadRight(width)}  {c.Summary}"));
        lines.Add("");
        lines.Add("The API address comes from --url, RISKMESH_URL, or \"url\" in ~/.config/riskmesh/config.json (default http://127.0.0.1:8080);");
        lines.Add("the key from --key, RISKMESH_API_KEY, or \"apiKey\" in that file.");
        lines.Add(ExitCodes.Summary);
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    /// <summary>The command table, for completion scripts and tests that check them.</summary>
    internal static IReadOnlyList<Command> CommandTable => Commands;

    private static Command? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// A mistyped command names the one it most likely meant, as a mistyped id does, in one line instead of the whole
    /// usage (newcomer 16: "explian" printed 30 lines that never said "explain"); with nothing close, the usage lists
    /// them all. Either way it is a usage error (exit 1): nothing ran.
    /// </summary>
    private static int UnknownCommand(CliConsole console, string name)
    {
        if (Suggestions.Closest(name, Commands.Select(c => c.Name)) is { } meant)
        {
            console.Error.WriteLine($"riskmesh: unknown command '{name}'; did you mean '{meant}'? ('riskmesh help' lists every command)");
            return ExitCodes.Usage;
        }

        console.Error.WriteLine($"riskmesh: unknown command '{name}'");
        console.Error.Write(GeneralUsage());
        return ExitCodes.Usage;
    }
}
