using System.Diagnostics;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>SIGTERM with a notice watcher connected stops the shipped host quickly and quietly.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_WithSseWatcherConnected_ClosesTheStreamAndExitsCleanlyWithinFiveSeconds()
    {
        var root = Directory.CreateTempSubdirectory("riskmesh-shutdown-").FullName;
        try
        {
            var port = TestPorts.Free();
            var baseAddress = new Uri($"http://127.0.0.1:{port}/");
            using var host = HostProcess.Start(root, "--urls", baseAddress.ToString().TrimEnd('/'));
            await host.WaitReadyAsync(new Uri(baseAddress, "health/ready"));
            var key = (await File.ReadAllTextAsync(Path.Combine(root, "data", "admin.key"))).Trim();

            using var watcher = RiskMeshHostFixture.CreateClient(baseAddress, key);
            watcher.Timeout = Timeout.InfiniteTimeSpan;
            using var response = await watcher.GetAsync("api/v1/cities/suifenhe/notices/stream", HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[4096];
            // The stream opens with a first event as soon as the watcher is registered.
            var first = await stream.ReadAsync(buffer);
            Assert.True(first > 0, "the stream sent nothing");

            var clock = Stopwatch.StartNew();
            host.Terminate();

            // The stream ends (the server closes it) rather than hanging until the shutdown timeout.
            using var readLimit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (await ReadUntilEndAsync(stream, buffer, readLimit.Token) > 0)
            {
            }

            Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the host did not exit within 30 s");
            var elapsed = clock.Elapsed;
            var output = string.Join('\n', host.Output);
            // Issue 8's target, 5 s. Measured on this 2-core machine at load average 15: SIGTERM to exit 0.19-0.27 s
            // (stream closed, silo stopped); 6.1 s earlier at load average 60. The old behaviour waited for the
            // server's 30 s shutdown timeout with a stream open.
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"shutdown took {elapsed.TotalSeconds:0.0} s\n{output}");
            Assert.Equal(0, host.ExitCode);
            Assert.DoesNotContain(host.Output, line => line.Contains(" fail:", StringComparison.Ordinal) || line.Contains(" crit:", StringComparison.Ordinal));
            Assert.DoesNotContain("non-graceful", output, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<int> ReadUntilEndAsync(Stream stream, byte[] buffer, CancellationToken cancellation)
    {
        try
        {
            return await stream.ReadAsync(buffer, cancellation);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
