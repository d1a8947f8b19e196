using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>Options of the RiskMesh authentication scheme (nothing beyond the defaults).</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// The one RiskMesh authentication scheme: an API key from the <c>X-Api-Key</c> header, else the password of HTTP Basic,
/// else the browser session cookie. Failures answer with ProblemDetails.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler : AuthenticationHandler<ApiKeyAuthenticationOptions>
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "RiskMeshApiKey";

    /// <summary>The request header that carries a key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The authentication type of a principal authenticated by the session cookie.</summary>
    public const string SessionSource = "session";

    /// <summary>The authentication type of a principal authenticated by the <see cref="HeaderName"/> header.</summary>
    public const string HeaderSource = "header";

    /// <summary>The authentication type of a principal authenticated by HTTP Basic.</summary>
    public const string BasicSource = "basic";

    /// <summary>The challenge, so browsers prompt for credentials.</summary>
    public const string BasicChallenge = "Basic realm=\"RiskMesh\", charset=\"UTF-8\"";

    private const string InvalidKey = "The API key is not valid or has been revoked.";

    // Set on the request when its address has failed too often: the challenge then answers 429 with this wait.
    private static readonly object RetryAfterItem = new();

    private readonly ApiKeyValidator _validator;
    private readonly SessionCookie _session;
    private readonly FailedAuthenticationLimiter _limiter;
    private readonly FailedAuthenticationLog _failures;
    private readonly IGrainFactory _grains;
    private readonly KeyPrincipals _principals;

    public ApiKeyAuthenticationHandler(
        IOptionsMonitor<ApiKeyAuthenticationOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        ApiKeyValidator validator,
        SessionCookie session,
        FailedAuthenticationLimiter limiter,
        FailedAuthenticationLog failures,
        IGrainFactory grains,
        KeyPrincipals principals)
        : base(options, logger, encoder)
    {
        _principals = principals;
        _validator = validator;
        _session = session;
        _limiter = limiter;
        _failures = failures;
        _grains = grains;
    }

    /// <summary>What a person reads when the address is refused for a while (the sign-in page, the console and the CLI say it alike).</summary>
    public static string TooManyFailures(int seconds) => $"Too many failed key attempts from this address; try again in {seconds} s.";

    /// <summary>
    /// Answers 429 with <c>Retry-After</c> when the request's address is past the failed-authentication limit; false
    /// otherwise. A browser's page or sign-in form (<paramref name="signInReturnUrl"/> given) gets the sign-in page
    /// saying so, not the ProblemDetails JSON a program reads, which a browser showed raw (newcomer 13).
    /// </summary>
    public static async Task<bool> TryRefuseRateLimitedAsync(HttpContext context, string? signInReturnUrl = null)
    {
        if (context.Items[RetryAfterItem] is not TimeSpan wait)
        {
            return false;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (signInReturnUrl is not null)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            var lifetime = context.RequestServices.GetRequiredService<IOptions<RiskMeshSecurityOptions>>().Value.SessionLifetime;
            await SignInPage.WriteAsync(context, SignInPage.RenderSignIn(context.Request.PathBase, signInReturnUrl, TooManyFailures(seconds), lifetime));
            return true;
        }

        await TypedResults.Problem(
            $"Too many failed authentications from this address: try again in {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests").ExecuteAsync(context);
        return true;
    }

    /// <summary>Records a failed authentication of the request's address (also used by the sign-in form); true when it is now blocked.</summary>
    public static bool RecordFailure(HttpContext context, FailedAuthenticationLimiter limiter)
    {
        var address = FailedAuthenticationLimiter.AddressOf(context.Connection.RemoteIpAddress);
        if (limiter.RetryAfter(address) is { } blocked)
        {
            context.Items[RetryAfterItem] = blocked;
            return true;
        }

        if (limiter.Failed(address) is { } wait)
        {
            SecurityLog.AuthenticationRateLimited(
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyAuthenticationHandler).FullName!), address, wait);
            context.Items[RetryAfterItem] = wait;
            return true;
        }

        return false;
    }

    /// <summary>True (and the request marked for 429) when the request's address is blocked already, before any lookup.</summary>
    public static bool IsBlocked(HttpContext context, FailedAuthenticationLimiter limiter)
    {
        var address = FailedAuthenticationLimiter.AddressOf(context.Connection.RemoteIpAddress);
        if (limiter.RetryAfter(address) is not { } wait)
        {
            return false;
        }

        context.Items[RetryAfterItem] = wait;
        return true;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers.ContainsKey(HeaderName) || Request.Headers.Authorization.Count > 0 || Request.Cookies.ContainsKey(SessionCookie.Name);
        if (presented && IsBlocked(Context, _limiter))
        {
            // No lookup at all: a blocked address costs neither a grain call nor a database read.
            return AuthenticateResult.Fail("Too many failed authentications from this address.");
        }

        if (Request.Headers.TryGetValue(HeaderName, out var headerValues))
        {
            if (headerValues.Count != 1)
            {
                return Fail($"Send exactly one {HeaderName} header.");
            }

            return await AuthenticateKeyAsync(headerValues[0]?.Trim(), HeaderSource);
        }

        var authorization = Request.Headers.Authorization;
        if (authorization.Count > 0 && AuthenticationHeaderValue.TryParse(authorization.ToString(), out var parsed)
            && string.Equals(parsed.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            var password = BasicPassword(parsed.Parameter);
            return password is null
                ? Fail("The Basic credentials are malformed: send base64 of 'user:key'.")
                : await AuthenticateKeyAsync(password, BasicSource);
        }

        if (Request.Cookies.TryGetValue(SessionCookie.Name, out var cookie) && !string.IsNullOrEmpty(cookie))
        {
            var now = TimeProvider.GetUtcNow();
            var session = _session.Read(cookie, now);
            if (session is null)
            {
                SessionCookie.Delete(Context);
                return Fail("The session has expired: sign in again.");
            }

            if (await _grains.GetGrain<IBrowserSessionGrain>(session.Value.SessionId).IsEnded())
            {
                SessionCookie.Delete(Context);
                return Fail("The session has ended (signed out): sign in again.");
            }

            var result = await AuthenticateKeyAsync(session.Value.Key, SessionSource);
            if (!result.Succeeded)
            {
                SessionCookie.Delete(Context);
            }
            else if (session.Value.Renew && !Response.HasStarted)
            {
                _session.Issue(Context, session.Value.Key, session.Value.SessionId, now);
            }

            return result;
        }

        return AuthenticateResult.NoResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var browserArea = BrowserArea();
        var returnUrl = browserArea is null
            ? null
            : Request.Path.Equals(browserArea.RootPath, StringComparison.OrdinalIgnoreCase)
                ? $"{Request.PathBase}{browserArea.RootPath}/"
                : $"{Request.PathBase}{Request.Path}{Request.QueryString}";
        if (await TryRefuseRateLimitedAsync(Context, returnUrl))
        {
            return;
        }

        if (returnUrl is not null)
        {
            Response.Redirect(SignInEndpoints.SignInUrl(Request.PathBase, returnUrl));
            return;
        }

        Response.Headers.WWWAuthenticate = BasicChallenge;
        var detail = result.Failure?.Message
            ?? $"Send an API key in the {HeaderName} header, or as the password of HTTP Basic authentication.";
        await TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.RiskMeshRole() ?? "none";
        var policies = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy)
            .OfType<string>()
            .Where(RiskMeshPolicies.Roles.ContainsKey)
            .ToList() ?? [];
        var allowed = policies.SelectMany(p => RiskMeshPolicies.Roles[p]).Distinct(StringComparer.Ordinal).ToList();
        var detail = allowed.Count > 0
            ? $"This key's role '{role}' may not do this; it needs one of: {string.Join(", ", allowed)}."
            : $"This key's role '{role}' may not do this.";

        if (BrowserArea() is not null)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            await SignInPage.WriteAsync(Context, SignInPage.RenderForbidden(Request.PathBase, Context.User.KeyIdOrNull(), detail));
            return;
        }

        await TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(Context);
    }

    private async Task<AuthenticateResult> AuthenticateKeyAsync(string? key, string source)
    {
        if (string.IsNullOrEmpty(key))
        {
            return Fail("The API key is empty.");
        }

        var info = await _validator.ValidateAsync(key);
        if (info is null)
        {
            return Fail(InvalidKey);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(_principals.For(info, source), Scheme.Name));
    }

    private AuthenticateResult Fail(string reason)
    {
        SecurityLog.AuthenticationFailed(Logger, reason);
        // A key that was sent and refused is worth an operator's eye (a feed with a revoked key, someone guessing);
        // an expired browser session is routine and stays at Debug.
        if (Request.Headers.ContainsKey(HeaderName) || Request.Headers.Authorization.Count > 0)
        {
            _failures.Failed(FailedAuthenticationLimiter.AddressOf(Context.Connection.RemoteIpAddress), reason);
        }

        RecordFailure(Context, _limiter);
        return AuthenticateResult.Fail(reason);
    }

    private BrowserSignInMetadata? BrowserArea()
    {
        var metadata = Context.GetEndpoint()?.Metadata.GetMetadata<BrowserSignInMetadata>();
        if (metadata is null || !HttpMethods.IsGet(Request.Method))
        {
            return null;
        }

        // Only page navigations are redirected; the page's own data requests keep getting 401s they can handle.
        var accept = Request.Headers.Accept.ToString();
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase) ? metadata : null;
    }

    private static string? BasicPassword(string? parameter)
    {
        if (string.IsNullOrEmpty(parameter))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : decoded[(colon + 1)..];
    }
}
