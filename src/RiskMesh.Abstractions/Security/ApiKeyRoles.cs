using System.Collections.Immutable;

namespace RiskMesh.Abstractions.Security;

/// <summary>The roles an API key can carry.</summary>
public static class ApiKeyRoles
{
    /// <summary>Feeds ingest events.</summary>
    public const string Feed = "feed";

    /// <summary>Analysts read risk data.</summary>
    public const string Analyst = "analyst";

    /// <summary>City response teams read and acknowledge their own cities' notices.</summary>
    public const string Responder = "responder";

    /// <summary>Operators run the system: dashboard, clock, topology, plans.</summary>
    public const string Operator = "operator";

    /// <summary>Administrators may do everything, including managing keys.</summary>
    public const string Admin = "admin";

    /// <summary>Every role, in order of increasing reach.</summary>
    public static ImmutableArray<string> All { get; } = [Feed, Analyst, Responder, Operator, Admin];

    /// <summary>True if <paramref name="role"/> is exactly one of <see cref="All"/> (lower case).</summary>
    public static bool IsKnown(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
