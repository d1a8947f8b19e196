using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>
/// <c>riskmesh ingest</c> as a real process stopped with SIGTERM while it sends: it says what it had sent and how to go
/// on (it printed nothing after its last progress line: newcomer 21b), exits 143, and what was accepted stays accepted.
/// A host of its own: the events it leaves behind would move the shared host's figures.
/// </summary>
public sealed partial class IngestSignalTests(CliHostFixture host) : IClassFixture<CliHostFixture>
{
    [Fact]
    public async Task Ingest_StoppedWithSigtermWhileSending_SaysWhatWasAcceptedAndHowToGoOn_Exits143_AndTheResendSkipsIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var lines = new StringBuilder();
        for (var i = 0; i < 40_000; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $$"""{"id":"sigterm-{{i}}","type":"country-cases","country":"NP","date":"2020-04-19","cumulativeCases":{{i}},"source":"sigterm-test"}""").Append('\n');
        }

        var file = host.WriteFile("sigterm.ndjson", lines.ToString());
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "riskmesh.dll"), "ingest", file, "--batch", "100" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in host.Env(host.AdminKey))
        {
            start.Environment[name] = value;
        }

        using var ingest = Process.Start(start)!;
        var error = new StringBuilder();
        try
        {
            // Signalled once it is sending, so the signal meets the command, not the runtime starting.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            string? line;
            do
            {
                line = await ingest.StandardError.ReadLineAsync(timeout.Token);
                error.AppendLine(line);
            }
            while (line is not null && !line.StartsWith("progress: ", StringComparison.Ordinal));

            Assert.NotNull(line);
            using (var kill = Process.Start("kill", ["-TERM", ingest.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            error.Append(await ingest.StandardError.ReadToEndAsync(timeout.Token));
            await ingest.WaitForExitAsync(timeout.Token);
            Assert.True(ingest.ExitCode == ExitCodes.Terminated, $"exit code {ingest.ExitCode}:\n{error}");
        }
        finally
        {
            if (!ingest.HasExited)
            {
                ingest.Kill();
            }
        }

        var stopped = StoppedLine().Match(error.ToString());
        Assert.True(stopped.Success, error.ToString());
        Assert.Contains("send the same files again to go on: the events already accepted (and perhaps the batch that was on its way) are answered as duplicates, not applied twice", error.ToString(), StringComparison.Ordinal);
        var accepted = int.Parse(stopped.Groups["accepted"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(accepted, 100, 39_999);

        // Going on as it says: what it had accepted comes back as duplicates (with the batch on its way when it stopped,
        // which the server may have taken without the answer reaching the CLI), the rest is accepted, nothing twice.
        var resend = await host.AdminAsync("ingest", file);
        Assert.True(resend.ExitCode == 0, resend.ToString());
        var again = ResendLine().Match(resend.Out);
        Assert.True(again.Success, resend.Out);
        var duplicates = int.Parse(again.Groups["duplicates"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(40_000, int.Parse(again.Groups["accepted"].Value, CultureInfo.InvariantCulture) + duplicates);
        Assert.InRange(duplicates, accepted, accepted + 100);
    }

    [GeneratedRegex(@"stopped; so far: accepted (?<accepted>\d+),")]
    private static partial Regex StoppedLine();

    [GeneratedRegex(@"accepted (?<accepted>\d+), duplicates (?<duplicates>\d+),")]
    private static partial Regex ResendLine();
}
