using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Npgsql;
using RiskMesh.Silo;
using RiskMesh.FunctionalTests.Hosting;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// What the host makes of environment variables, for checking deployment files against the code: each variable a
/// Dockerfile, compose file or manifest sets must be one the host reads, and read as the file means it.
/// </summary>
internal static class HostEnvironment
{
    /// <summary>The repository root (where RiskMesh.sln is).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The host's settings from environment variables, mapped as the environment provider maps them.</summary>
    public static RiskMeshHostSettings Read(IReadOnlyDictionary<string, string> environment)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)))
            .Build();
        return RiskMeshHostSettings.From(configuration);
    }

    /// <summary>Fails unless every variable is one the host reads and the settings show the value it was given.</summary>
    public static void AssertEveryVariableIsRead(IReadOnlyDictionary<string, string> environment, string where)
    {
        var settings = Read(environment);
        foreach (var (name, value) in environment)
        {
            var what = $"{where}: {name}={value}";
            switch (name)
            {
                case "RiskMesh__Role":
                    Assert.True(Enum.Parse<HostRole>(value, ignoreCase: true) == settings.Role, what);
                    break;
                case "RiskMesh__DataDirectory":
                    Assert.True(Path.GetFullPath(value) == settings.DataDirectory, what);
                    break;
                case "RiskMesh__SiloPort":
                    Assert.True(int.Parse(value) == settings.Cluster.SiloPort, what);
                    break;
                case "RiskMesh__GatewayPort":
                    Assert.True(int.Parse(value) == settings.Cluster.GatewayPort, what);
                    break;
                case "RiskMesh__ClusterId":
                    Assert.True(value == settings.Cluster.ClusterId, what);
                    break;
                case "RiskMesh__ServiceId":
                    Assert.True(value == settings.Cluster.ServiceId, what);
                    break;
                case "RiskMesh__AdvertisedIp":
                    Assert.True(value == settings.Cluster.AdvertisedIp, what);
                    break;
                case "RiskMesh__SiloName":
                    Assert.True(value == settings.Cluster.SiloName, what);
                    break;
                case "RiskMesh__Database__Invariant":
                    Assert.True(value == settings.Database.Invariant, what);
                    break;
                case "RiskMesh__Database__ConnectionString":
                    var given = new NpgsqlConnectionStringBuilder(value);
                    var used = new NpgsqlConnectionStringBuilder(settings.Database.ConnectionString);
                    Assert.True(given.Host == used.Host && given.Database == used.Database && given.Username == used.Username, what);
                    break;
                case "RiskMesh__Database__ApplySchemaOnStart":
                    Assert.True(bool.Parse(value) == settings.ApplySchemaOnStart, what);
                    break;
                case "RiskMesh__Tls__CertificatePath":
                    Assert.True(settings.Tls?.Certificate.Thumbprint == X509Certificate2.CreateFromPem(File.ReadAllText(value)).Thumbprint, what);
                    break;
                case "RiskMesh__Tls__KeyPath":
                    // The certificate loaded with its key from this file (a wrong file would have stopped the read).
                    Assert.True(settings.Tls?.Certificate.HasPrivateKey == true, what);
                    break;
                case "RiskMesh__Tls__CaPath":
                    Assert.True(settings.Tls?.Authority?.Thumbprint == X509Certificate2.CreateFromPem(File.ReadAllText(value)).Thumbprint, what);
                    break;
                case "RiskMesh__Tls__CertificatePassword":
                    Assert.True(settings.Tls is not null, what);
                    break;
                case "ASPNETCORE_URLS":
                    Assert.True(Uri.TryCreate(value.Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out _), what);
                    break;
                case RiskMeshTelemetry.OtlpEndpointKey:
                    Assert.True(Uri.TryCreate(value, UriKind.Absolute, out _), what);
                    break;
                case GarbageCollectorSettingsTests.Gen0SizeVariable:
                    // Read by the runtime, not the host: the same gen-0 budget `dotnet run` gives the host.
                    Assert.True(value == GarbageCollectorSettingsTests.LaunchEnvironment("src/RiskMesh.Silo")[name], what);
                    break;
                default:
                    Assert.Fail($"{what}: the host reads no such variable");
                    break;
            }
        }
    }

    /// <summary>The port of an ASP.NET Core URL such as <c>http://+:8080</c>.</summary>
    public static int PortOfUrl(string url) => new Uri(url.Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal)).Port;

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RiskMesh.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("RiskMesh.sln not found above " + AppContext.BaseDirectory);
    }
}
