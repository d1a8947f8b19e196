using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// deploy/local-cluster.sh for real: <c>up</c> (PostgreSQL, three silos and an API node); a silo killed, seen by
/// <c>status</c> on the ports <c>up</c> recorded, started again by <c>up</c> alone; <c>restart</c> of another; <c>down</c>,
/// <c>up</c> again on the data <c>down</c> kept (same plan, same admin key), then <c>purge</c>; a host setting given to
/// the first <c>up</c> only is kept by each later start. About two and a half minutes on two cores.
/// </summary>
public sealed class LocalClusterUpDownTests : IAsyncLifetime
{
    private const string Script = "deploy/local-cluster.sh";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "riskmesh-lc-updown-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Dictionary<string, string?> _environment;

    public LocalClusterUpDownTests()
    {
        _environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RISKMESH_DB"] = null,
            ["RISKMESH_CLUSTER_DIR"] = Path.Combine(_root, "cluster"),
            ["RISKMESH_PG_DIR"] = Path.Combine(_root, "pg"),
            ["RISKMESH_PG_PORT"] = Port(),
            ["RISKMESH_STOP_TIMEOUT"] = "20",
        };
        ChooseNodePorts();
    }

    private static string Port() => TestPorts.Free().ToString(CultureInfo.InvariantCulture);

    // A port found free here can be taken by another test before a node binds it (the suite runs in parallel).
    private void ChooseNodePorts()
    {
        _environment["RISKMESH_API_PORT"] = Port();
        _environment["RISKMESH_SILO_HTTP_PORTS"] = $"{Port()} {Port()} {Port()}";
        _environment["RISKMESH_SILO_PORTS"] = $"{Port()} {Port()} {Port()}";
        _environment["RISKMESH_GATEWAY_PORTS"] = $"{Port()} {Port()} {Port()}";
    }

    private string ClusterDirectory => _environment["RISKMESH_CLUSTER_DIR"]!;

    private Uri Api => new($"http://127.0.0.1:{_environment["RISKMESH_API_PORT"]}/");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Whatever happened, no process or server of this test outlives it.
        await ScriptRun.RunAsync(Script, _environment, "purge");
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    // A host setting given to the first `up` only (newcomer 18 M1): every later `up` and `restart` here runs without it.
    private const string Loopback = "RiskMesh__Webhooks__AllowLoopback";

    [Fact]
    public async Task UpDownUp_KeepsPlanAndAdminKey_PurgeDeletesEverything()
    {
        _environment[Loopback] = "true";
        await RunOkAsync("up");
        _environment[Loopback] = null;
        var adminKey = (await File.ReadAllTextAsync(Path.Combine(ClusterDirectory, "silo-1", "admin.key"))).Trim();
        using (var admin = RiskMeshHostFixture.CreateClient(Api, adminKey))
        {
            using var put = await admin.PutAsJsonAsync("/api/v1/cities/heihe/plan", EscalationApi.LowPlan);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await CrashedSilo_SeenByStatus_StartedAgainByUpAlone_AndRestartAsync(adminKey);

        await RunOkAsync("down");
        Assert.All(new[] { "silo-1", "silo-2", "silo-3", "api" }, name => Assert.False(File.Exists(Path.Combine(ClusterDirectory, name + ".pid"))));
        Assert.True(File.Exists(Path.Combine(_environment["RISKMESH_PG_DIR"]!, "data", "PG_VERSION")));

        await RunOkAsync("up");
        using (var admin = RiskMeshHostFixture.CreateClient(Api, adminKey))
        {
            var plan = await admin.GetJsonAsync("/api/v1/cities/heihe/plan");
            Assert.False(plan.GetProperty("isDefault").GetBoolean());

            // The API node, started by an `up` given no setting, has the recorded one: a loopback webhook is accepted
            // (without it: 400, "loopback … set RiskMesh:Webhooks:AllowLoopback=true").
            using var webhook = await admin.PutAsJsonAsync("/api/v1/cities/heihe/webhooks", new[] { new { url = "http://127.0.0.1:9/hook", secret = "local-cluster-settings" } });
            Assert.True(webhook.StatusCode == HttpStatusCode.OK, await webhook.Content.ReadAsStringAsync());
        }

        await RunOkAsync("purge");
        Assert.False(Directory.Exists(ClusterDirectory));
        Assert.False(Directory.Exists(_environment["RISKMESH_PG_DIR"]));
    }

    // An operator's silo died: `status` (given no port, as a user in another terminal would run it) finds the ports `up`
    // used and says which process stopped; `up` starts that one only, with the build the others run; `restart` stops
    // and starts one process; the cluster answers with what it held before.
    private async Task CrashedSilo_SeenByStatus_StartedAgainByUpAlone_AndRestartAsync(string adminKey)
    {
        var before = new[] { "silo-1", "silo-3", "api" }.ToDictionary(name => name, Pid);
        using (var silo2 = System.Diagnostics.Process.GetProcessById(int.Parse(Pid("silo-2"), CultureInfo.InvariantCulture)))
        {
            silo2.Kill();
            await silo2.WaitForExitAsync();
        }

        var withoutPorts = new Dictionary<string, string?>(_environment)
        {
            ["RISKMESH_API_PORT"] = null,
            ["RISKMESH_SILO_HTTP_PORTS"] = null,
            ["RISKMESH_SILO_PORTS"] = null,
            ["RISKMESH_GATEWAY_PORTS"] = null,
        };
        var status = await ScriptRun.RunAsync(Script, withoutPorts, "status");
        Assert.True(status.ExitCode == 1, status.ToString());
        Assert.Contains("silo-2  stopped", status.Out, StringComparison.Ordinal);
        Assert.Contains($"ready    http://127.0.0.1:{_environment["RISKMESH_API_PORT"]}", status.Out, StringComparison.Ordinal);

        var up = await ScriptRun.RunAsync(Script, withoutPorts, TimeSpan.FromMinutes(5), "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("starting silo-2 (the build the others run", up.Error, StringComparison.Ordinal);
        Assert.Contains("silo-2 had ended: killed by signal 9 (SIGKILL, exit status 137)", up.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("building", up.Error, StringComparison.Ordinal);
        Assert.All(before, running => Assert.Equal(running.Value, Pid(running.Key)));
        // Started from an environment without the setting, silo-2 has the one the first `up` recorded.
        Assert.Contains($"{Loopback}=true", File.ReadAllText($"/proc/{Pid("silo-2")}/environ").Split('\0'));

        var silo3 = Pid("silo-3");
        var restart = await ScriptRun.RunAsync(Script, withoutPorts, TimeSpan.FromMinutes(5), "restart", "silo-3");
        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.NotEqual(silo3, Pid("silo-3"));
        // A real silo leaves the cluster cleanly on SIGTERM: exit code 0 (README, Rolling restart), said by `restart`.
        Assert.Matches($@"stopped silo-3 \(pid {silo3}\): exit code 0, \d+\.\d s after SIGTERM", restart.Error);

        var ready = await ScriptRun.RunAsync(Script, withoutPorts, "status");
        Assert.True(ready.ExitCode == 0, ready.ToString());
        using var admin = RiskMeshHostFixture.CreateClient(Api, adminKey);
        var plan = await admin.GetJsonAsync("/api/v1/cities/heihe/plan");
        Assert.False(plan.GetProperty("isDefault").GetBoolean());
    }

    private string Pid(string name) => File.ReadAllText(Path.Combine(ClusterDirectory, name + ".pid")).Trim();

    private async Task RunOkAsync(string command)
    {
        // `up` builds the silo and waits for four hosts (each up to RISKMESH_READY_TIMEOUT, 120 s). A node that lost its
        // port to another test in the meantime ends `up` with "Address already in use": bring the nodes down (the data
        // stays) and start them again on fresh ports, as SiloProcess does for the other cluster tests; up to three times.
        for (var attempt = 1; ; attempt++)
        {
            var result = await ScriptRun.RunAsync(Script, _environment, TimeSpan.FromMinutes(10), command);
            if (result.ExitCode == 0)
            {
                return;
            }

            var lostPort = command == "up" && result.ToString().Contains("Address already in use", StringComparison.Ordinal);
            Assert.True(lostPort && attempt < 3, $"local-cluster.sh {command}: {result}");
            var down = await ScriptRun.RunAsync(Script, _environment, TimeSpan.FromMinutes(5), "down");
            Assert.True(down.ExitCode == 0, $"local-cluster.sh down after a lost port: {down}");
            ChooseNodePorts();
        }
    }
}
