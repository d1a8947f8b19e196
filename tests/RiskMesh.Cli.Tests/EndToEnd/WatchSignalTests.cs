using System.Diagnostics;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>riskmesh watch</c> as a real process, stopped the ways people and service managers stop it: the exit codes the
/// README lists for them (newcomer 15 saw 143 after SIGTERM, which the list did not mention).
/// </summary>
[Collection(CliHostCollection.Name)]
public sealed class WatchSignalTests(CliHostFixture host)
{
    [Fact]
    public async Task Watch_StoppedWithSigterm_Exits143AsTheReadmeSays()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "riskmesh.dll"));
        foreach (var arg in new[] { "watch", "city", "suifenhe" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in host.Env(host.AdminKey))
        {
            start.Environment[name] = value;
        }

        using var watch = Process.Start(start)!;
        try
        {
            // Signalled once it is watching, so the signal meets the command, not the runtime starting.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            do
            {
                line = await watch.StandardError.ReadLineAsync(timeout.Token);
            }
            while (line is not null && !line.StartsWith("watching suifenhe", StringComparison.Ordinal));

            Assert.NotNull(line);
            using (var kill = Process.Start("kill", ["-TERM", watch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await watch.WaitForExitAsync(timeout.Token);
            Assert.Equal(ExitCodes.Terminated, watch.ExitCode);
        }
        finally
        {
            if (!watch.HasExited)
            {
                watch.Kill();
            }
        }
    }
}
