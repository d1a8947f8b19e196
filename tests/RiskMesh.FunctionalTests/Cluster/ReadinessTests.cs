using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// Readiness means ready, on real PostgreSQL over real HTTP: a silo is ready while it is active in the cluster and
/// its storage answers; an API node while it has a gateway and the database answers; liveness asks nothing.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(45);

    private static string ConnectionString => TestPostgres.ConnectionString;

    [Fact]
    public async Task SiloReadiness_DatabaseStopsAnswering_NotReadyButStillLive_ThenReadyAgain()
    {
        var target = new NpgsqlConnectionStringBuilder(ConnectionString);
        await using var proxy = new TcpPauseProxy(target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(ConnectionString) { Port = proxy.Port, Timeout = 3 }.ConnectionString;
        var service = "rd-" + Guid.NewGuid().ToString("N")[..12];
        var directory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service);
        try
        {
            await using var silo = await StartAsync(directory, viaProxy, service, "both", applySchema: true);
            using var http = RiskMeshHostFixture.CreateClient(silo.Address, null);

            var ready = await WaitForAsync(http, HttpStatusCode.OK);
            Assert.Equal("Healthy", Check(ready, "membership"));
            Assert.Equal("Healthy", Check(ready, "database"));

            proxy.Pause();
            var down = await WaitForAsync(http, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Unhealthy", Check(down, "database"));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

            proxy.Resume();
            var back = await WaitForAsync(http, HttpStatusCode.OK);
            Assert.Equal("Healthy", Check(back, "database"));
        }
        finally
        {
            proxy.Resume();
            RiskMeshHostFixture.DeleteDirectory(directory);
        }
    }

    [Fact]
    public async Task ApiReadiness_OnlySiloStops_NotReadyForWantOfAGatewayButStillLive()
    {
        var service = "ra-" + Guid.NewGuid().ToString("N")[..12];
        var siloDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service + "-silo");
        var apiDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service + "-api");
        try
        {
            await using var silo = await StartAsync(siloDirectory, ConnectionString, service, "silo", applySchema: true);
            await using var api = await StartAsync(apiDirectory, ConnectionString, service, "api", applySchema: false);
            using var http = RiskMeshHostFixture.CreateClient(api.Address, null);

            var ready = await WaitForAsync(http, HttpStatusCode.OK);
            Assert.Equal("Healthy", Check(ready, "gateway"));
            Assert.Equal("Healthy", Check(ready, "database"));
            Assert.False(ready.GetProperty("checks").TryGetProperty("membership", out _), "an API node has no membership of its own");

            await silo.DisposeAsync();
            var down = await WaitForAsync(http, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("Unhealthy", Check(down, "gateway"));
            Assert.Equal("Healthy", Check(down, "database"));
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(siloDirectory);
            RiskMeshHostFixture.DeleteDirectory(apiDirectory);
        }
    }

    [Fact]
    public async Task ApiReadiness_ItsOnlyGatewayStops_WhileAnotherSiloServes_ReadyAgainWithoutTraffic()
    {
        // A node whose only gateway connection closed (its silo restarted) reads "connected to no gateway", and a load
        // balancer then sends it no traffic: were the connection reopened only by a request's call, it would stay out for
        // good after a rolling restart on a quiet night (cluster20's question). The Orleans client reopens one by itself
        // (its refresh of the cluster's manifest calls a gateway): here about 8 s after the loss, with no request.
        var service = "rg-" + Guid.NewGuid().ToString("N")[..12];
        var firstDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service + "-silo1");
        var secondDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service + "-silo2");
        var apiDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service + "-api");
        try
        {
            var first = await StartAsync(firstDirectory, ConnectionString, service, "silo", applySchema: true);
            await using var api = await StartAsync(apiDirectory, ConnectionString, service, "api", applySchema: false);
            using var http = RiskMeshHostFixture.CreateClient(api.Address, null);
            Assert.Equal("Healthy", Check(await WaitForAsync(http, HttpStatusCode.OK), "gateway"));

            await using var second = await StartAsync(secondDirectory, ConnectionString, service, "silo", applySchema: false);
            await first.DisposeAsync();
            var tracker = api.Services.GetRequiredService<GatewayConnectionTracker>();
            var clock = Stopwatch.StartNew();
            while (tracker.Connected != 0 && clock.Elapsed < Budget)
            {
                await Task.Delay(100);
            }

            Assert.True(tracker.Connected == 0, $"the API node still holds {tracker.Connected} gateway connection(s)");
            var back = await WaitForAsync(http, HttpStatusCode.OK);
            Assert.Equal("Healthy", Check(back, "gateway"));
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(firstDirectory);
            RiskMeshHostFixture.DeleteDirectory(secondDirectory);
            RiskMeshHostFixture.DeleteDirectory(apiDirectory);
        }
    }

    private static string? Check(JsonElement report, string name) =>
        report.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();

    /// <summary>Polls <c>/health/ready</c> until it answers <paramref name="status"/>; returns its report.</summary>
    private static async Task<JsonElement> WaitForAsync(HttpClient http, HttpStatusCode status)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < Budget)
        {
            using var response = await http.GetAsync("/health/ready");
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == status)
            {
                return JsonDocument.Parse(last).RootElement.Clone();
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"/health/ready did not answer {(int)status} within {Budget.TotalSeconds} s; last: {last}");
    }

    private static Task<InProcessNode> StartAsync(string directory, string connectionString, string service, string role, bool applySchema) =>
        InProcessNode.StartAsync(directory, [$"--RiskMesh:Role={role}", .. InProcessNode.OnPostgres(connectionString, service, applySchema)]);
}
