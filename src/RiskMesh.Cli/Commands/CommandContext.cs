using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary>What a command runs with: the console, the environment, the API, and a cancellation token for Ctrl+C.</summary>
internal sealed class CommandContext(CliConsole console, IDictionary<string, string?> env, CliRuntime runtime, CancellationToken cancellationToken)
{
    private ApiClient? _api;

    /// <summary>Where output goes.</summary>
    public CliConsole Console { get; } = console;

    /// <summary>Results.</summary>
    public TextWriter Out => Console.Out;

    /// <summary>Progress and errors.</summary>
    public TextWriter Error => Console.Error;

    /// <summary>The columns a line of output may take (<see cref="CliConsole.Width"/>).</summary>
    public int Width => Console.Width(env);

    /// <summary>Cancelled on Ctrl+C.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Waits between reconnection attempts (tests shorten it).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay => runtime.Delay;

    /// <summary>Waits out <c>watch</c>'s quiet window for the clock's moves (tests hold it open).</summary>
    public Func<TimeSpan, CancellationToken, Task> QuietDelay => runtime.QuietDelay ?? runtime.Delay;

    /// <summary>The API client for these arguments' URL and key (created once).</summary>
    public ApiClient Api(ParsedArgs args) =>
        _api ??= new ApiClient(CliSettings.Resolve(args, env), runtime.Handler);

    /// <summary>Where the CLI remembers things between runs (<see cref="CliSettings.StateDirectory"/>).</summary>
    public string StateDirectory => CliSettings.StateDirectory(env);

    /// <summary>The settings of the client created so far, for error messages.</summary>
    public CliSettings? Settings => _api?.Settings;
}

/// <summary>
/// Seams for tests: the HTTP handler, the reconnection delay and <c>watch</c>'s quiet-window delay (the reconnection's
/// when none is given; apart, since both wait a second and a test that holds the window open must not hold the
/// reconnection too); the defaults are the real ones.
/// </summary>
internal sealed record CliRuntime(HttpMessageHandler? Handler, Func<TimeSpan, CancellationToken, Task> Delay, Func<TimeSpan, CancellationToken, Task>? QuietDelay = null)
{
    /// <summary>Real network, real time.</summary>
    public static CliRuntime Default { get; } = new(null, Task.Delay);
}
