using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using RiskMesh.Api.Security;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Where the ASP.NET data-protection key ring lives: it encrypts browser session cookies (API nodes) and webhook
/// secrets at rest (silos), so every node of a deployment must read the same ring, and it must survive restarts:
/// PostgreSQL in a cluster, a directory in the embedded host.
/// </summary>
public static class KeyRingSetup
{
    /// <summary>The setting naming a key ring directory.</summary>
    public const string DirectorySetting = RiskMeshSecurityOptions.Section + ":" + nameof(RiskMeshSecurityOptions.KeyRingDirectory);

    /// <summary>
    /// On PostgreSQL (a cluster): the ring is the <see cref="PostgresKeyRing"/> table, shared by every silo and API node
    /// of the service; keys found in <c>RiskMesh:Security:KeyRingDirectory</c> (or <c>&lt;data directory&gt;/dataprotection-keys</c>)
    /// are imported into it once. On SQLite (embedded): the ring stays in that directory (owner-only). Either way under
    /// RiskMesh's application name, whatever the role.
    /// </summary>
    public static IServiceCollection AddRiskMeshKeyRing(this IServiceCollection services, IConfiguration configuration, RiskMeshHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);

        // Never the default (~/.aspnet, per user and per machine): sessions and webhook secrets must survive restarts
        // and move with the data.
        var configured = configuration[DirectorySetting];
        var directory = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(settings.DataDirectory, RiskMeshSecurityOptions.DefaultKeyRingFolder)
            : Path.GetFullPath(configured);
        var dataProtection = services.AddDataProtection().SetApplicationName(RiskMeshSecurityExtensions.DataProtectionApplicationName);
        if (settings.Database.IsPostgres)
        {
            services.AddSingleton(sp => new PostgresKeyRing(
                settings.Database.ConnectionString,
                settings.Cluster.ServiceId,
                directory,
                sp.GetRequiredService<ILogger<PostgresKeyRing>>()));
            services.AddOptions<KeyManagementOptions>()
                .Configure<PostgresKeyRing>((options, ring) => options.XmlRepository = ring);
            return services;
        }

        PrivateFiles.EnsureDirectory(directory);
        dataProtection.PersistKeysToFileSystem(new DirectoryInfo(directory));
        return services;
    }
}
