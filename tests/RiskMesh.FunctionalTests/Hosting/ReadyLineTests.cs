using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// Once it listens, the host says where each kind of user goes next (newcomer 15: the first start's log ended at the
/// admin key's path and "Application started", and the console's address was only in the README).
/// </summary>
public sealed class ReadyLineTests
{
    [Fact]
    public async Task FirstStart_LogsTheConsoleWithTheAdminKeyFile_TheApi_AndTheOperatorsPages()
    {
        var root = Directory.CreateTempSubdirectory("riskmesh-ready-").FullName;
        try
        {
            var url = $"http://127.0.0.1:{TestPorts.Free()}";
            using var host = HostProcess.Start(
                root, $"--RiskMesh:DataDirectory={Path.Combine(root, "data")}", "--urls", url);
            await host.WaitReadyAsync(new Uri($"{url}/health/ready"));

            var line = await LineAsync(host, "RiskMesh ready: ");
            Assert.Contains($"web console {url}/ (sign in with the admin key in {Path.Combine(root, "data", "admin.key")})", line, StringComparison.Ordinal);
            Assert.Contains($"API {url}/api/v1 (X-Api-Key header)", line, StringComparison.Ordinal);
            Assert.Contains($"dashboard {url}/dashboard, metrics {url}/metrics, health {url}/health/ready", line, StringComparison.Ordinal);
            Assert.EndsWith("Next: README, \"First steps\"", line, StringComparison.Ordinal);
            host.Terminate();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // The line is written once the server listens; readiness may be answered a moment before the log is flushed.
    private static async Task<string> LineAsync(HostProcess host, string start)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (host.Output.FirstOrDefault(l => l.Contains(start, StringComparison.Ordinal)) is { } found)
            {
                return found[found.IndexOf(start, StringComparison.Ordinal)..];
            }

            await Task.Delay(100);
        }

        Assert.Fail("no ready line in:\n" + string.Join('\n', host.Output));
        return "";
    }
}
