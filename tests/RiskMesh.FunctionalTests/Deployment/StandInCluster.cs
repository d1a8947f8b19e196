using System.Globalization;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// deploy/local-cluster.sh run on a cluster of stand-in hosts (<see cref="StandInHost"/>): its own cluster directory,
/// free ports and a database connection string nothing answers on (RISKMESH_DB), so no build and no PostgreSQL.
/// </summary>
internal sealed class StandInCluster
{
    public const string Script = "deploy/local-cluster.sh";
    private readonly string _root;

    public StandInCluster(string name)
    {
        _root = Path.Combine(Path.GetTempPath(), $"riskmesh-lc-{name}-" + Guid.NewGuid().ToString("N")[..10]);
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RISKMESH_CLUSTER_DIR"] = Path.Combine(_root, "cluster"),
            ["RISKMESH_DB"] = "Host=127.0.0.1;Port=1;Username=none;Database=none",
            ["RISKMESH_PG_PORT"] = null,
            ["RISKMESH_PG_DIR"] = null,
            ["RISKMESH_STOP_TIMEOUT"] = "10",
            ["RISKMESH_READY_TIMEOUT"] = "30",
            ["PATH"] = Path.Combine(_root, "bin") + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            ["RISKMESH_API_PORT"] = Port(),
            ["RISKMESH_SILO_HTTP_PORTS"] = $"{Port()} {Port()} {Port()}",
            ["RISKMESH_SILO_PORTS"] = $"{Port()} {Port()} {Port()}",
            ["RISKMESH_GATEWAY_PORTS"] = $"{Port()} {Port()} {Port()}",
        };
    }

    /// <summary>What every run of the script gets (a variable set to null is removed).</summary>
    public Dictionary<string, string?> Environment { get; }

    public string ClusterDirectory => Environment["RISKMESH_CLUSTER_DIR"]!;

    public Task InitializeAsync() => StandInHost.WriteAsync(Path.Combine(_root, "bin"));

    /// <summary>Stops every process (`down`) and deletes the directory.</summary>
    public async Task DisposeAsync()
    {
        await ScriptRun.RunAsync(Script, Environment, "down");
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Runs the script with <see cref="Environment"/> and <paramref name="extra"/>; it must exit 0.</summary>
    public async Task<ScriptResult> RunOkAsync(Dictionary<string, string?> extra, params string[] args)
    {
        var result = await RunAsync(extra, args);
        Assert.True(result.ExitCode == 0, $"local-cluster.sh {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>Runs the script with <see cref="Environment"/> and <paramref name="extra"/>, whatever its exit code.</summary>
    public Task<ScriptResult> RunAsync(Dictionary<string, string?> extra, params string[] args)
    {
        var environment = new Dictionary<string, string?>(Environment);
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ScriptRun.RunAsync(Script, environment, TimeSpan.FromMinutes(2), args);
    }

    public string Pid(string name) => File.ReadAllText(Path.Combine(ClusterDirectory, name + ".pid")).Trim();

    private static string Port() => TestPorts.Free().ToString(CultureInfo.InvariantCulture);
}
