using System.ComponentModel.DataAnnotations;

namespace RiskMesh.Api.Security;

/// <summary>Settings of API key authentication and browser sessions, bound from <c>RiskMesh:Security</c>.</summary>
public sealed class RiskMeshSecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RiskMesh:Security";

    /// <summary>How long a browser session lasts without activity (sliding); default 8 hours.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a validated key is trusted before it is looked up again; default 30 seconds. A revocation reaches every
    /// node at once regardless; this bounds it only for a node the key directory could not tell (it also clears its
    /// cache when it next renews its subscription, within seconds).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most key lookups kept in memory, valid or not; default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int KeyCacheSize { get; set; } = 10_000;

    /// <summary>Failed authentications one client address may make per <see cref="FailedAuthenticationWindow"/> before it gets 429; default 20.</summary>
    [Range(1, 100_000)]
    public int FailedAuthenticationLimit { get; set; } = 20;

    /// <summary>The window of <see cref="FailedAuthenticationLimit"/>, also the longest a blocked address waits; default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The ASP.NET data-protection key ring's folder name inside the data directory, when <see cref="KeyRingDirectory"/> is not set.</summary>
    public const string DefaultKeyRingFolder = "dataprotection-keys";

    /// <summary>
    /// Where the data-protection key ring (sessions, webhook secrets) lives on SQLite (the embedded host); default
    /// <c>&lt;data directory&gt;/dataprotection-keys</c>. On PostgreSQL the ring lives in the database, shared by every
    /// node, and keys found in this directory are imported into it once.
    /// </summary>
    public string? KeyRingDirectory { get; set; }
}
