using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>Identity and endpoints of one silo (or, for a client, of the gateway it reaches).</summary>
/// <param name="ClusterId">Orleans cluster id: silos with the same id form one cluster.</param>
/// <param name="ServiceId">Orleans service id: part of every stored grain key, so keep it stable across deployments.</param>
/// <param name="SiloPort">Silo-to-silo port.</param>
/// <param name="GatewayPort">Client gateway port, <see cref="NoGateway"/> for none; internal only (mutual TLS in a cluster).</param>
/// <param name="AdvertisedIp">Address other silos reach this one at (e.g. the pod IP); loopback when null.</param>
/// <param name="SiloName">
/// The name operators see for this silo on the dashboard and in the membership table; when null,
/// <see cref="DefaultSiloName"/>, instead of Orleans' random <c>Silo_1a2b3</c> that names no process.
/// </param>
public sealed record ClusterSettings(string ClusterId, string ServiceId, int SiloPort, int GatewayPort, string? AdvertisedIp, string? SiloName = null)
{
    /// <summary>The gateway port meaning "open no gateway" (Orleans' own convention for <see cref="EndpointOptions.GatewayPort"/>).</summary>
    public const int NoGateway = 0;

    /// <summary>The gateway port of a silo, and the one an API node reaches on SQLite, when none is configured.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>The silo-to-silo port when none is configured.</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The name of this silo as configured, else <see cref="DefaultSiloName"/>.</summary>
    public string EffectiveSiloName => SiloName ?? DefaultSiloName(Environment.MachineName, SiloPort);

    /// <summary>
    /// The machine's name (a pod's or container's host name) for a silo on the default port; on any other port the
    /// port follows it (<c>host-11112</c>), since only silos sharing a machine need different ports, and two of them
    /// named alike would be one row twice on the dashboard (review 15, L4).
    /// </summary>
    public static string DefaultSiloName(string machineName, int siloPort) =>
        siloPort == DefaultSiloPort ? machineName : $"{machineName}-{siloPort}";
}

/// <summary>Chooses clustering and reminders from the database: localhost on SQLite, ADO.NET on PostgreSQL.</summary>
public static class ClusteringSetup
{
    /// <summary>
    /// How long a probe may take before it counts as missed, and how often silos probe each other. Orleans adapts it
    /// per monitored silo to the response times it observes, between half and four times this value (0.5–4 s), and
    /// stretches it while the probing silo is itself degraded (starved threads, long GC pauses).
    /// </summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Probes in a row a silo may miss before its prober suspects it (and asks another silo to probe it too).</summary>
    public const int MissedProbesLimit = 2;

    /// <summary>
    /// Suspicions needed to declare a silo dead (Orleans never asks for more than half the active silos, so two silos
    /// need one). Two means a silo that is merely slow to answer one prober, or a prober that is itself starved, kills
    /// nobody: the silo asked to probe indirectly must fail to reach it too, and its vote counts at once, so a silo
    /// that is really gone is declared dead no later than with one vote.
    /// </summary>
    public const int VotesForDeathDeclaration = 2;

    /// <summary>How often silos re-read the membership table and publish that they are alive.</summary>
    public static readonly TimeSpan TableRefreshAndAlivePeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Entries each silo's grain directory cache holds (Orleans' default is 1,000,000). Orleans sizes the cache's
    /// tables for its capacity up front: two tables of 9.3 MB each at the default, whatever the world's size. Twice
    /// the 100,000 entities RiskMesh is measured at: a larger world's silo only looks up again what its least recently
    /// used entries lose.
    /// </summary>
    public const int DirectoryCacheSize = 200_000;

    /// <summary>
    /// SQLite: a single-silo localhost cluster with in-memory reminders. PostgreSQL: ADO.NET membership and
    /// reminders on the same database, endpoints on <see cref="ClusterSettings.AdvertisedIp"/>, and membership
    /// timings that declare a killed silo dead in about two seconds instead of ten to twenty (FACTS.md).
    /// </summary>
    public static ISiloBuilder UseRiskMeshClustering(this ISiloBuilder builder, DatabaseSettings db, ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(cluster);

        builder.Configure<GrainDirectoryOptions>(options => options.CacheSize = DirectoryCacheSize);
        builder.Configure<SiloOptions>(options => options.SiloName = cluster.EffectiveSiloName);
        if (db.IsSqlite)
        {
            builder.UseLocalhostClustering(
                siloPort: cluster.SiloPort,
                gatewayPort: cluster.GatewayPort,
                serviceId: cluster.ServiceId,
                clusterId: cluster.ClusterId);
            builder.Configure<EndpointOptions>(options => options.GatewayPort = cluster.GatewayPort);
            builder.UseInMemoryReminderService();
            return builder;
        }

        RequirePostgres(db);
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = db.Invariant;
            options.ConnectionString = db.ConnectionString;
        });
        builder.UseAdoNetReminderService(options =>
        {
            options.Invariant = db.Invariant;
            options.ConnectionString = db.ConnectionString;
        });

        // Where to bind is decided once, in ListenAddress, which the start-up port check (SiloPortCheck) tries too.
        builder.ConfigureEndpoints(
            ParseAdvertisedIp(cluster.AdvertisedIp),
            cluster.SiloPort,
            cluster.GatewayPort,
            listenOnAnyHostAddress: ListenAddress(db, cluster).Equals(IPAddress.Any));
        builder.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        builder.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = ProbeTimeout;
            options.NumMissedProbesLimit = MissedProbesLimit;
            options.NumVotesForDeathDeclaration = VotesForDeathDeclaration;
            options.TableRefreshTimeout = TableRefreshAndAlivePeriod;
            options.IAmAliveTablePublishTimeout = TableRefreshAndAlivePeriod;
        });
        return builder;
    }

    /// <summary>
    /// How often an API node re-reads the active gateways from the membership table. A silo declared dead drops out of
    /// that list, and the client then closes its connection to it, which fails the calls still waiting on it
    /// (<see cref="FailFastCallFilter"/>): this bounds how long a call can wait on a silo that vanished without its
    /// connections being reset. Cost: one small query per period per API node.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// For the API-only role: SQLite reaches the embedded silo's gateway on localhost; PostgreSQL finds the
    /// gateways in the membership table and refreshes that list often, so a dead silo's gateway is dropped quickly.
    /// Either way, a call still waiting when a gateway connection closes fails at once (<see cref="FailFastCallFilter"/>).
    /// </summary>
    public static IClientBuilder UseRiskMeshClientClustering(this IClientBuilder builder, DatabaseSettings db, ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(cluster);

        builder.Services.AddSingleton<GatewayLossSignal>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<GatewayLossSignal>());
        builder.AddOutgoingGrainCallFilter<FailFastCallFilter>();
        if (db.IsSqlite)
        {
            builder.UseLocalhostClustering(
                gatewayPort: cluster.GatewayPort,
                serviceId: cluster.ServiceId,
                clusterId: cluster.ClusterId);
            return builder;
        }

        RequirePostgres(db);
        builder.UseAdoNetClustering(options =>
        {
            options.Invariant = db.Invariant;
            options.ConnectionString = db.ConnectionString;
        });
        builder.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        builder.Configure<GatewayOptions>(options => options.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
        return builder;
    }

    /// <summary>
    /// The address a silo's listening sockets bind: loopback for the embedded silo; a cluster silo's advertised address
    /// when that is loopback, else any address (a pod or container IP may be NATed, so it listens on all).
    /// </summary>
    public static IPAddress ListenAddress(DatabaseSettings db, ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(cluster);
        if (db.IsSqlite)
        {
            return IPAddress.Loopback;
        }

        var advertised = ParseAdvertisedIp(cluster.AdvertisedIp);
        return IPAddress.IsLoopback(advertised) ? advertised : IPAddress.Any;
    }

    private static IPAddress ParseAdvertisedIp(string? advertisedIp)
    {
        if (string.IsNullOrWhiteSpace(advertisedIp))
        {
            return IPAddress.Loopback;
        }

        if (!IPAddress.TryParse(advertisedIp, out var address))
        {
            throw new ArgumentException($"Advertised IP '{advertisedIp}' is not an IP address.", nameof(advertisedIp));
        }

        return address;
    }

    private static void RequirePostgres(DatabaseSettings db)
    {
        if (!db.IsPostgres)
        {
            throw new ArgumentException($"Unsupported database invariant '{db.Invariant}'.", nameof(db));
        }
    }
}
