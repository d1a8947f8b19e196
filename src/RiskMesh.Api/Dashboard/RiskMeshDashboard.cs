using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
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
    /// a browser without credentials is sent to the sign-in page. The dashboard itself is made when an operator first
    /// asks for it (<see cref="DeferredDashboard"/>).
    /// </summary>
    public static WebApplication MapRiskMeshDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // One endpoint covers the whole area, so the page, its scripts, the grain-state reader and the live log stream
        // are all behind the operator policy before anything of the dashboard is made.
        var dashboard = new DeferredDashboard(app.Services, app);
        app.MapGet(Path + "/{**rest}", dashboard.ServeAsync)
            .RequireAuthorization(RiskMeshPolicies.Operator)
            .WithMetadata(new BrowserSignInMetadata(Path), dashboard)
            .ExcludeFromDescription();
        return app;
    }
}

/// <summary>
/// The Orleans dashboard's endpoints, made on the first request that reaches them (an operator's: the area's endpoint
/// authorises first). Orleans' dashboard reads every file it serves into memory, each also gzipped, as its endpoints are
/// mapped: 21 MB of arrays, and 17 MB of its assembly's pages read, held by every node from its start although an
/// operator opens the dashboard rarely.
/// </summary>
public sealed class DeferredDashboard
{
    private readonly IServiceProvider _services;
    private readonly IApplicationBuilder _app;
    private readonly Lock _gate = new();
    private IReadOnlyList<(RouteEndpoint Endpoint, TemplateMatcher Matcher)>? _endpoints;

    internal DeferredDashboard(IServiceProvider services, IApplicationBuilder app)
    {
        _services = services;
        _app = app;
    }

    /// <summary>True once the dashboard's endpoints (and the files they serve) have been made.</summary>
    public bool IsMade => Volatile.Read(ref _endpoints) is not null;

    /// <summary>Answers a request under the dashboard's path with the dashboard endpoint its path names, else 404.</summary>
    internal Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        foreach (var (endpoint, matcher) in Endpoints())
        {
            var values = new RouteValueDictionary();
            if (matcher.TryMatch(path, values))
            {
                foreach (var (name, value) in values)
                {
                    context.Request.RouteValues[name] = value;
                }

                return endpoint.RequestDelegate!(context);
            }
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private IReadOnlyList<(RouteEndpoint Endpoint, TemplateMatcher Matcher)> Endpoints()
    {
        if (Volatile.Read(ref _endpoints) is { } made)
        {
            return made;
        }

        lock (_gate)
        {
            if (_endpoints is null)
            {
                var routes = new DashboardRoutes(_services, _app);
                routes.MapOrleansDashboard(RiskMeshDashboard.Path);
                Volatile.Write(ref _endpoints, [
                    .. routes.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
                        .Where(endpoint => endpoint.RequestDelegate is not null)
                        .Select(endpoint => (endpoint, new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary(endpoint.RoutePattern.Defaults)))),
                ]);
            }

            return _endpoints!;
        }
    }

    // Where Orleans maps the dashboard's endpoints: a route table of its own, read only by this class.
    private sealed class DashboardRoutes(IServiceProvider services, IApplicationBuilder app) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => app.New();
    }
}
