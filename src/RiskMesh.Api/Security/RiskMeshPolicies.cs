using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>Authorization policy names; each admits the roles that may do that kind of work.</summary>
public static class RiskMeshPolicies
{
    /// <summary>Ingest events: feed or admin.</summary>
    public const string Feed = "feed";

    /// <summary>
    /// Read what is public to every key holder, the topology (names of ports, cities, provinces, countries): any role.
    /// The console names entities for every role with it; a feed needs it to know the ids it may send.
    /// </summary>
    public const string AnyRole = "any-role";

    /// <summary>Read risk data: analyst, operator or admin.</summary>
    public const string Analyst = "analyst";

    /// <summary>City notices: responder, operator or admin; endpoints also check <see cref="RiskMeshPrincipal.CanAccessCity"/>.</summary>
    public const string Responder = "responder";

    /// <summary>
    /// Read one city's or one port's view, explanation and history: analyst, operator or admin, or a responder of that
    /// city, or of the port's city (<see cref="CityScope"/>).
    /// </summary>
    public const string CityReader = "city-reader";

    /// <summary>Run the system (dashboard, clock, topology, plans): operator or admin.</summary>
    public const string Operator = "operator";

    /// <summary>Manage keys: admin only.</summary>
    public const string Admin = "admin";

    /// <summary>The roles each policy admits.</summary>
    internal static IReadOnlyDictionary<string, string[]> Roles { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [AnyRole] = [ApiKeyRoles.Feed, ApiKeyRoles.Analyst, ApiKeyRoles.Responder, ApiKeyRoles.Operator, ApiKeyRoles.Admin],
        [Feed] = [ApiKeyRoles.Feed, ApiKeyRoles.Admin],
        [Analyst] = [ApiKeyRoles.Analyst, ApiKeyRoles.Operator, ApiKeyRoles.Admin],
        [Responder] = [ApiKeyRoles.Responder, ApiKeyRoles.Operator, ApiKeyRoles.Admin],
        [CityReader] = [ApiKeyRoles.Analyst, ApiKeyRoles.Responder, ApiKeyRoles.Operator, ApiKeyRoles.Admin],
        [Operator] = [ApiKeyRoles.Operator, ApiKeyRoles.Admin],
        [Admin] = [ApiKeyRoles.Admin],
    };
}
