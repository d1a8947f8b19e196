using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RiskMesh.Api.Security;

/// <summary>Wires RiskMesh's API key authentication, role policies, browser sign-in and key endpoints into a web app.</summary>
public static class RiskMeshSecurityExtensions
{
    /// <summary>The name of RiskMesh's single authentication scheme.</summary>
    public const string AuthenticationScheme = ApiKeyAuthenticationHandler.SchemeName;

    /// <summary>
    /// Registers the authentication scheme (header, Basic, session cookie), the role policies of <see cref="RiskMeshPolicies"/>,
    /// the key cache and data protection for session cookies (keys kept under <c>RiskMesh:DataDirectory</c> when set).
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
        services.TryAddSingleton<SessionCookie>();

        var dataProtection = services.AddDataProtection().SetApplicationName("RiskMesh");
        var dataDirectory = configuration["RiskMesh:DataDirectory"];
        if (!string.IsNullOrWhiteSpace(dataDirectory))
        {
            // Sessions survive restarts when the key ring lives with the data; only the owner may read it.
            var keyRing = Path.Combine(Path.GetFullPath(dataDirectory), "dataprotection-keys");
            CreatePrivateDirectory(keyRing);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keyRing));
        }

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
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSignInEndpoints();
        app.MapApiKeyEndpoints();
        return app;
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
