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

    /// <summary>The API client for these arguments' URL and key (created once).</summary>
    public ApiClient Api(ParsedArgs args) =>
        _api ??= new ApiClient(CliSettings.Resolve(args, env), runtime.Handler);

    /// <summary>The settings of the client created so far, for error messages.</summary>
    public CliSettings? Settings => _api?.Settings;
}

/// <summary>Seams for tests: the HTTP handler and the reconnection delay; the defaults are the real ones.</summary>
internal sealed record CliRuntime(HttpMessageHandler? Handler, Func<TimeSpan, CancellationToken, Task> Delay)
{
    /// <summary>Real network, real time.</summary>
    public static CliRuntime Default { get; } = new(null, Task.Delay);
}
