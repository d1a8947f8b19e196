using System.Security.Claims;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>Claim types RiskMesh puts on an authenticated principal.</summary>
public static class RiskMeshClaimTypes
{
    /// <summary>The key's non-secret id (also the principal's name).</summary>
    public const string KeyId = "riskmesh:key-id";

    /// <summary>One claim per city a responder key may act for.</summary>
    public const string City = "riskmesh:city";

    /// <summary>The key's role, as the standard role claim so role-based policies work.</summary>
    public const string Role = ClaimTypes.Role;
}

/// <summary>Reads RiskMesh's claims from the principal of a request.</summary>
public static class RiskMeshPrincipal
{
    /// <summary>The key's role (one of <see cref="ApiKeyRoles.All"/>), or null when not authenticated.</summary>
    public static string? RiskMeshRole(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal is KeyPrincipal key ? key.Role : principal.FindFirst(RiskMeshClaimTypes.Role)?.Value;
    }

    /// <summary>True if the principal may act for <paramref name="cityId"/>: operators and admins for every city, responders for their key's cities.</summary>
    public static bool CanAccessCity(this ClaimsPrincipal principal, string cityId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.RiskMeshRole() switch
        {
            ApiKeyRoles.Admin or ApiKeyRoles.Operator => true,
            ApiKeyRoles.Responder => principal.HasClaim(RiskMeshClaimTypes.City, cityId),
            _ => false,
        };
    }

    /// <summary>The key's non-secret id, for records such as "acknowledged by"; throws if the principal was not authenticated by RiskMesh.</summary>
    public static string KeyId(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.FindFirst(RiskMeshClaimTypes.KeyId)?.Value
            ?? throw new InvalidOperationException("The request was not authenticated with a RiskMesh API key.");
    }

    /// <summary>The cities of a responder key (empty for other roles unless given at issue).</summary>
    public static IReadOnlyList<string> RiskMeshCities(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return [.. principal.FindAll(RiskMeshClaimTypes.City).Select(c => c.Value)];
    }

    internal static string? KeyIdOrNull(this ClaimsPrincipal principal) => principal.FindFirst(RiskMeshClaimTypes.KeyId)?.Value;

    internal static ClaimsPrincipal Create(ApiKeyInfo key, string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(RiskMeshClaimTypes.KeyId, key.Id),
            new(RiskMeshClaimTypes.Role, key.Role),
        };
        claims.AddRange(key.Cities.Select(city => new Claim(RiskMeshClaimTypes.City, city)));
        return new KeyPrincipal(new ClaimsIdentity(claims, authenticationType, RiskMeshClaimTypes.KeyId, RiskMeshClaimTypes.Role), key.Role);
    }

    // A key's principal has one identity with one role claim and is never changed after it is built (KeyPrincipals
    // shares it between requests), so a role check is one comparison instead of enumerating identities and claims on
    // every authorization.
    private sealed class KeyPrincipal(ClaimsIdentity identity, string keyRole) : ClaimsPrincipal(identity)
    {
        public string Role => keyRole;

        // The one identity, without the framework's selection (an enumerator per read), which every authorization reads.
        public override System.Security.Principal.IIdentity? Identity => identity;

        public override bool IsInRole(string role) => string.Equals(role, keyRole, StringComparison.Ordinal);
    }
}
