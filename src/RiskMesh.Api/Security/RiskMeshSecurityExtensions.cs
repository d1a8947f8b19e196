using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Webhooks;

namespace RiskMesh.Api.Security;

/// <summary>Wires RiskMesh's API key authentication, role policies, browser sign-in and key endpoints into a web app.</summary>
public static class RiskMeshSecurityExtensions
{
    /// <summary>The name of RiskMesh's single authentication scheme.</summary>
    public const string AuthenticationScheme = ApiKeyAuthenticationHandler.SchemeName;

    /// <summary>
    /// Registers the authentication scheme (header, Basic, session cookie), the role policies of <see cref="RiskMeshPolicies"/>,
    /// the key cache and data protection for session cookies and webhook secrets, its key ring in
    /// <c>RiskMesh:Security:KeyRingDirectory</c> or else <c>&lt;data directory&gt;/dataprotection-keys</c>.
    /// </summary>
    public static IServiceCollection AddRiskMeshSecurity(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        services.AddOptions<RiskMeshSecurityOptions>()
            .Bind(configuration.GetSection(RiskMeshSecurityOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiKeyValidator>();
        services.TryAddSingleton<SessionCookie>();
        services.TryAddSingleton<FailedAuthenticationLimiter>();

        // The API checks webhook addresses before it hands them to a silo, so it reads the same policy setting.
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));

        // Replaces the host's context factory: the hosting layer logs each request's URL before any middleware runs,
        // so a key sent as ?key=… is redacted as the context is created (and the request refused with 400).
        services.AddSingleton<IHttpContextFactory>(sp => new QueryStringSecrets(ActivatorUtilities.CreateInstance<DefaultHttpContextFactory>(sp)));

        // Never the default (~/.aspnet, per user and per machine): sessions and webhook secrets must survive restarts
        // and move with the data, and in a cluster every node must read the same ring (a shared KeyRingDirectory).
        var configured = configuration[$"{RiskMeshSecurityOptions.Section}:{nameof(RiskMeshSecurityOptions.KeyRingDirectory)}"];
        var keyRing = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Path.GetFullPath(dataDirectory), RiskMeshSecurityOptions.DefaultKeyRingFolder)
            : Path.GetFullPath(configured);
        PrivateFiles.EnsureDirectory(keyRing);
        services.AddDataProtection()
            .SetApplicationName("RiskMesh")
            .PersistKeysToFileSystem(new DirectoryInfo(keyRing));

        services.AddAuthentication(AuthenticationScheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(AuthenticationScheme, displayName: "RiskMesh API key", configureOptions: null);

        services.AddAuthorization(options =>
        {
            foreach (var (policy, roles) in RiskMeshPolicies.Roles)
            {
                // No scheme list on the policy: the middleware has already authenticated with the default scheme, once.
                options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
            }
        });

        return services;
    }

    /// <summary>
    /// Adds authentication and authorization to the pipeline and maps <c>/signin</c>, <c>/signout</c> and <c>/api/v1/keys</c>.
    /// Call it before mapping endpoints that require policies.
    /// </summary>
    public static WebApplication UseRiskMeshSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (await QueryStringSecrets.RefuseAsync(context))
            {
                SecurityLog.KeyInQueryStringRefused(Logger(context), context.Connection.RemoteIpAddress?.ToString());
                return;
            }

            await next(context);
        });
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // Only credentials a browser attaches by itself can be abused from another site; the X-Api-Key header cannot.
            var source = context.User.Identity is { IsAuthenticated: true } identity ? identity.AuthenticationType : null;
            if (source is ApiKeyAuthenticationHandler.SessionSource or ApiKeyAuthenticationHandler.BasicSource
                && CrossSiteRequests.ChangesState(context.Request.Method)
                && CrossSiteRequests.IsCrossSite(context.Request))
            {
                SecurityLog.CrossSiteRequestRefused(
                    Logger(context),
                    context.Request.Method,
                    context.Connection.RemoteIpAddress?.ToString(),
                    source,
                    context.Request.Headers["Sec-Fetch-Site"].ToString(),
                    context.Request.Headers.Origin.ToString());
                await TypedResults.Problem(
                    "Requests that change something and are signed in by the browser (session cookie or HTTP Basic) must come from RiskMesh's own pages; programs send the X-Api-Key header.",
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Cross-site request refused").ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.UseAuthorization();
        app.MapSignInEndpoints();
        app.MapApiKeyEndpoints();
        return app;
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RiskMeshSecurityExtensions).FullName!);
}
