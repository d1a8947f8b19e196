using System.Globalization;
using System.Runtime.Versioning;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// deploy/local-cluster.sh's host settings (RiskMesh__* variables): recorded by the <c>up</c> that was given them and
/// given to every process a later <c>up</c> or <c>restart</c> starts, from a shell without them; a different value
/// given later wins and is said to win, with the processes still running the old one named. Newcomer 18 M1: a silo
/// brought back by <c>up</c> from another shell ran without <c>RiskMesh__Webhooks__AllowLoopback</c> and refused every
/// delivery. The subject is the script, so <c>dotnet</c> is a stand-in host (<see cref="StandInHost"/>): it writes the
/// RiskMesh__ variables it was started with into its data directory and answers <c>/health/ready</c>; no build, no
/// PostgreSQL (RISKMESH_DB).
/// </summary>
public sealed class LocalClusterSettingsTests : IAsyncLifetime
{
    private const string Loopback = "RiskMesh__Webhooks__AllowLoopback";
    private readonly StandInCluster _cluster = new("settings");

    public LocalClusterSettingsTests()
    {
        _cluster.Environment[Loopback] = null;
    }

    private string ClusterDirectory => _cluster.ClusterDirectory;

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task SettingGivenToFirstUp_KeptByLaterUpAndRestartFromAShellWithoutIt_AChangedValueWinsAndIsSaid()
    {
        var first = await RunOkAsync(new() { [Loopback] = "true", ["RiskMesh__ServiceId"] = "elsewhere" }, "up");
        Assert.Contains($"recording {Loopback}=true", first.Error, StringComparison.Ordinal);
        Assert.Contains("RiskMesh__ServiceId is ignored: local-cluster.sh sets it itself", first.Error, StringComparison.Ordinal);
        Assert.All(Names, name => Assert.Equal($"{Loopback}=true", Seen(name)));

        // A silo dies; `up` from a shell without the variable starts it with the recorded setting.
        await KillAsync("silo-2");
        var up = await RunOkAsync([], "up");
        Assert.Contains($"settings for every process started (recorded in {ClusterDirectory}/settings): {Loopback}=true", up.Error, StringComparison.Ordinal);
        Assert.Equal($"{Loopback}=true", Seen("silo-2"));
        var restart = await RunOkAsync([], "restart", "api");
        Assert.Equal($"{Loopback}=true", Seen("api"));
        Assert.DoesNotContain("still run with other settings", restart.Error, StringComparison.Ordinal);

        // Another value given to one restart: it wins, is recorded, and the processes still on the old one are named.
        var changed = await RunOkAsync(new() { [Loopback] = "false" }, "restart", "silo-3");
        Assert.Contains($"{Loopback} given as 'false', recorded as 'true': the given value wins", changed.Error, StringComparison.Ordinal);
        Assert.Contains("silo-1 silo-2 api still run with other settings than recorded", changed.Error, StringComparison.Ordinal);
        Assert.Equal($"{Loopback}=false", Seen("silo-3"));
        var status = await ScriptRun.RunAsync(StandInCluster.Script, _cluster.Environment, "status");
        Assert.Contains($"settings   {Loopback}=false", status.Out, StringComparison.Ordinal);
        Assert.Contains("silo-1 silo-2 api still run with other settings", status.Error, StringComparison.Ordinal);

        // Given empty, it is dropped: the next process starts without it.
        var dropped = await RunOkAsync(new() { [Loopback] = "" }, "restart", "silo-1");
        Assert.Contains($"{Loopback} given empty: dropped", dropped.Error, StringComparison.Ordinal);
        Assert.Equal("", Seen("silo-1"));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ClusterDirectoryAndEveryFileInItPrivate_NoValueInClearInAnyProcessFileOrOutput()
    {
        // Review 18 M4 and L2: NAME.settings held the values in clear, world-readable, and a secret whose name the
        // blacklist missed was printed. The directory is made as an older version left it (0755), to be tightened.
        const string Secret = "topsecret-signing-value";
        const string Header = "Authorization=Bearer abc123-otel";
        Directory.CreateDirectory(ClusterDirectory);
        File.SetUnixFileMode(ClusterDirectory, (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(ClusterDirectory, "db.connection"), "left by an older up");
        File.SetUnixFileMode(Path.Combine(ClusterDirectory, "db.connection"), (UnixFileMode)0b110_100_100);

        var up = await RunOkAsync(new() { [Loopback] = "true", ["RiskMesh__Webhooks__SigningSecret"] = Secret, ["RiskMesh__Otel__Headers"] = Header }, "up");

        // Read before `status`, which would rewrite a snapshot found with values as its digest.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(ClusterDirectory));
        var entries = Directory.EnumerateFileSystemEntries(ClusterDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(Path.Combine(ClusterDirectory, "silo-1.settings"), entries);
        Assert.All(entries, entry => Assert.True(
            (File.GetUnixFileMode(entry) & (UnixFileMode)0b000_111_111) == 0,
            $"{entry} is {Convert.ToString((int)File.GetUnixFileMode(entry), 8)}: readable by others"));
        // Only `settings` holds the values (mode 0600); the stand-in host's own dump in its data directory aside.
        foreach (var file in Directory.EnumerateFiles(ClusterDirectory).Where(f => Path.GetFileName(f) != "settings"))
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains(Secret, StringComparison.Ordinal) || text.Contains("abc123", StringComparison.Ordinal), $"{file} holds a value in clear:\n{text}");
        }

        Assert.Contains($"RiskMesh__Webhooks__SigningSecret={Secret}", File.ReadAllText(Path.Combine(ClusterDirectory, "settings")), StringComparison.Ordinal);
        var status = await ScriptRun.RunAsync(StandInCluster.Script, _cluster.Environment, "status");
        foreach (var output in new[] { up.Out, up.Error, status.Out, status.Error })
        {
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain("abc123", output, StringComparison.Ordinal);
        }

        Assert.Contains("recording RiskMesh__Otel__Headers=****", up.Error, StringComparison.Ordinal);
        Assert.Contains($"recording {Loopback}=true", up.Error, StringComparison.Ordinal);
        Assert.Contains($"settings   RiskMesh__Otel__Headers=**** {Loopback}=true RiskMesh__Webhooks__SigningSecret=****", status.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("still run with other settings", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpOnAFullyRunningCluster_RecordsTheSettingAndNamesTheProcessesToRestart_TestHooksAndOddNamesNotRecorded()
    {
        await RunOkAsync([], "up");

        // Review 18 L1: the README's "Try a webhook locally" command on a running cluster recorded nothing, said nothing.
        var up = await RunOkAsync(new() { [Loopback] = "true" }, "up");
        Assert.Contains($"recording {Loopback}=true", up.Error, StringComparison.Ordinal);
        Assert.Contains("silo-1 silo-2 silo-3 api still run with other settings than recorded", up.Error, StringComparison.Ordinal);
        Assert.Contains("restart NAME", up.Error, StringComparison.Ordinal);
        Assert.Contains($"{Loopback}=true", File.ReadAllText(Path.Combine(ClusterDirectory, "settings")), StringComparison.Ordinal);
        var restart = await RunOkAsync([], "restart", "silo-2");
        Assert.Equal($"{Loopback}=true", Seen("silo-2"));
        Assert.Contains("silo-1 silo-3 api still run with other settings", restart.Error, StringComparison.Ordinal);

        // Review 18 L3: a test hook and a name bash cannot read reach this run's process only, and are said to.
        const string Hook = "RiskMesh__TestHooks__KillAfterNoticeStored";
        const string Odd = "RiskMesh__Foo.Bar";
        var once = await RunOkAsync(new() { [Hook] = "true", [Odd] = "1" }, "restart", "silo-1");
        Assert.Contains($"{Hook} is a test hook: not recorded, it applies to the processes this run starts only", once.Error, StringComparison.Ordinal);
        Assert.Contains($"{Odd} is not recorded: its name is not a shell name", once.Error, StringComparison.Ordinal);
        Assert.Contains($"{Hook}=true", Seen("silo-1"), StringComparison.Ordinal);
        Assert.Contains($"{Odd}=1", Seen("silo-1"), StringComparison.Ordinal);
        var recorded = File.ReadAllText(Path.Combine(ClusterDirectory, "settings"));
        Assert.DoesNotContain("TestHooks", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("Foo.Bar", recorded, StringComparison.Ordinal);
        await RunOkAsync([], "restart", "silo-1");
        Assert.Equal($"{Loopback}=true", Seen("silo-1"));
    }

    [Fact]
    public async Task RefusedSetting_GivenToRestartOrUp_NothingRecordedNothingStopped_ARecordedOneNamedWithHowToDropIt()
    {
        const string Limit = "RiskMesh__Api__MaxRankingLimit";
        await RunOkAsync([], "up");
        var silo2 = _cluster.Pid("silo-2");

        // Newcomer 22b H1: the value was recorded, silo-2 SIGTERMed, and the new silo-2 exited 78.
        var restart = await RunAsync(new() { [Limit] = StandInHost.RefusedValue }, "restart", "silo-2");
        Assert.True(restart.ExitCode != 0, restart.ToString());
        Assert.Contains($"RiskMesh:Api:MaxRankingLimit must be a whole number, got '{StandInHost.RefusedValue}'", restart.Error, StringComparison.Ordinal);
        Assert.Contains("nothing recorded, nothing stopped", restart.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("SIGTERM", restart.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("still run with other settings", restart.Error, StringComparison.Ordinal);
        Assert.Equal(silo2, _cluster.Pid("silo-2"));
        Assert.False(File.Exists(Path.Combine(ClusterDirectory, "settings")) && File.ReadAllText(Path.Combine(ClusterDirectory, "settings")).Contains(Limit, StringComparison.Ordinal));

        var up = await RunAsync(new() { [Limit] = StandInHost.RefusedValue }, "up");
        Assert.True(up.ExitCode != 0, up.ToString());
        Assert.Contains("nothing recorded, nothing stopped", up.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("restart each", up.Error, StringComparison.Ordinal);

        // Newcomer 22b L3: a name that is not a setting is warned of on the terminal, not only in the process's log.
        var typo = await RunOkAsync(new() { ["RiskMesh__Api__MaxRankTypo"] = "5" }, "restart", "api");
        Assert.Contains("riskmesh-silo: warning: RiskMesh:Api:MaxRankTypo is not a setting", typo.Error, StringComparison.Ordinal);

        // A refused value already recorded (by hand, or by an older local-cluster.sh): `up` bringing a dead silo back
        // names it and the command that drops it, and starts nothing.
        File.AppendAllText(Path.Combine(ClusterDirectory, "settings"), $"{Limit}={StandInHost.RefusedValue}\n");
        await KillAsync("silo-3");
        var recorded = await RunAsync([], "up");
        Assert.True(recorded.ExitCode != 0, recorded.ToString());
        Assert.Contains($"{Limit} is recorded in {ClusterDirectory}/settings and refused above: drop it with '{Limit}= {Path.Combine(HostEnvironment.RepositoryRoot, StandInCluster.Script)} up'", recorded.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("started silo-3", recorded.Error, StringComparison.Ordinal);
        var dropped = await RunOkAsync(new() { [Limit] = "" }, "up");
        Assert.Contains($"{Limit} given empty: dropped", dropped.Error, StringComparison.Ordinal);
        Assert.Contains("started silo-3", dropped.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsThatDiffer_NamedWithTheProcessesTheyConcern_AMisspeltNameNeverSendsHealthyProcessesToRestart()
    {
        const string Typo = "RiskMesh__Api__MaxRankTypo";
        await RunOkAsync([], "up");

        // Cluster22: a misspelt name recorded by one restart made every other process "run other settings".
        var typo = await RunOkAsync(new() { [Typo] = "5" }, "restart", "api");
        Assert.DoesNotContain("still run with other settings", typo.Error, StringComparison.Ordinal);
        Assert.Contains($"{Typo} is recorded, but the host reads no such setting (its settings check warns of it): silo-1 silo-2 silo-3, started before it changed, run as they would with it, and restarting them changes nothing; drop it with '{Typo}= ", typo.Error, StringComparison.Ordinal);

        // A real setting beside it: named, with the processes it concerns; the typo's line names its own.
        var loopback = await RunOkAsync(new() { [Loopback] = "true" }, "restart", "silo-1");
        Assert.Contains($"silo-2 silo-3 api still run with other settings than recorded in {ClusterDirectory}/settings ({Loopback} added since they started): restart each", loopback.Error, StringComparison.Ordinal);
        Assert.Contains($"{Typo} is recorded, but the host reads no such setting (its settings check warns of it): silo-2 silo-3, started before it changed", loopback.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("silo-1 silo-2", loopback.Error, StringComparison.Ordinal);

        // `status`, which made no check of its own yet, says the same; a changed value and a dropped one are named so.
        var status = await RunAsync([], "status");
        Assert.Contains($"silo-2 silo-3 api still run with other settings than recorded in {ClusterDirectory}/settings ({Loopback} added since they started)", status.Error, StringComparison.Ordinal);
        Assert.Contains($"{Typo} is recorded, but the host reads no such setting", status.Error, StringComparison.Ordinal);
        await RunOkAsync(new() { [Loopback] = "false" }, "restart", "api");
        var changed = await RunOkAsync(new() { [Typo] = "" }, "restart", "silo-2");
        Assert.Contains($"silo-1 still run with other settings than recorded in {ClusterDirectory}/settings ({Loopback} changed since they started)", changed.Error, StringComparison.Ordinal);
        Assert.Contains($"silo-3 still run with other settings than recorded in {ClusterDirectory}/settings ({Loopback} added since they started)", changed.Error, StringComparison.Ordinal);
        Assert.Contains($"{Typo}, dropped, was no setting the host reads: silo-1 api, started with it, run as they would without it, and restarting them changes nothing", changed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain($"{Typo} dropped", changed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstUpOfAStoppedCluster_ChecksSettingsBeforeTheBuild_WhenNoSourceChangedSinceItsLastBuild_ElseSaysWhy()
    {
        // A copy of the script in a tree of its own, with a build (a stand-in file) and a source dated at will.
        const string Limit = "RiskMesh__Api__MaxRankingLimit";
        var root = Path.Combine(Path.GetDirectoryName(ClusterDirectory)!, "repo");
        var script = Path.Combine(root, StandInCluster.Script);
        var build = Path.Combine(root, "src", "RiskMesh.Silo", "bin", "Release", "net10.0", "riskmesh-silo.dll");
        var source = Path.Combine(root, "src", "RiskMesh.Silo", "Program.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        Directory.CreateDirectory(Path.GetDirectoryName(build)!);
        File.Copy(Path.Combine(HostEnvironment.RepositoryRoot, StandInCluster.Script), script);
        File.WriteAllText(build, "stand-in build");
        File.WriteAllText(source, "// source");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddHours(-1));

        // No build made by `up` yet: only the build can check, and it is said why.
        var first = await RunScriptAsync(new() { [Limit] = StandInHost.RefusedValue }, script, "up");
        Assert.True(first.ExitCode != 0, first.ToString());
        AssertInOrder(first.Error, "settings are checked after the build: no build made by an earlier up of this cluster is there", "building src/RiskMesh.Silo", "nothing recorded, nothing stopped");

        // Cluster22: with that build current, a refused value was still found only after a build, PostgreSQL started.
        var refused = await RunScriptAsync(new() { [Limit] = StandInHost.RefusedValue }, script, "up");
        Assert.True(refused.ExitCode != 0, refused.ToString());
        AssertInOrder(refused.Error, $"RiskMesh:Api:MaxRankingLimit must be a whole number, got '{StandInHost.RefusedValue}'", "nothing recorded, nothing stopped");
        Assert.DoesNotContain("building src/RiskMesh.Silo", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("using RISKMESH_DB", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("started silo-1", refused.Error, StringComparison.Ordinal);

        // A source changed since that build began: the check follows the build, and says why.
        File.SetLastWriteTimeUtc(source, File.GetLastWriteTimeUtc(Path.Combine(ClusterDirectory, "build.done")).AddMilliseconds(1));
        var changed = await RunScriptAsync(new() { [Limit] = StandInHost.RefusedValue }, script, "up");
        Assert.True(changed.ExitCode != 0, changed.ToString());
        AssertInOrder(changed.Error, "settings are checked after the build: src/RiskMesh.Silo/Program.cs changed since the last build up made", "building src/RiskMesh.Silo", "nothing recorded, nothing stopped");

        // Built since: a valid setting is recorded before the build, and the cluster starts with it.
        var up = await RunScriptAsync(new() { [Loopback] = "true" }, script, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        AssertInOrder(up.Error, $"recording {Loopback}=true", "building src/RiskMesh.Silo", "started silo-1");
        Assert.DoesNotContain("settings are checked after the build", up.Error, StringComparison.Ordinal);
        Assert.Equal($"{Loopback}=true", Seen("silo-1"));
    }

    private static void AssertInOrder(string output, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = output.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' not found after offset {at} in:\n{output}");
            at = found + part.Length;
        }
    }

    [Fact]
    public async Task Status_NotReady_SaysTheFailingChecks_AStopWithExit78SaysWhatItMeans()
    {
        await RunOkAsync([], "up");

        // Newcomer 22b L1: "running, not ready" with no reason while PostgreSQL was down.
        File.WriteAllText(Path.Combine(ClusterDirectory, "silo-2", "not-ready"), """
            {"status":"Unhealthy","checks":{"membership":{"status":"Healthy","description":"silo is active","error":null},"database":{"status":"Unhealthy","description":"Npgsql does not answer","error":"Failed to connect to 127.0.0.1:1"}}}
            """);
        var status = await RunAsync([], "status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains($"running, not ready  http://127.0.0.1:{_cluster.Environment["RISKMESH_SILO_HTTP_PORTS"]!.Split(' ')[1]}: not ready: database: Npgsql does not answer (Failed to connect to 127.0.0.1:1)", status.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("membership", status.Out, StringComparison.Ordinal);

        // Newcomer 22b L7: exit code 78 said with its meaning.
        File.WriteAllText(Path.Combine(ClusterDirectory, "silo-3", "exit-on-term"), "78");
        var restart = await RunOkAsync([], "restart", "silo-3");
        Assert.Contains("with exit code 78 (a setting was refused: see its log), not 0", restart.Error, StringComparison.Ordinal);
    }

    private static readonly string[] Names = ["silo-1", "silo-2", "silo-3", "api"];

    private Task<ScriptResult> RunAsync(Dictionary<string, string?> extra, params string[] args) =>
        RunScriptAsync(extra, StandInCluster.Script, args);

    private Task<ScriptResult> RunScriptAsync(Dictionary<string, string?> extra, string script, params string[] args)
    {
        var environment = new Dictionary<string, string?>(_cluster.Environment);
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ScriptRun.RunAsync(script, environment, TimeSpan.FromMinutes(2), args);
    }

    private string Seen(string name) => File.ReadAllText(Path.Combine(ClusterDirectory, name, "environment")).Trim();

    private async Task KillAsync(string name)
    {
        var pid = int.Parse(_cluster.Pid(name), CultureInfo.InvariantCulture);
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private Task<ScriptResult> RunOkAsync(Dictionary<string, string?> extra, params string[] args) => _cluster.RunOkAsync(extra, args);
}
