using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Orleans.Dashboard;
using RiskMesh.Api.Security;

namespace RiskMesh.Api.Dashboard;

/// <summary>The Orleans dashboard, served under <c>/dashboard</c> to operators and admins only.</summary>
public static class RiskMeshDashboard
{
    /// <summary>Where the dashboard is mapped.</summary>
    public const string Path = "/dashboard";

    /// <summary>Adds the dashboard's services and per-call profiler to a silo.</summary>
    public static ISiloBuilder AddRiskMeshDashboard(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.AddDashboard();
    }

    /// <summary>Adds the dashboard's services to an API-only node; the silos it reaches must call the silo overload.</summary>
    public static IClientBuilder AddRiskMeshDashboard(this IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.AddDashboard();
    }

    /// <summary>
    /// Maps the dashboard's page, scripts and data endpoints under <see cref="Path"/>, all behind the operator policy;
    /// a browser without credentials is sent to the sign-in page.
    /// </summary>
    public static WebApplication MapRiskMeshDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The whole route group is protected: the page, its scripts, the grain-state reader and the live log stream.
        app.MapOrleansDashboard(Path)
            .RequireAuthorization(RiskMeshPolicies.Operator)
            .WithMetadata(new BrowserSignInMetadata(Path))
            .ExcludeFromDescription();
        return app;
    }
}
