using RiskMesh.Cli.Commands;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Infrastructure;

/// <summary>The outcome of one in-process CLI run.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the CLI's entry point in-process with captured output and a controlled environment.</summary>
public static class CliRun
{
    /// <summary>
    /// An environment with only the given URL and key, a home without a config file, and a state directory of its own
    /// (what <c>watch</c> remembers stays with this environment: runs never resume from another test's watch).
    /// </summary>
    public static Dictionary<string, string?> Env(string? url, string? key) => new(StringComparer.Ordinal)
    {
        ["RISKMESH_URL"] = url,
        ["RISKMESH_API_KEY"] = key,
        ["HOME"] = Path.Combine(Path.GetTempPath(), "riskmesh-cli-home-none"),
        ["XDG_CONFIG_HOME"] = null,
        ["XDG_STATE_HOME"] = Path.Combine(Path.GetTempPath(), "riskmesh-cli-state-" + Guid.NewGuid().ToString("N")),
    };

    /// <summary>Runs through the public entry point.</summary>
    public static async Task<CliResult> RunAsync(IDictionary<string, string?> env, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Cli.RunAsync(args, stdout, stderr, env);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with a stub HTTP handler and an instant reconnection delay.</summary>
    internal static Task<CliResult> RunWithHandlerAsync(HttpMessageHandler handler, CancellationToken cancellationToken, params string[] args) =>
        RunWithHandlerAsync(handler, Env("http://stub.test", "k"), cancellationToken, args);

    /// <summary>Runs with a stub HTTP handler and the given delays: the reconnection's and <c>watch</c>'s quiet window.</summary>
    internal static async Task<CliResult> RunWithHandlerAsync(HttpMessageHandler handler, Func<TimeSpan, CancellationToken, Task> delay, Func<TimeSpan, CancellationToken, Task> quietDelay, CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Cli.RunAsync(args, new CliConsole(stdout, stderr, false), Env("http://stub.test", "k"), new CliRuntime(handler, delay, quietDelay), cancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with a stub HTTP handler in the given environment (a key from elsewhere, COLUMNS).</summary>
    internal static async Task<CliResult> RunWithHandlerAsync(HttpMessageHandler handler, IDictionary<string, string?> env, CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var runtime = new CliRuntime(handler, (_, token) => Task.Delay(10, token));
        var code = await Cli.RunAsync(args, new CliConsole(stdout, stderr, false), env, runtime, cancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
