using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>Our PostgreSQL clustering and reminder SQL driven by the real Orleans ADO.NET providers over TCP.</summary>
public sealed class PostgresClusteringTests
{
    private const int ActiveStatus = 3;
    private const int DeadStatus = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AdoNetClustering_TwoSilosAndClientOnPostgres_FormClusterServeGrainsAndKeepReminders()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();
        var db = database.Settings;
        await SchemaInstaller.ApplyAsync(db);
        var ids = new ClusterIds("it-" + Guid.NewGuid().ToString("N")[..12], "svc-" + Guid.NewGuid().ToString("N")[..12]);

        await using var silo1 = await StartSiloAsync(db, ids);
        await using var silo2 = await StartSiloAsync(db, ids);
        await WaitUntilAsync(async () => await CountMembersAsync(db, ids, ActiveStatus) == 2, "two active silos in the membership table");

        await using var client = await StartClientAsync(db, ids);
        var clusterClient = client.Host.Services.GetRequiredService<IClusterClient>();

        var grain = clusterClient.GetGrain<IStorageProbeGrain>(Guid.NewGuid().ToString("N"));
        var written = await grain.WriteAsync("through the gateway");
        Assert.Equal("through the gateway", (await grain.ReadAsync()).Text);
        Assert.Equal(written.ETag, (await grain.ReadAsync()).ETag);

        var reminders = clusterClient.GetGrain<IReminderProbeGrain>(Guid.NewGuid().ToString("N"));
        Assert.True(await reminders.RegisterAsync());
        Assert.True(await reminders.RegisterAsync());
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM orleans_reminder WHERE service_id = @s", ids.ServiceId));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT max(version)::bigint FROM orleans_reminder WHERE service_id = @s", ids.ServiceId));
        await reminders.UnregisterAsync();
        Assert.False(await reminders.ExistsAsync());
        Assert.Equal(0L, await ScalarAsync(db, "SELECT count(*) FROM orleans_reminder WHERE service_id = @s", ids.ServiceId));

        await silo2.DisposeAsync();
        await WaitUntilAsync(async () => await CountMembersAsync(db, ids, DeadStatus) == 1, "the stopped silo declared dead");
        Assert.Equal(1L, await CountMembersAsync(db, ids, ActiveStatus));

        // Defunct-silo cleanup removes the dead row and keeps the live one.
        var membership = silo1.Host.Services.GetRequiredService<IMembershipTable>();
        await membership.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(0L, await CountMembersAsync(db, ids, DeadStatus));
        Assert.Equal(1L, await CountMembersAsync(db, ids, ActiveStatus));

        var afterStop = clusterClient.GetGrain<IStorageProbeGrain>(Guid.NewGuid().ToString("N"));
        Assert.Equal("after stop", (await RetryAsync(() => afterStop.WriteAsync("after stop"))).Text);
    }

    private static async Task<RunningHost> StartSiloAsync(DatabaseSettings db, ClusterIds ids)
    {
        var siloPort = TestPorts.Free();
        var gatewayPort = TestPorts.Free();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.UseOrleans(silo =>
        {
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = db.Invariant;
                options.ConnectionString = db.ConnectionString;
            });
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = db.Invariant;
                options.ConnectionString = db.ConnectionString;
            });
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ids.ClusterId;
                options.ServiceId = ids.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(options =>
            {
                options.ProbeTimeout = TimeSpan.FromSeconds(1);
                options.NumMissedProbesLimit = 2;
                options.NumVotesForDeathDeclaration = 1;
                options.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
            silo.AddRiskMeshGrainStorage(db);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new RunningHost(host);
    }

    private static async Task<RunningHost> StartClientAsync(DatabaseSettings db, ClusterIds ids)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.UseOrleansClient(client =>
        {
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = db.Invariant;
                options.ConnectionString = db.ConnectionString;
            });
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = ids.ClusterId;
                options.ServiceId = ids.ServiceId;
            });
            client.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
        });
        var host = builder.Build();
        await host.StartAsync();
        return new RunningHost(host);
    }

    private static async Task<long> CountMembersAsync(DatabaseSettings db, ClusterIds ids, int status) =>
        (long)(await ScalarAsync(db, $"SELECT count(*) FROM orleans_membership WHERE deployment_id = @s AND status = {status}", ids.ClusterId) ?? 0L);

    private static async Task<object?> ScalarAsync(DatabaseSettings db, string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("s", parameter);
        return await command.ExecuteScalarAsync();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {Patience} waiting for {what}.");
            }

            await Task.Delay(250);
        }
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        // Calls routed to the stopped silo fail fast until the client drops its gateway; they do not hang.
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private sealed record ClusterIds(string ClusterId, string ServiceId);

    private sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        private bool _disposed;

        public IHost Host { get; } = host;

        public async ValueTask DisposeAsync()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Host.StopAsync(timeout.Token);
            Host.Dispose();
        }
    }
}
