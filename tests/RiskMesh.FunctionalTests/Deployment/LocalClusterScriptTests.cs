using Npgsql;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// deploy/local-cluster.sh's data handling, PostgreSQL part only: <c>down</c> keeps the cluster's database and
/// directory, the next <c>up</c> finds the same server again, <c>purge</c> deletes both. A real <c>up</c> (a Release
/// build and four hosts) is too heavy for this suite, so <c>dotnet</c> is replaced by a command that fails: <c>up</c>
/// starts PostgreSQL for real, then fails at its build step and stops what it started, as it does for any failure.
/// </summary>
public sealed class LocalClusterScriptTests : IAsyncLifetime
{
    private const string Script = "deploy/local-cluster.sh";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "riskmesh-local-cluster-" + Guid.NewGuid().ToString("N")[..10]);
    private const string ClusterDatabase = "riskmesh";
    private readonly int _port = TestPorts.Free();

    private string ClusterDirectory => Path.Combine(_root, "cluster");

    private string PostgresDirectory => Path.Combine(_root, "pg");

    private string FakeBin => Path.Combine(_root, "bin");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FakeBin);
        var dotnet = Path.Combine(FakeBin, "dotnet");
        await File.WriteAllTextAsync(dotnet, "#!/bin/sh\necho 'no dotnet in this test' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public async Task DisposeAsync()
    {
        await ScriptRun.RunAsync("scripts/postgres.sh", PostgresEnvironment(), "purge");
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Down_KeepsTheDatabase_NextUpReusesIt_PurgeDeletesIt()
    {
        var failedUp = await ScriptRun.RunAsync(Script, ClusterEnvironment(withPostgresSettings: true), "up");
        Assert.True(failedUp.ExitCode != 0, failedUp.ToString());
        Assert.Contains("up failed; stopping what was started", failedUp.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(ClusterDirectory, "postgres.started")), failedUp.ToString());
        Assert.Contains($"Database={ClusterDatabase};", failedUp.Error, StringComparison.Ordinal);

        // What a cluster leaves in its database and directory, then `down`.
        await RunOkAsync("scripts/postgres.sh", PostgresEnvironment(), "start");
        await ExecuteAsync("CREATE TABLE marker (value int); INSERT INTO marker VALUES (7);", ClusterDatabase);
        var adminKey = Path.Combine(ClusterDirectory, "silo-1", "admin.key");
        Directory.CreateDirectory(Path.GetDirectoryName(adminKey)!);
        await File.WriteAllTextAsync(adminKey, "key");
        await RunOkAsync(Script, ClusterEnvironment(withPostgresSettings: true), "down");

        Assert.NotEqual(0, (await ScriptRun.RunAsync("scripts/postgres.sh", PostgresEnvironment(), "status")).ExitCode);
        Assert.True(File.Exists(Path.Combine(PostgresDirectory, "data", "PG_VERSION")));
        Assert.True(File.Exists(adminKey));

        // The next `up`, without the PostgreSQL settings, starts the server recorded by the first one: same data.
        var secondUp = await ScriptRun.RunAsync(Script, ClusterEnvironment(withPostgresSettings: false), "up");
        Assert.Contains($"on 127.0.0.1:{_port}", secondUp.Error, StringComparison.Ordinal);
        await RunOkAsync("scripts/postgres.sh", PostgresEnvironment(), "start");
        Assert.Equal(7, await ReadMarkerAsync(ClusterDatabase));

        await RunOkAsync(Script, ClusterEnvironment(withPostgresSettings: false), "purge");

        Assert.False(Directory.Exists(PostgresDirectory));
        Assert.False(Directory.Exists(ClusterDirectory));
    }

    [Fact]
    public async Task Up_ServerRecordedByAnOlderVersion_KeepsUsingTheDatabaseItsDataIsIn()
    {
        // An `up` of before the cluster had a database of its own recorded only the port and directory; its journal,
        // notices and keys are in riskmesh_test, and the next `up` must find them there.
        Directory.CreateDirectory(ClusterDirectory);
        await File.WriteAllTextAsync(
            Path.Combine(ClusterDirectory, "postgres.started"),
            $"RISKMESH_PG_PORT={_port}\nRISKMESH_PG_DIR={PostgresDirectory}\n");

        var up = await ScriptRun.RunAsync(Script, ClusterEnvironment(withPostgresSettings: false), "up");

        Assert.Contains("Database=riskmesh_test;", up.Error, StringComparison.Ordinal);
        Assert.DoesNotContain($"Database={ClusterDatabase};", up.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_PortsInUse_NamesEveryBusyPortWithItsSetting_AndStartsNothing()
    {
        var environment = ClusterEnvironment(withPostgresSettings: true);
        var apiPort = int.Parse(environment["RISKMESH_API_PORT"]!, System.Globalization.CultureInfo.InvariantCulture);
        var gatewayPort = int.Parse(environment["RISKMESH_GATEWAY_PORTS"]!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        using var api = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, apiPort);
        using var gateway = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, gatewayPort);
        api.Start();
        gateway.Start();

        var up = await ScriptRun.RunAsync(Script, environment, "up");

        Assert.True(up.ExitCode == 1, up.ToString());
        Assert.Contains($"127.0.0.1:{apiPort} (RISKMESH_API_PORT)", up.Error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{gatewayPort} (RISKMESH_GATEWAY_PORTS)", up.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(ClusterDirectory, "postgres.started")), up.ToString());
        Assert.False(Directory.Exists(PostgresDirectory), up.ToString());
    }

    [Fact]
    public async Task Up_PostgresPortHeldByAnotherProgram_NamedWithTheOtherBusyPorts_NoDataDirectoryMade()
    {
        // Try-out 5 P13: the PostgreSQL port was not part of the up-front check; `up` ran initdb, then failed.
        // Each held port is taken by its listener itself (port 0) and handed to the script: a port found free earlier
        // could be taken by another test meanwhile ("Address already in use" in a rehearsal).
        var environment = ClusterEnvironment(withPostgresSettings: true);
        using var postgres = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        using var api = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        postgres.Start();
        api.Start();
        var pgPort = ((System.Net.IPEndPoint)postgres.LocalEndpoint).Port;
        var apiPort = ((System.Net.IPEndPoint)api.LocalEndpoint).Port;
        environment["RISKMESH_PG_PORT"] = pgPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["RISKMESH_API_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var up = await ScriptRun.RunAsync(Script, environment, "up");

        Assert.True(up.ExitCode == 1, up.ToString());
        Assert.Contains($"127.0.0.1:{pgPort} (RISKMESH_PG_PORT, held by something that is not PostgreSQL)", up.Error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{apiPort} (RISKMESH_API_PORT)", up.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PostgresDirectory), up.ToString());
        Assert.False(File.Exists(Path.Combine(ClusterDirectory, "postgres.started")), up.ToString());
    }

    [Fact]
    public async Task Purge_PostgresNotStartedByUp_LeavesItsDataAlone()
    {
        await RunOkAsync("scripts/postgres.sh", PostgresEnvironment(), "start");
        await ExecuteAsync("CREATE TABLE marker (value int); INSERT INTO marker VALUES (9);");
        var environment = ClusterEnvironment(withPostgresSettings: false);
        environment["RISKMESH_DB"] = $"Host=127.0.0.1;Port={_port};Username=postgres;Database=riskmesh_test";
        await ScriptRun.RunAsync(Script, environment, "up");

        var purge = await RunOkAsync(Script, environment, "purge");

        Assert.Contains("its data is left alone", purge.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ClusterDirectory));
        Assert.Equal(9, await ReadMarkerAsync());
    }

    [Fact]
    public async Task PidFileNamingAnotherHostsProcess_IsStopped_AndDownNeverSignalsIt()
    {
        // Review 13 L5: any process whose command line named riskmesh-silo.dll counted as this cluster's, so after a pid
        // was reused by another cluster's silo, `restart` or `down` would have sent that silo SIGTERM.
        using var other = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "sleep 120; true", "riskmesh-silo.dll", "--RiskMesh:DataDirectory=/elsewhere/.cluster/silo-1" },
        })!;
        try
        {
            Directory.CreateDirectory(ClusterDirectory);
            await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "silo-1.pid"), other.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var environment = ClusterEnvironment(withPostgresSettings: true);

            var status = await ScriptRun.RunAsync(Script, environment, "status");
            await ScriptRun.RunAsync(Script, environment, "down");

            Assert.Contains("silo-1  stopped", status.Out, StringComparison.Ordinal);
            Assert.False(other.HasExited, "down signalled another cluster's process");
        }
        finally
        {
            other.Kill();
        }
    }

    private Dictionary<string, string?> PostgresEnvironment() => new(StringComparer.Ordinal)
    {
        ["RISKMESH_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RISKMESH_PG_DIR"] = PostgresDirectory,
    };

    private Dictionary<string, string?> ClusterEnvironment(bool withPostgresSettings)
    {
        var environment = withPostgresSettings ? PostgresEnvironment() : new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RISKMESH_PG_PORT"] = null,
            ["RISKMESH_PG_DIR"] = null,
        };
        environment["RISKMESH_DB"] = null;
        environment["RISKMESH_CLUSTER_DIR"] = ClusterDirectory;
        environment["PATH"] = FakeBin + ":" + System.Environment.GetEnvironmentVariable("PATH");
        // Free ports, so `up` gets past its port check whatever else runs on this machine.
        environment["RISKMESH_API_PORT"] = TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["RISKMESH_SILO_HTTP_PORTS"] = string.Join(' ', FreePorts());
        environment["RISKMESH_SILO_PORTS"] = string.Join(' ', FreePorts());
        environment["RISKMESH_GATEWAY_PORTS"] = string.Join(' ', FreePorts());
        return environment;
    }

    private static IEnumerable<int> FreePorts() => Enumerable.Range(0, 3).Select(_ => TestPorts.Free());

    private async Task ExecuteAsync(string sql, string database = "riskmesh_test")
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<int> ReadMarkerAsync(string database = "riskmesh_test")
    {
        await using var connection = await OpenAsync(database);
        await using var command = new NpgsqlCommand("SELECT value FROM marker", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<ScriptResult> RunOkAsync(string script, IReadOnlyDictionary<string, string?> environment, string command)
    {
        var result = await ScriptRun.RunAsync(script, environment, command);
        Assert.True(result.ExitCode == 0, $"{script} {command}: {result}");
        return result;
    }
}
