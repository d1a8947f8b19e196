using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Grains.Persistence;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// A RiskMesh cluster as <c>deploy/local-cluster.sh</c> runs it, in processes of their own on a real PostgreSQL: silos
/// (role <c>silo</c>) and one API node (role <c>api</c>, an Orleans client), so a silo can be killed or stopped like a
/// real one. Each process's output is kept in a log file under the cluster's directory.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly string _root;
    private readonly string[] _siloArgs;
    private IHost? _client;

    private ClusterProcesses(string service, string root, string[] siloArgs)
    {
        Service = service;
        _root = root;
        _siloArgs = siloArgs;
    }

    /// <summary>
    /// The xunit collection of the tests that run a whole cluster of processes: one at a time, so that one test's load
    /// (a minute of heavy ingest) does not decide another's timings (a recovery bound).
    /// </summary>
    public const string Collection = "Cluster processes";

    /// <summary>The Orleans service and cluster id (unique per test).</summary>
    public string Service { get; }

    /// <summary>The silos, in the order they were started.</summary>
    public List<Node> Silos { get; } = [];

    /// <summary>The API node.</summary>
    public Node Api { get; private set; } = null!;

    /// <summary>The bootstrap admin key (written by the first silo).</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>The test database (started by scripts/test.sh).</summary>
    public static string ConnectionString => TestPostgres.ConnectionString;

    /// <summary>Starts <paramref name="silos"/> silos (the first alone, applying the schema) and then the API node.</summary>
    public static async Task<ClusterProcesses> StartAsync(string prefix, int silos, IReadOnlyList<string>? siloArgs = null, IReadOnlyList<string>? apiArgs = null)
    {
        var service = prefix + "-" + Guid.NewGuid().ToString("N")[..10];
        var root = Path.Combine(Path.GetTempPath(), "riskmesh-" + service);
        Directory.CreateDirectory(root);
        var cluster = new ClusterProcesses(service, root, [.. siloArgs ?? []]);
        try
        {
            for (var i = 1; i <= silos; i++)
            {
                cluster.Silos.Add(new Node(cluster, $"silo-{i}", Path.Combine(root, $"silo-{i}"), isSilo: true));
            }

            await cluster.Silos[0].StartAsync(applySchema: true);
            cluster.AdminKey = await RiskMeshHostFixture.ReadAdminKeyAsync(cluster.Silos[0].DataDirectory);
            await Task.WhenAll(cluster.Silos.Skip(1).Select(s => s.StartAsync(applySchema: false)));
            cluster.Api = new Node(cluster, "api", Path.Combine(root, "api"), isSilo: false, [.. apiArgs ?? []]);
            await cluster.Api.StartAsync(applySchema: false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The arguments every process of this cluster shares.</summary>
    private string[] CommonArgs(string dataDirectory) =>
    [
        "--RiskMesh:Database:Invariant=Npgsql",
        $"--RiskMesh:Database:ConnectionString={ConnectionString}",
        $"--RiskMesh:ServiceId={Service}",
        $"--RiskMesh:ClusterId={Service}",
        $"--RiskMesh:Security:KeyRingDirectory={Path.Combine(_root, "dataprotection-keys")}",
        $"--RiskMesh:DataDirectory={dataDirectory}",
    ];

    /// <summary>Active RiskMesh grain activations per silo port whose grain type name contains <paramref name="grainType"/>.</summary>
    public async Task<Dictionary<int, int>> ActivationsBySiloPortAsync(string grainType)
    {
        var management = (await ClientAsync()).Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var statistics = await management.GetSimpleGrainStatistics();
                return statistics
                    .Where(s => s.GrainType.Contains(grainType, StringComparison.Ordinal))
                    .GroupBy(s => s.SiloAddress.Endpoint.Port)
                    .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
            }
            catch (Exception ex) when (attempt < 10 && ex is OrleansException or TimeoutException)
            {
                // A silo just died or joined: ask again.
                await Task.Delay(1000);
            }
        }
    }

    /// <summary>The membership table's rows of this cluster: silo port, status, and how many suspected it.</summary>
    public async Task<List<(int Port, int Status, string Suspecting)>> MembershipAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT port, status, COALESCE(suspect_times, '') FROM orleans_membership WHERE deployment_id = @d", connection);
        command.Parameters.AddWithValue("d", Service);
        var rows = new List<(int, int, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2)));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex) when (ex is OperationCanceledException or OrleansException)
            {
                // Stopping a client of a cluster that is going away.
            }

            _client.Dispose();
        }

        Api?.Kill();
        foreach (var silo in Silos)
        {
            silo.Kill();
        }

        RiskMeshHostFixture.DeleteDirectory(_root);
    }

    private async Task<IHost> ClientAsync()
    {
        if (_client is null)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.UseOrleansClient(client => client.UseRiskMeshClientClustering(
                DatabaseSettings.Create(RiskMeshStorage.PostgresInvariant, ConnectionString),
                new ClusterSettings(Service, Service, 0, 0, null)));
            var host = builder.Build();
            await host.StartAsync();
            _client = host;
        }

        return _client;
    }

    /// <summary>One process of the cluster, on new ports at each start (a killed process's port may not be free at once).</summary>
    public sealed class Node
    {
        private readonly ClusterProcesses _cluster;
        private readonly bool _isSilo;
        private readonly string[] _extraArgs;
        private int _starts;

        internal Node(ClusterProcesses cluster, string name, string dataDirectory, bool isSilo, string[]? extraArgs = null)
        {
            _cluster = cluster;
            Name = name;
            DataDirectory = dataDirectory;
            _isSilo = isSilo;
            _extraArgs = extraArgs ?? [];
            Directory.CreateDirectory(dataDirectory);
        }

        /// <summary>silo-1, silo-2, …, api.</summary>
        public string Name { get; }

        /// <summary>The process's data directory.</summary>
        public string DataDirectory { get; }

        /// <summary>Silo-to-silo port of the current (or last) process; 0 for the API node.</summary>
        public int SiloPort { get; private set; }

        /// <summary>The running process (null once killed or stopped).</summary>
        public SiloProcess? Process { get; private set; }

        /// <summary>Where the process's output goes.</summary>
        public string LogFile => Path.Combine(_cluster._root, Name + ".log");

        /// <summary>A client of this node's HTTP port with the admin key.</summary>
        public HttpClient CreateClient() => Process!.CreateClient(_cluster.AdminKey);

        /// <summary>Starts the process and waits until it is ready.</summary>
        public async Task StartAsync(bool applySchema = false)
        {
            SiloPort = _isSilo ? TestPorts.Free() : 0;
            string[] role = _isSilo
                ? ["--RiskMesh:Role=silo", $"--RiskMesh:SiloPort={SiloPort}"]
                : ["--RiskMesh:Role=api"];
            File.AppendAllText(LogFile, $"---- start {++_starts} at {DateTime.UtcNow:HH:mm:ss.fff}{System.Environment.NewLine}");
            Process = await SiloProcess.StartAsync(
                DataDirectory,
                [.. _cluster.CommonArgs(DataDirectory), $"--RiskMesh:Database:ApplySchemaOnStart={(applySchema ? "true" : "false")}", .. role, .. _isSilo ? _cluster._siloArgs : [], .. _extraArgs],
                LogFile);
        }

        /// <summary>SIGKILL, as a crash.</summary>
        public async Task KillAsync()
        {
            await Process!.KillAsync();
            Process.Dispose();
            Process = null;
        }

        /// <summary>The exit code of the last <see cref="StopAsync"/>.</summary>
        public int? LastExitCode { get; private set; }

        /// <summary>SIGTERM, and the time the process took to finish its shutdown (its exit code in <see cref="LastExitCode"/>).</summary>
        public async Task<TimeSpan> StopAsync()
        {
            var clock = Stopwatch.StartNew();
            LastExitCode = await Process!.StopAsync();
            var took = clock.Elapsed;
            Process.Dispose();
            Process = null;
            return took;
        }

        internal void Kill()
        {
            Process?.Dispose();
            Process = null;
        }
    }
}
