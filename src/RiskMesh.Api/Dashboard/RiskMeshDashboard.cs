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

    /// <summary>
    /// Adds the dashboard's services to an API-only node; the silos it reaches add the dashboard's silo side (the host
    /// does, with Orleans' own <c>AddDashboard</c> on the silo builder: the API tier knows no silo types).
    /// </summary>
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
