using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RiskMesh.Abstractions.Webhooks;

namespace RiskMesh.Api.Security;

/// <summary>Wires RiskMesh's API key authentication, role policies, browser sign-in and key endpoints into a web app.</summary>
public static class RiskMeshSecurityExtensions
{
    /// <summary>The name of RiskMesh's single authentication scheme.</summary>
    public const string AuthenticationScheme = ApiKeyAuthenticationHandler.SchemeName;

    /// <summary>The data-protection application name every RiskMesh node uses.</summary>
    public const string DataProtectionApplicationName = "RiskMesh";

    /// <summary>
    /// Registers the authentication scheme (header, Basic, session cookie), the role policies of <see cref="RiskMeshPolicies"/>,
    /// the key cache and data protection for session cookies (application name <see cref="DataProtectionApplicationName"/>).
    /// Where the key ring is kept is the host's choice: it must be shared by every node and survive restarts.
    /// </summary>
    public static IServiceCollection AddRiskMeshSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<RiskMeshSecurityOptions>()
            .Bind(configuration.GetSection(RiskMeshSecurityOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiKeyValidator>();
        services.TryAddSingleton<KeyPrincipals>();
        services.TryAddSingleton<CachedKeyAuthentication>();
        services.TryAddSingleton<CachedKeyAuthorization>();
        services.TryAddSingleton<SessionCookie>();
        services.TryAddSingleton<FailedAuthenticationLimiter>();
        services.TryAddSingleton<FailedAuthenticationLog>();
        if (!services.Any(d => d.ServiceType == typeof(KeyRevocationListener)))
        {
            services.AddSingleton<KeyRevocationListener>();
            services.AddHostedService(sp => sp.GetRequiredService<KeyRevocationListener>());
        }

        // The API checks webhook addresses before it hands them to a silo, so it reads the same policy setting.
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));

        // Decorates the host's server: the hosting layer logs each request's URL before any middleware runs, so a key
        // sent as ?key=… is redacted before the request reaches it (and the request refused with 400).
        DecorateServer(services);

        // The application name isolates RiskMesh's protectors from other apps that might share the ring, and is the
        // same on every node, so a cookie issued by one API node reads on another.
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);

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

        SingletonAuthorization(services);
        return services;
    }

    /// <summary>
    /// Adds authentication and authorization to the pipeline and maps <c>/signin</c> and <c>/signout</c> (every role: the
    /// dashboard on a silo needs them too). Call it before mapping endpoints that require policies.
    /// </summary>
    public static WebApplication UseRiskMeshSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IServer>() is not QueryStringSecrets)
        {
            // Without the decorator a key sent in a URL would reach the request log: refuse to start rather than leak.
            throw new InvalidOperationException("The HTTP server was replaced after AddRiskMeshSecurity: keys in URLs would be logged.");
        }

        // Both checks pass a request on without an async frame of their own: they run on every request.
        app.Use((context, next) =>
        {
            if (!QueryStringSecrets.CarriesSecret(context))
            {
                return next(context);
            }

            SecurityLog.KeyInQueryStringRefused(Logger(context), context.Connection.RemoteIpAddress?.ToString());
            return QueryStringSecrets.RefuseAsync(context);
        });
        // A request with a header key the cache knows to be valid skips the authentication middleware (the framework's
        // per-request machinery, a fifth of a cached GET's allocations); every other request goes through it.
        var cached = app.Services.GetRequiredService<CachedKeyAuthentication>();
        RequestDelegate? afterAuthentication = null;
        app.Use(next => context => cached.TryAuthenticate(context) ? afterAuthentication!(context) : next(context));
        app.UseAuthentication();
        app.Use(next => afterAuthentication = next);
        app.Use((context, next) =>
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
                return TypedResults.Problem(
                    "Requests that change something and are signed in by the browser (session cookie or HTTP Basic) must come from RiskMesh's own pages; programs send the X-Api-Key header.",
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Cross-site request refused").ExecuteAsync(context);
            }

            return next(context);
        });
        // Likewise, a request so authenticated is admitted to an endpoint that only asks for some roles without the
        // authorization middleware's per-request machinery; anything else, and every refusal, goes through it.
        var authorized = app.Services.GetRequiredService<CachedKeyAuthorization>();
        RequestDelegate? afterAuthorization = null;
        app.Use(next => context => authorized.TryAuthorize(context) ? afterAuthorization!(context) : next(context));
        app.UseAuthorization();
        app.Use(next => afterAuthorization = next);
        app.MapSignInEndpoints();
        return app;
    }

    // ASP.NET Core registers its authorization services as transients, so the authorization middleware builds a policy
    // evaluator, an authorization service, a handler provider (which resolves every handler) and their helpers again for
    // every request. The default implementations keep no per-request state, so one of each serves every request. Only
    // the framework's own defaults are changed; a replacement registered by someone else keeps its lifetime.
    private static void SingletonAuthorization(IServiceCollection services)
    {
        Type[] stateless =
        [
            typeof(IPolicyEvaluator), typeof(IAuthorizationService), typeof(IAuthorizationHandlerProvider),
            typeof(IAuthorizationHandlerContextFactory), typeof(IAuthorizationEvaluator), typeof(IAuthorizationHandler),
        ];
        for (var i = 0; i < services.Count; i++)
        {
            var d = services[i];
            if (!d.IsKeyedService && d.Lifetime == ServiceLifetime.Transient && Array.IndexOf(stateless, d.ServiceType) >= 0
                && d.ImplementationType is { } implementation && IsFrameworkAuthorization(implementation))
            {
                services[i] = ServiceDescriptor.Singleton(d.ServiceType, implementation);
            }
        }
    }

    internal static bool IsFrameworkAuthorization(Type type) =>
        (type.Assembly == typeof(IAuthorizationService).Assembly || type.Assembly == typeof(IPolicyEvaluator).Assembly)
        && type.Namespace?.StartsWith("Microsoft.AspNetCore.Authorization", StringComparison.Ordinal) == true;

    // The server is registered by the web host's defaults (Kestrel) before the application adds its services.
    private static void DecorateServer(IServiceCollection services)
    {
        var server = services.LastOrDefault(d => d.ServiceType == typeof(IServer) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("AddRiskMeshSecurity needs the web host's server registered first (WebApplication.CreateBuilder does).");
        services.Remove(server);
        services.Add(ServiceDescriptor.Describe(typeof(IServer), sp => new QueryStringSecrets(Inner(sp, server)), server.Lifetime));
    }

    private static IServer Inner(IServiceProvider services, ServiceDescriptor server) => (IServer)(
        server.ImplementationInstance
        ?? server.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, server.ImplementationType!));

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RiskMeshSecurityExtensions).FullName!);
}
