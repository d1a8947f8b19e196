using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>The browser session: an encrypted, authenticated cookie holding the key, a random session id and the session's expiry.</summary>
/// <remarks>
/// Sign-out ends the session id server-side (<see cref="IBrowserSessionGrain"/>), so a copy of the cookie stops working too.
/// 
/// The key itself (not its hash, not its claims) is inside, so every request re-validates it and a revoked key ends its
/// sessions; a copy of the stored hashes plus the data-protection key ring is still not enough to forge a session.
/// </remarks>
internal sealed class SessionCookie
{
    /// <summary>The cookie's name.</summary>
    public const string Name = "riskmesh.session";

    // v2 added the session id; v1 cookies (no id, so they could not be ended) no longer read and ask for a new sign-in.
    private const string Purpose = "RiskMesh.Session.v2";

    private readonly IDataProtector _protector;
    private readonly TimeSpan _lifetime;

    public SessionCookie(IDataProtectionProvider dataProtection, IOptions<RiskMeshSecurityOptions> options)
    {
        _protector = dataProtection.CreateProtector(Purpose);
        _lifetime = options.Value.SessionLifetime;
    }

    /// <summary>Starts a new session for <paramref name="key"/> on the response.</summary>
    public void Issue(HttpContext context, string key, DateTimeOffset now) =>
        Issue(context, key, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), now);

    /// <summary>Extends session <paramref name="sessionId"/> of <paramref name="key"/> on the response.</summary>
    public void Issue(HttpContext context, string key, string sessionId, DateTimeOffset now)
    {
        var expires = now + _lifetime;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Session(key, sessionId, expires.ToUnixTimeSeconds()));
        var value = Base64Url.EncodeToString(_protector.Protect(payload));
        context.Response.Cookies.Append(Name, value, Options(context, expires));
    }

    /// <summary>Removes the session cookie from the browser.</summary>
    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, expires: null));

    /// <summary>The key and id of a current session, and whether it is past half its life and should be extended; null if the cookie is invalid or expired.</summary>
    public (string Key, string SessionId, bool Renew)? Read(string cookie, DateTimeOffset now)
    {
        Session? session;
        try
        {
            session = JsonSerializer.Deserialize<Session>(_protector.Unprotect(Base64Url.DecodeFromChars(cookie)));
        }
        catch (Exception e) when (e is FormatException or CryptographicException or JsonException)
        {
            return null;
        }

        if (session is null || string.IsNullOrEmpty(session.Key) || string.IsNullOrEmpty(session.Id))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(session.Expires);
        if (expires <= now)
        {
            return null;
        }

        return (session.Key, session.Id, expires - now < _lifetime / 2);
    }

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        Path = "/",
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,

        // Over plain HTTP (the loopback default) a Secure cookie would never come back, so follow the request.
        Secure = context.Request.IsHttps,
        IsEssential = true,
        Expires = expires,
    };

    private sealed record Session(string Key, string Id, long Expires);
}
