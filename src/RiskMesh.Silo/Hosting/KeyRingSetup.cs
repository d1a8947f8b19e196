using Microsoft.AspNetCore.DataProtection;
using RiskMesh.Api.Security;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Where the ASP.NET data-protection key ring lives: it encrypts browser session cookies (API nodes) and webhook
/// secrets at rest (silos), so every node of a deployment must read the same ring, and it must survive restarts.
/// </summary>
public static class KeyRingSetup
{
    /// <summary>The setting naming a key ring directory.</summary>
    public const string DirectorySetting = RiskMeshSecurityOptions.Section + ":" + nameof(RiskMeshSecurityOptions.KeyRingDirectory);

    /// <summary>
    /// Keeps the ring in <c>RiskMesh:Security:KeyRingDirectory</c>, or else in <c>&lt;data directory&gt;/dataprotection-keys</c>
    /// (owner-only), under RiskMesh's application name whatever the role.
    /// </summary>
    public static IServiceCollection AddRiskMeshKeyRing(this IServiceCollection services, IConfiguration configuration, RiskMeshHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);

        // Never the default (~/.aspnet, per user and per machine): sessions and webhook secrets must survive restarts
        // and move with the data.
        var configured = configuration[DirectorySetting];
        var keyRing = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(settings.DataDirectory, RiskMeshSecurityOptions.DefaultKeyRingFolder)
            : Path.GetFullPath(configured);
        PrivateFiles.EnsureDirectory(keyRing);
        services.AddDataProtection()
            .SetApplicationName(RiskMeshSecurityExtensions.DataProtectionApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        return services;
    }
}
