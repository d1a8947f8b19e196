using System.Globalization;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// deploy/local-cluster.sh when the PostgreSQL that <c>up</c> started and recorded (postgres.started) has stopped under
/// a running cluster (newcomer 22b H2): <c>up</c> bringing a dead silo back, and <c>restart</c>, start that PostgreSQL
/// first, saying so, instead of starting a silo that cannot reach its database. PostgreSQL is real
/// (scripts/postgres.sh on a free port); the hosts are stand-ins (<see cref="StandInHost"/>).
/// </summary>
public sealed class LocalClusterDatabaseTests : IAsyncLifetime
{
    private readonly StandInCluster _cluster = new("database");
    private readonly string _postgresDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-lc-pg-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _postgresPort = TestPorts.Free().ToString(CultureInfo.InvariantCulture);

    public LocalClusterDatabaseTests()
    {
        _cluster.Environment["RISKMESH_DB"] = null;
        _cluster.Environment["RISKMESH_PG_PORT"] = _postgresPort;
        _cluster.Environment["RISKMESH_PG_DIR"] = _postgresDirectory;
    }

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public async Task DisposeAsync()
    {
        await ScriptRun.RunAsync(StandInCluster.Script, _cluster.Environment, "purge");
        await _cluster.DisposeAsync();
        if (Directory.Exists(_postgresDirectory))
        {
            Directory.Delete(_postgresDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task RecordedPostgresStopped_UpAndRestartStartItFirst_SayingSo()
    {
        await _cluster.RunOkAsync([], "up");
        await StopPostgresAsync();
        using (var silo2 = System.Diagnostics.Process.GetProcessById(int.Parse(_cluster.Pid("silo-2"), CultureInfo.InvariantCulture)))
        {
            silo2.Kill(entireProcessTree: true);
            await silo2.WaitForExitAsync();
        }

        // A shell without the PostgreSQL variables, as the operator's: the recorded server is the one started.
        var withoutPostgres = new Dictionary<string, string?> { ["RISKMESH_PG_PORT"] = null, ["RISKMESH_PG_DIR"] = null };
        var up = await _cluster.RunOkAsync(withoutPostgres, "up");
        Assert.Contains($"the cluster's PostgreSQL (127.0.0.1:{_postgresPort}, data in {_postgresDirectory}, recorded in {_cluster.ClusterDirectory}/postgres.started) does not answer; starting it", up.Error, StringComparison.Ordinal);
        Assert.Contains("started silo-2", up.Error, StringComparison.Ordinal);
        await AssertPostgresRunsAsync();

        await StopPostgresAsync();
        var restart = await _cluster.RunOkAsync(withoutPostgres, "restart", "silo-1");
        Assert.Contains("does not answer; starting it", restart.Error, StringComparison.Ordinal);
        Assert.True(
            restart.Error.IndexOf("starting it", StringComparison.Ordinal) < restart.Error.IndexOf("SIGTERM", StringComparison.Ordinal)
            || !restart.Error.Contains("SIGTERM", StringComparison.Ordinal),
            "PostgreSQL is started before silo-1 is stopped");
        await AssertPostgresRunsAsync();
    }

    private Dictionary<string, string?> PostgresEnvironment => new(StringComparer.Ordinal)
    {
        ["RISKMESH_PG_PORT"] = _postgresPort,
        ["RISKMESH_PG_DIR"] = _postgresDirectory,
    };

    private async Task StopPostgresAsync()
    {
        var stop = await ScriptRun.RunAsync("scripts/postgres.sh", PostgresEnvironment, "stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        var status = await ScriptRun.RunAsync("scripts/postgres.sh", PostgresEnvironment, "status");
        Assert.True(status.ExitCode != 0, "PostgreSQL still answers after stop");
    }

    private async Task AssertPostgresRunsAsync()
    {
        var status = await ScriptRun.RunAsync("scripts/postgres.sh", PostgresEnvironment, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
    }
}
