using System.Diagnostics;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>The outcome of one run of a repository shell script.</summary>
internal sealed record ScriptResult(int ExitCode, string Out, string Error)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the repository's shell scripts (scripts/, deploy/) as a user would, with a chosen environment.</summary>
internal static class ScriptRun
{
    /// <summary>Runs <c>bash SCRIPT ARGS…</c> from the repository root; a variable set to null is removed.</summary>
    public static Task<ScriptResult> RunAsync(string script, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunAsync(script, environment, TimeSpan.FromMinutes(3), args);

    /// <summary>Runs <c>bash SCRIPT ARGS…</c>, killing it after <paramref name="limit"/>.</summary>
    public static async Task<ScriptResult> RunAsync(string script, IReadOnlyDictionary<string, string?> environment, TimeSpan limit, params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = HostEnvironment.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(HostEnvironment.RepositoryRoot, script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish within {limit}: {await error}");
        }

        return new ScriptResult(process.ExitCode, await output, await error);
    }
}
