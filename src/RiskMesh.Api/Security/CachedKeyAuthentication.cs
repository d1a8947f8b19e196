using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using System.Security.Claims;

namespace RiskMesh.Api.Security;

/// <summary>
/// Authenticates a request whose single <c>X-Api-Key</c> header holds a key the cache already knows to be valid,
/// without the framework's per-request authentication machinery (a scoped authentication service, a handler instance
/// per request, a new ticket and result). Everything else (no header, several, a key not cached or not valid, a
/// blocked address, Basic, the session cookie) goes through <see cref="ApiKeyAuthenticationHandler"/> as before.
/// </summary>
/// <remarks>
/// The answer is the one the handler would give for the same header: the header wins over every other credential
/// there, a blocked address is left to the handler (which answers 429), and the principal is the same shared object
/// (<see cref="KeyPrincipals"/>). Challenges and 403s still go through the handler, which reads the user set here.
/// </remarks>
internal sealed class CachedKeyAuthentication(ApiKeyValidator validator, FailedAuthenticationLimiter limiter, KeyPrincipals principals)
{
    /// <summary>True when the request is now authenticated; false when the authentication middleware must run.</summary>
    public bool TryAuthenticate(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(ApiKeyAuthenticationHandler.HeaderName, out var values) || values.Count != 1)
        {
            return false;
        }

        var key = values[0]?.Trim();
        if (string.IsNullOrEmpty(key) || !validator.TryGetCachedValid(key, out var info))
        {
            return false;
        }

        if (limiter.AnyBlocked && limiter.RetryAfter(FailedAuthenticationLimiter.AddressOf(context.Connection.RemoteIpAddress)) is not null)
        {
            return false;
        }

        // What the authentication middleware leaves behind (context.User reads it), so authorization reads this result
        // as it would read its own.
        var features = new AuthenticatedFeatures(principals.HeaderResult(info));
        context.Features.Set<IHttpAuthenticationFeature>(features);
        context.Features.Set<IAuthenticateResultFeature>(features);
        return true;
    }

    /// <summary>
    /// The principal this fast path authenticated the request with, while it is still the request's user (nothing
    /// replaced the user or the result since); null for a request authenticated any other way.
    /// </summary>
    public static ClaimsPrincipal? PrincipalOf(HttpContext context) =>
        context.Features.Get<IAuthenticateResultFeature>() is AuthenticatedFeatures { AuthenticateResult: { Succeeded: true, Principal: { } principal } } features
        && ReferenceEquals(features.User, principal)
            ? principal
            : null;

    // Mirrors the framework's own pair of features: setting one of user and result keeps the other consistent.
    private sealed class AuthenticatedFeatures(AuthenticateResult result) : IHttpAuthenticationFeature, IAuthenticateResultFeature
    {
        private ClaimsPrincipal? _user = result.Principal;
        private AuthenticateResult? _result = result;

        public AuthenticateResult? AuthenticateResult
        {
            get => _result;
            set
            {
                _result = value;
                _user = value?.Principal;
            }
        }

        public ClaimsPrincipal? User
        {
            get => _user;
            set
            {
                _user = value;
                _result = null;
            }
        }
    }
}
