using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>
/// The browser sign-in: <c>GET|POST /signin</c>; <c>POST /signout</c> (same-origin only) ends the session, and
/// <c>GET /signout</c> only shows a page with a button that posts it.
/// </summary>
internal static class SignInEndpoints
{
    /// <summary>Where a browser goes after signing in when it was not sent from a page.</summary>
    public const string DefaultReturnUrl = "/";

    /// <summary>The sign-in address that returns to <paramref name="returnUrl"/>; slashes are left readable.</summary>
    public static string SignInUrl(PathString pathBase, string returnUrl) =>
        $"{pathBase}/signin?returnUrl={Uri.EscapeDataString(returnUrl).Replace("%2F", "/", StringComparison.Ordinal)}";

    // The form holds a key and a return path: small bounds refuse a multi-megabyte value with a 400 instead of
    // buffering it (ASP.NET's defaults allow 4 MB a value and throw past it).
    private static readonly FormOptions SignInForm = new()
    {
        ValueCountLimit = 16,
        KeyLengthLimit = 256,
        ValueLengthLimit = 16 * 1024,
        BufferBodyLengthLimit = 64 * 1024,
        MultipartBodyLengthLimit = 64 * 1024,
    };

    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signin", SignInAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        app.MapGet("/signout", ShowSignOutAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", SignOut).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static Task ShowAsync(HttpContext context, IOptions<RiskMeshSecurityOptions> options)
    {
        var returnUrl = LocalOrDefault(context.Request.Query["returnUrl"].ToString(), context.Request.PathBase);
        return SignInPage.WriteAsync(context, SignInPage.RenderSignIn(context.Request.PathBase, returnUrl, error: null, options.Value.SessionLifetime));
    }

    private static async Task SignInAsync(
        HttpContext context,
        ApiKeyValidator validator,
        SessionCookie session,
        FailedAuthenticationLimiter limiter,
        TimeProvider time,
        IOptions<RiskMeshSecurityOptions> options,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SignInEndpoints).FullName!);
        var request = context.Request;
        var remote = context.Connection.RemoteIpAddress?.ToString();

        // No session exists before sign-in, so the SameSite cookie cannot protect this form; refusing cross-site posts
        // stops another site from signing a browser in with the attacker's key (login CSRF).
        if (IsCrossSite(request))
        {
            SecurityLog.CrossSiteSignInRefused(logger, remote, request.Headers["Sec-Fetch-Site"].ToString(), request.Headers.Origin.ToString());
            await TypedResults.Problem("Sign-in forms must be posted from this site.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
            return;
        }

        if (!request.HasFormContentType)
        {
            await TypedResults.Problem("Post the sign-in form as application/x-www-form-urlencoded with a 'key' field.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type").ExecuteAsync(context);
            return;
        }

        if (ApiKeyAuthenticationHandler.IsBlocked(context, limiter))
        {
            await ApiKeyAuthenticationHandler.TryRefuseRateLimitedAsync(context, LocalOrDefault(null, request.PathBase));
            return;
        }

        IFormCollection form;
        try
        {
            // Malformed multipart ends in an IOException, oversized values in InvalidDataException: both are the client's.
            form = await request.ReadFormAsync(SignInForm, context.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            await TypedResults.Problem($"The sign-in form could not be read: {ex.Message} It takes a 'key' and a 'returnUrl' of a few hundred characters.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid sign-in form").ExecuteAsync(context);
            return;
        }

        var returnUrl = LocalOrDefault(form["returnUrl"].ToString(), request.PathBase);
        var key = form["key"].ToString().Trim();
        var info = await validator.ValidateAsync(key);
        if (info is null)
        {
            SecurityLog.SignInRefused(logger, remote);
            if (ApiKeyAuthenticationHandler.RecordFailure(context, limiter))
            {
                await ApiKeyAuthenticationHandler.TryRefuseRateLimitedAsync(context, returnUrl);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            var error = key.Length == 0 ? "Enter an API key." : "That key is not valid, or it has been revoked.";
            await SignInPage.WriteAsync(context, SignInPage.RenderSignIn(request.PathBase, returnUrl, error, options.Value.SessionLifetime));
            return;
        }

        session.Issue(context, key, time.GetUtcNow());
        SecurityLog.SignedIn(logger, info.Id, info.Role);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = returnUrl;
    }

    private static Task ShowSignOutAsync(HttpContext context) =>
        SignInPage.WriteAsync(context, SignInPage.RenderSignOut(context.Request.PathBase));

    private static async Task<IResult> SignOut(HttpContext context, SessionCookie session, IGrainFactory grains, TimeProvider time, ILoggerFactory loggers)
    {
        // The SameSite cookie is not sent with a cross-site post, but the answer's Set-Cookie would still delete it:
        // another site could sign a browser out (logout CSRF). Only RiskMesh's own pages, or a program, may.
        if (CrossSiteRequests.IsCrossSite(context.Request))
        {
            SecurityLog.CrossSiteSignOutRefused(
                loggers.CreateLogger(typeof(SignInEndpoints).FullName!),
                context.Connection.RemoteIpAddress?.ToString(),
                context.Request.Headers["Sec-Fetch-Site"].ToString(),
                context.Request.Headers.Origin.ToString());
            return TypedResults.Problem("Sign-out must be posted from RiskMesh's own pages.", statusCode: StatusCodes.Status403Forbidden, title: "Cross-site sign-out refused");
        }

        // The session ends on the server, not only in this browser: a copy of the cookie stops working too.
        if (context.Request.Cookies.TryGetValue(SessionCookie.Name, out var cookie) && !string.IsNullOrEmpty(cookie)
            && session.Read(cookie, time.GetUtcNow()) is { } current)
        {
            await grains.GetGrain<IBrowserSessionGrain>(current.SessionId).End();
            if (context.User.KeyIdOrNull() is { } keyId)
            {
                SecurityLog.SignedOut(loggers.CreateLogger(typeof(SignInEndpoints).FullName!), keyId);
            }
        }

        SessionCookie.Delete(context);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(SignInUrl(context.Request.PathBase, $"{context.Request.PathBase}{DefaultReturnUrl}"));
    }

    private static bool IsCrossSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite is not ("same-origin" or "none");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            // Programs and old browsers send neither header; a program holding a key gains nothing from a forged sign-in.
            return false;
        }

        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static string LocalOrDefault(string? returnUrl, PathString pathBase)
    {
        // Only same-site paths: "//host" and "/\host" would leave the site (open redirect).
        if (!string.IsNullOrEmpty(returnUrl) && returnUrl[0] == '/'
            && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\'))
            && !returnUrl.Any(char.IsControl))
        {
            return AsciiOnly(returnUrl);
        }

        return $"{pathBase}{DefaultReturnUrl}";
    }

    /// <summary>
    /// Percent-encodes every character outside printable ASCII as UTF-8: the path becomes a <c>Location</c> header, and
    /// a header with "/städte" or a lone surrogate in it makes Kestrel throw.
    /// </summary>
    private static string AsciiOnly(string path)
    {
        if (path.All(c => c is >= ' ' and <= '~'))
        {
            return path;
        }

        var builder = new StringBuilder(path.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        var index = 0;
        while (index < path.Length)
        {
            if (path[index] is >= ' ' and <= '~')
            {
                builder.Append(path[index++]);
                continue;
            }

            // A lone surrogate decodes as the replacement character rather than failing.
            Rune.DecodeFromUtf16(path.AsSpan(index), out var rune, out var consumed);
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            index += consumed;
        }

        return builder.ToString();
    }
}
