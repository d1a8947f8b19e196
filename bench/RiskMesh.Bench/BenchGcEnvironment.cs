using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RiskMesh.Bench;

/// <summary>
/// The host's smallest gen-0 budget (README, Configuration, "Garbage collector"), which the runtime reads from the
/// environment only. The bench measures an embedded host in its own process, so it must run with the same variable;
/// it sets it by starting itself again when it is missing, not through launch settings: `dotnet run` announces launch
/// settings on stdout (dotnet/sdk#45640), and the bench's stdout is one JSON object.
/// </summary>
internal static class BenchGcEnvironment
{
    /// <summary>The variable the runtime reads the smallest gen-0 budget from.</summary>
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    /// <summary>32 MiB per heap, in the hexadecimal the runtime parses; what `dotnet run`, local-cluster.sh and the image give the host.</summary>
    public const string Gen0Size = "0x2000000";

    /// <summary>What the bench runs with, for its output: the collector that actually runs, and the gen-0 budget.</summary>
    public static string Describe() =>
        $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC; {Gen0SizeVariable}={Environment.GetEnvironmentVariable(Gen0SizeVariable) ?? "(not set)"}";

    /// <summary>
    /// Null when this process already runs with the variable; else runs this bench again with it, stdin, stdout and
    /// stderr shared, and returns that run's exit code. A SIGINT or SIGTERM is passed on by waiting for the child,
    /// which receives a terminal's SIGINT itself and is killed on a SIGTERM.
    /// </summary>
    public static async Task<int?> RunAgainWithGen0BudgetAsync(string[] args)
    {
        if (Environment.GetEnvironmentVariable(Gen0SizeVariable) is not null)
        {
            return null;
        }

        // Started as `dotnet RiskMesh.Bench.dll …` or through the apphost, whichever started this process.
        var process = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(process) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[Gen0SizeVariable] = Gen0Size;
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {process}");
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => signal.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            child.Kill(entireProcessTree: true);
        });
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
