using System.Collections;
using System.Runtime.InteropServices;
using RiskMesh.Cli;
using RiskMesh.Cli.Commands;
using RiskMesh.Cli.Output;

using var cancellation = new CancellationTokenSource();

// Ctrl+C cancels the running command (watch exits 0 on it) instead of killing the process mid-write.
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

// SIGTERM (kill, a service manager, a container stopping) cancels it the same way, so an ingest says what it had sent
// before it stops (it printed nothing: newcomer 21b), and the process still ends with 143 as the README lists.
var terminated = false;
using var sigterm = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    terminated = true;
    cancellation.Cancel();
});

var env = new Dictionary<string, string?>(StringComparer.Ordinal);
foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
{
    env[(string)entry.Key] = entry.Value as string;
}

var console = new CliConsole(Console.Out, Console.Error, ErrorIsTerminal: !Console.IsErrorRedirected, OutWidth: TerminalWidth());
var code = await Cli.RunAsync(args, console, env, CliRuntime.Default, cancellation.Token);
return terminated ? ExitCodes.Terminated : code;

// The terminal's width when stdout is one; a pipe or file has none, and some terminals do not answer.
static int? TerminalWidth()
{
    if (Console.IsOutputRedirected)
    {
        return null;
    }

    try
    {
        return Console.WindowWidth > 0 ? Console.WindowWidth : null;
    }
    catch (IOException)
    {
        return null;
    }
}
