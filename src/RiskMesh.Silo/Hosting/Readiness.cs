using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Messaging;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// What <c>/health/ready</c> means per role: a silo is ready when it has joined the cluster (status Active) and its
/// storage answers; an API node when it has a gateway to reach and the database answers. None of them calls a grain,
/// so a slow or failing-over grain never takes every node out of its load balancer at once.
/// </summary>
public static class Readiness
{
    /// <summary>The tag <c>/health/ready</c> selects; <c>/health/live</c> runs no check at all.</summary>
    public const string Tag = "ready";

    /// <summary>How long one check may take before it counts as not answering.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Registers the checks of a silo (membership and storage).</summary>
    public static IServiceCollection AddSiloReadiness(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloMembershipCheck>("membership", tags: [Tag])
            .AddCheck<DatabaseCheck>("database", tags: [Tag]);
        return services;
    }

    /// <summary>Registers the checks of an API node (a gateway and the database).</summary>
    public static IServiceCollection AddClientReadiness(this IServiceCollection services)
    {
        services.AddSingleton<GatewayConnectionTracker>();
        services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<GatewayConnectionTracker>());
        services.AddHealthChecks()
            .AddCheck<GatewayCheck>("gateway", tags: [Tag])
            .AddCheck<DatabaseCheck>("database", tags: [Tag]);
        return services;
    }

    /// <summary>Opens a connection and runs <c>SELECT 1</c>: the storage answers, not merely a cached pool.</summary>
    public static async Task<HealthCheckResult> ProbeDatabaseAsync(DatabaseSettings database, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await using var connection = database.IsSqlite
                ? (System.Data.Common.DbConnection)new SqliteConnection(database.ConnectionString)
                : new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy($"{database.Invariant} answers");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{database.Invariant} does not answer", ex);
        }
    }

    private sealed class DatabaseCheck(RiskMeshHostSettings settings) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            ProbeDatabaseAsync(settings.Database, cancellationToken);
    }

    private sealed class SiloMembershipCheck(ILocalSiloDetails local, IClusterMembershipService membership) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress);
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy($"silo {local.SiloAddress} is active in the cluster")
                : HealthCheckResult.Unhealthy($"silo {local.SiloAddress} is {status}, not active in the cluster"));
        }
    }

    private sealed class GatewayCheck(IGatewayListProvider gateways, GatewayConnectionTracker tracker) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (tracker.Connected == 0)
            {
                return HealthCheckResult.Unhealthy("connected to no gateway");
            }

            try
            {
                // On PostgreSQL this reads the membership table: the gateways the cluster lists as active now.
                var listed = await gateways.GetGateways().WaitAsync(CheckTimeout, cancellationToken);
                return listed.Count == 0
                    ? HealthCheckResult.Unhealthy("the cluster lists no active gateway")
                    : HealthCheckResult.Healthy($"{listed.Count} gateway(s) listed");
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy("the gateway list could not be read", ex);
            }
        }
    }
}

/// <summary>Counts the gateways the Orleans client is connected to, as the client reports changes.</summary>
public sealed class GatewayConnectionTracker : IClusterConnectionStatusObserver
{
    private int _connected = -1;

    /// <summary>Connected gateways; -1 until the client first reports (it connected at start, or start would have failed).</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        Volatile.Write(ref _connected, currentNumberOfGateways);

    /// <inheritdoc />
    public void NotifyClusterConnectionLost() => Volatile.Write(ref _connected, 0);
}
