using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>
/// The principal of a validated key, built once per key answer and authentication source instead of per request.
/// </summary>
/// <remarks>
/// Keyed by the <see cref="ApiKeyInfo"/> object that <see cref="ApiKeyValidator"/> hands out from its cache, weakly: a
/// principal lives as long as that answer does, and a new answer (the cache refreshed, the key reissued) gets a new
/// one. A revoked key gets no answer, so it never reaches this. The principals are only read after they are built
/// (RiskMesh adds no claims later and configures no claims transformation), so requests may share them.
/// </remarks>
internal sealed class KeyPrincipals
{
    private readonly ConditionalWeakTable<ApiKeyInfo, BySource> _principals = new();

    /// <summary>The principal for <paramref name="key"/> authenticated by <paramref name="source"/>.</summary>
    public ClaimsPrincipal For(ApiKeyInfo key, string source) => _principals.GetOrCreateValue(key).For(key, source);

    /// <summary>The successful result of authenticating <paramref name="key"/> from the X-Api-Key header, built once per answer.</summary>
    public AuthenticateResult HeaderResult(ApiKeyInfo key)
    {
        var bySource = _principals.GetOrCreateValue(key);
        return bySource.HeaderResult ??= AuthenticateResult.Success(new AuthenticationTicket(
            bySource.For(key, ApiKeyAuthenticationHandler.HeaderSource), ApiKeyAuthenticationHandler.SchemeName));
    }

    private sealed class BySource
    {
        public AuthenticateResult? HeaderResult { get; set; }

        private ClaimsPrincipal? _header;
        private ClaimsPrincipal? _basic;
        private ClaimsPrincipal? _session;

        public ClaimsPrincipal For(ApiKeyInfo key, string source) => source switch
        {
            ApiKeyAuthenticationHandler.BasicSource => _basic ??= RiskMeshPrincipal.Create(key, source),
            ApiKeyAuthenticationHandler.SessionSource => _session ??= RiskMeshPrincipal.Create(key, source),
            ApiKeyAuthenticationHandler.HeaderSource => _header ??= RiskMeshPrincipal.Create(key, source),
            _ => RiskMeshPrincipal.Create(key, source),
        };
    }
}
