using System.Globalization;
using System.Text.RegularExpressions;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// deploy/local-cluster.sh keeps each process's earlier logs and says how each stop went. Newcomer 20a: every start
/// overwrote NAME.log, so the log of a silo that was killed (and the error a 500's <c>reference</c> points into) was
/// gone after the <c>up</c> that brought it back; and <c>restart</c> printed neither the exit code nor how long the
/// stop took. The subject is the script, so <c>dotnet</c> is a stand-in host (<see cref="StandInHost"/>).
/// </summary>
public sealed class LocalClusterLogsTests : IAsyncLifetime
{
    private readonly StandInCluster _cluster = new("logs");

    private string ClusterDirectory => _cluster.ClusterDirectory;

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task KilledSilosLog_KeptByTheUpThatBringsItBack_RestartSaysExitCodeAndStopTime_FiveEarlierLogsKept()
    {
        await RunOkAsync([], "up");
        var killed = Pid("silo-1");
        await KillAsync("silo-1");

        var up = await RunOkAsync([], "up");

        Assert.Contains($"silo-1 had ended: killed by signal 9 (SIGKILL, exit status 137); its log is kept as {Log("silo-1")}.1", up.Error, StringComparison.Ordinal);
        var killedLog = File.ReadAllText(Log("silo-1") + ".1");
        Assert.StartsWith($"==== local-cluster: silo-1 started at ", killedLog, StringComparison.Ordinal);
        Assert.Contains($"(pid {killed}) ====\n{StandInHost.StartLine}, pid {killed}\n", killedLog, StringComparison.Ordinal);
        AssertMatches($@"==== local-cluster: silo-1 \(pid {killed}\) ended at [0-9T:Z-]+, \d+ s after its start: killed by signal 9 \(SIGKILL, exit status 137\) ====\n$", killedLog);
        var running = Pid("silo-1");
        Assert.StartsWith($"==== local-cluster: silo-1 started at ", File.ReadAllText(Log("silo-1")), StringComparison.Ordinal);
        Assert.Contains($"(pid {running}) ====", File.ReadAllText(Log("silo-1")), StringComparison.Ordinal);

        var restart = await RunOkAsync([], "restart", "silo-1");

        AssertMatches($@"local-cluster: stopped silo-1 \(pid {running}\): exit code 0, \d+\.\d s after SIGTERM\n", restart.Error);
        Assert.Contains($"the previous start's log is {Log("silo-1")}.1", restart.Error, StringComparison.Ordinal);
        var stoppedLog = File.ReadAllText(Log("silo-1") + ".1");
        AssertMatches($@"==== local-cluster: SIGTERM to silo-1 \(pid {running}\) at [0-9T:Z-]+ \(by local-cluster.sh restart silo-1\) ====\nstand-in host: SIGTERM\n==== local-cluster: silo-1 \(pid {running}\) ended at [0-9T:Z-]+, \d+ s after its start: exit code 0 ====\n$", stoppedLog);
        Assert.Equal(killedLog, File.ReadAllText(Log("silo-1") + ".2"));

        // Bounded: the current log and the five before it; the killed process's, now the seventh, is gone from them,
        // kept only as its first failure since it was last ready.
        for (var i = 0; i < 4; i++)
        {
            await RunOkAsync([], "restart", "silo-1");
        }

        Assert.Equal(stoppedLog, File.ReadAllText(Log("silo-1") + ".5"));
        Assert.False(File.Exists(Log("silo-1") + ".6"));
        Assert.DoesNotContain(Directory.EnumerateFiles(ClusterDirectory, "silo-1.log*").Where(file => !file.EndsWith(".failed", StringComparison.Ordinal)), file => File.ReadAllText(file).Contains($"pid {killed})", StringComparison.Ordinal));
        Assert.Equal(killedLog, File.ReadAllText(Log("silo-1") + ".failed"));
    }

    [Fact]
    public async Task Restart_AStopThatExitsNonZeroOrMustBeKilled_IsSaidPlainly()
    {
        await RunOkAsync(new() { ["RISKMESH_STOP_TIMEOUT"] = "2" }, "up");
        await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "silo-2", "exit-on-term"), "3");
        await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "silo-3", "ignore-term"), "");
        var silo2 = Pid("silo-2");
        var silo3 = Pid("silo-3");

        var exited3 = await RunOkAsync(new() { ["RISKMESH_STOP_TIMEOUT"] = "2" }, "restart", "silo-2");
        var killed = await RunOkAsync(new() { ["RISKMESH_STOP_TIMEOUT"] = "2" }, "restart", "silo-3");
        File.Delete(Path.Combine(ClusterDirectory, "silo-2", "exit-on-term"));
        File.Delete(Path.Combine(ClusterDirectory, "silo-3", "ignore-term"));

        AssertMatches($@"local-cluster: silo-2 \(pid {silo2}\) stopped \d+\.\d s after SIGTERM with exit code 3, not 0: not a clean stop; see the end of its log, {Regex.Escape(Log("silo-2"))}\n", exited3.Error);
        Assert.DoesNotContain("stopped silo-2", exited3.Error, StringComparison.Ordinal);
        Assert.Contains($"silo-3 (pid {silo3}) still running after 2 s; SIGKILL", killed.Error, StringComparison.Ordinal);
        AssertMatches($@"local-cluster: silo-3 \(pid {silo3}\) did not stop by itself and was killed [2-9]\.\d s after SIGTERM \(killed by signal 9 \(SIGKILL, exit status 137\)\): not a clean stop", killed.Error);
        Assert.Contains($"==== local-cluster: silo-3 (pid {silo3}) still running after 2 s: SIGKILL at ", File.ReadAllText(Log("silo-3") + ".1"), StringComparison.Ordinal);
        Assert.EndsWith("exit code 3 ====\n", File.ReadAllText(Log("silo-2") + ".1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstFailureSinceReady_KeptApartFromTheFiveLogs_HoweverManyStartsFailAfterIt_TheGivingUpLineSaysWhere()
    {
        await RunOkAsync([], "up");
        var killed = Pid("silo-1");
        await KillAsync("silo-1");
        var exitAtStart = Path.Combine(ClusterDirectory, "silo-1", "exit-at-start");
        await File.WriteAllTextAsync(exitAtStart, "75");

        // Newcomer 22b L8: six failed starts of one `up` (exit 75 is tried again, 5 s apart) rotated the killed
        // silo's log away.
        var up = await _cluster.RunAsync([], "up");
        Assert.True(up.ExitCode != 0, up.ToString());
        Assert.Contains($"silo-1's first failure since it was last ready (killed by signal 9 (SIGKILL, exit status 137)) is kept as {Log("silo-1")}.failed", up.Error, StringComparison.Ordinal);
        Assert.Contains($"starting silo-1 again in 5 s (attempt 6 of 6; this start's log becomes {Log("silo-1")}.1)", up.Error, StringComparison.Ordinal);
        Assert.Contains($"silo-1 did not start; the processes that run were left as they are; this start's log is {Log("silo-1")}, the first failure's since it was last ready {Log("silo-1")}.failed", up.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Log("silo-1") + ".6"));
        var kept = File.ReadAllText(Log("silo-1") + ".failed");
        Assert.Contains($"(pid {killed}) ====\n{StandInHost.StartLine}, pid {killed}\n", kept, StringComparison.Ordinal);
        AssertMatches($@"silo-1 \(pid {killed}\) ended at [0-9T:Z-]+, \d+ s after its start: killed by signal 9 \(SIGKILL, exit status 137\) ====\n$", kept);
        Assert.DoesNotContain(Enumerable.Range(1, 5), i => File.ReadAllText($"{Log("silo-1")}.{i}").Contains($"pid {killed})", StringComparison.Ordinal));

        // Later failed starts of the same incident leave it; a start that becomes ready ends the incident, and the
        // next failure (a stop that is not clean) takes its place.
        await File.WriteAllTextAsync(exitAtStart, "69");
        var again = await _cluster.RunAsync([], "up");
        Assert.DoesNotContain("first failure since it was last ready (", again.Error, StringComparison.Ordinal);
        Assert.Equal(kept, File.ReadAllText(Log("silo-1") + ".failed"));
        File.Delete(exitAtStart);
        await RunOkAsync([], "up");
        var running = Pid("silo-1");
        await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "silo-1", "exit-on-term"), "3");
        var restart = await RunOkAsync([], "restart", "silo-1");
        Assert.Contains($"silo-1's first failure since it was last ready (exit code 3) is kept as {Log("silo-1")}.failed", restart.Error, StringComparison.Ordinal);
        Assert.Contains($"(pid {running}) ====", File.ReadAllText(Log("silo-1") + ".failed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedStart_OfAStoppedProcess_TheGivingUpLineSaysTheNextStartKeepsItsLog()
    {
        await RunOkAsync([], "up");
        await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "silo-2", "exit-at-start"), "69");

        var restart = await _cluster.RunAsync([], "restart", "silo-2");

        Assert.True(restart.ExitCode != 0, restart.ToString());
        Assert.Contains($"silo-2 did not start again; the other processes were left as they are; this start's log is {Log("silo-2")} (the next start keeps it as {Log("silo-2")}.failed)", restart.Error, StringComparison.Ordinal);
        Assert.EndsWith("exit code 69 ====\n", File.ReadAllText(Log("silo-2")), StringComparison.Ordinal);
    }

    private static void AssertMatches(string pattern, string value) =>
        Assert.True(Regex.IsMatch(value, pattern), $"/{pattern}/ not found in:\n{value}");

    private string Log(string name) => Path.Combine(ClusterDirectory, name + ".log");

    private string Pid(string name) => _cluster.Pid(name);

    // The host process only, as `kill -9 PID` does: its watcher stays to see it. The stand-in's HTTP server, a process
    // of its own, follows within moments; a real host's ports close with it.
    private async Task KillAsync(string name)
    {
        using var process = System.Diagnostics.Process.GetProcessById(int.Parse(Pid(name), CultureInfo.InvariantCulture));
        process.Kill();
        await process.WaitForExitAsync();
        var port = int.Parse(_cluster.Environment["RISKMESH_SILO_HTTP_PORTS"]!.Split(' ')[int.Parse(name[^1..], CultureInfo.InvariantCulture) - 1], CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                await Task.Delay(100);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return;
            }
        }
    }

    private Task<ScriptResult> RunOkAsync(Dictionary<string, string?> extra, params string[] args) => _cluster.RunOkAsync(extra, args);
}
