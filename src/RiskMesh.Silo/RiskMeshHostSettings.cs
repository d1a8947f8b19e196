using Microsoft.Extensions.Configuration;
using RiskMesh.Grains.Persistence;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.Silo;

/// <summary>The roles a process can play.</summary>
public enum HostRole
{
    /// <summary>Silo, HTTP API and dashboard in one process (the default).</summary>
    Both,

    /// <summary>A silo only: over HTTP it serves health, and the dashboard and metrics to operators; no API, no console.</summary>
    Silo,

    /// <summary>A stateless HTTP API that reaches the silos as an Orleans client.</summary>
    Api,
}

/// <summary>The host's settings, read from the <c>RiskMesh</c> configuration section and checked at start-up.</summary>
/// <param name="Tls">Mutual TLS on the Orleans silo and gateway ports; null (off) unless a certificate is configured.</param>
public sealed record RiskMeshHostSettings(HostRole Role, string DataDirectory, DatabaseSettings Database, ClusterSettings Cluster, bool ApplySchemaOnStart, TlsSettings? Tls = null)
{
    /// <summary>Every setting the host reads itself (outside the options classes).</summary>
    public static IReadOnlyList<string> SettingNames { get; } =
    [
        "RiskMesh:Role", "RiskMesh:DataDirectory", "RiskMesh:Database:Invariant", "RiskMesh:Database:ConnectionString",
        "RiskMesh:Database:ApplySchemaOnStart", "RiskMesh:SiloPort", "RiskMesh:GatewayPort", "RiskMesh:ClusterId",
        "RiskMesh:ServiceId", "RiskMesh:AdvertisedIp", "RiskMesh:SiloName", .. TlsSettings.SettingNames,
    ];

    /// <summary>The default HTTP address when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Reads and validates the settings; throws <see cref="InvalidSettingsException"/> naming each bad value.</summary>
    public static RiskMeshHostSettings From(IConfiguration configuration)
    {
        var problems = new List<string>();
        var settings = Read(configuration, problems);
        return settings is not null && problems.Count == 0 ? settings : throw new InvalidSettingsException(problems);
    }

    /// <summary>Reads the settings, adding a sentence to <paramref name="problems"/> for each bad value; null when any is bad.</summary>
    public static RiskMeshHostSettings? Read(IConfiguration configuration, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var section = configuration.GetSection("RiskMesh");
        var before = problems.Count;

        var roleText = section["Role"] ?? "both";
        if (!Enum.TryParse<HostRole>(roleText, ignoreCase: true, out var role))
        {
            problems.Add($"RiskMesh:Role must be both, silo or api, got '{roleText}'");
        }

        var dataDirectoryText = section["DataDirectory"] ?? "./data";
        var dataDirectory = "";
        if (string.IsNullOrWhiteSpace(dataDirectoryText) || dataDirectoryText.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            problems.Add($"RiskMesh:DataDirectory must be a directory path, got '{dataDirectoryText}'");
        }
        else
        {
            // Relative to the directory the host was started in (dotnet run keeps the caller's, see the project file).
            dataDirectory = Path.GetFullPath(dataDirectoryText);
        }

        var invariant = section["Database:Invariant"] ?? RiskMeshStorage.SqliteInvariant;
        var connectionString = section["Database:ConnectionString"];
        DatabaseSettings? database = null;
        if (invariant is not (RiskMeshStorage.SqliteInvariant or RiskMeshStorage.PostgresInvariant))
        {
            problems.Add($"RiskMesh:Database:Invariant must be {RiskMeshStorage.SqliteInvariant} or {RiskMeshStorage.PostgresInvariant}, got '{invariant}'");
        }
        else if (invariant == RiskMeshStorage.PostgresInvariant && string.IsNullOrWhiteSpace(connectionString))
        {
            problems.Add("RiskMesh:Database:ConnectionString is required for PostgreSQL");
        }
        else
        {
            database = string.IsNullOrWhiteSpace(connectionString)
                ? DatabaseSettings.ForSqliteFile(Path.Combine(dataDirectory, "riskmesh.db"))
                : DatabaseSettings.Create(invariant, connectionString);
        }

        var siloPort = Port(section, "SiloPort", ClusterSettings.DefaultSiloPort, problems);
        // The embedded host serves its API in-process and needs no gateway; an unauthenticated gateway would let any
        // local user call grains (the key directory among them), so it opens only when configured. 0 means none.
        var gatewayPort = section["GatewayPort"] is null && role == HostRole.Both
            ? ClusterSettings.NoGateway
            : Port(section, "GatewayPort", ClusterSettings.DefaultGatewayPort, problems);
        var siloName = section["SiloName"];
        if (siloName is not null && string.IsNullOrWhiteSpace(siloName))
        {
            problems.Add("RiskMesh:SiloName must name the silo (e.g. silo-1), got an empty value; leave it out for the machine's name");
        }

        var cluster = new ClusterSettings(
            section["ClusterId"] ?? "riskmesh",
            section["ServiceId"] ?? "riskmesh",
            siloPort,
            gatewayPort,
            section["AdvertisedIp"],
            string.IsNullOrWhiteSpace(siloName) ? null : siloName.Trim());
        bool? applySchemaSetting = null;
        if (section["Database:ApplySchemaOnStart"] is { } applyText)
        {
            if (bool.TryParse(applyText, out var apply))
            {
                applySchemaSetting = apply;
            }
            else
            {
                problems.Add($"RiskMesh:Database:ApplySchemaOnStart must be true or false, got '{applyText}'");
            }
        }

        var tls = TlsSettings.Read(configuration, problems);
        var applySchema = applySchemaSetting ?? database?.IsSqlite ?? true;
        return problems.Count > before || database is null
            ? null
            : new RiskMeshHostSettings(role, dataDirectory, database, cluster, applySchema, tls);
    }

    private static int Port(IConfigurationSection section, string key, int fallback, List<string> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        problems.Add($"RiskMesh:{key} must be a TCP port (1–65535), got '{text}'");
        return fallback;
    }
}
