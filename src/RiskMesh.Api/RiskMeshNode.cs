using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RiskMesh.Api;

/// <summary>
/// What every RiskMesh node serves over HTTP whatever its role: ProblemDetails errors (503 with Retry-After while the
/// cluster fails over) and <c>/health/live</c> and <c>/health/ready</c>. A silo serves this (plus the operator-only
/// dashboard and metrics); the HTTP API (<see cref="RiskMeshApi"/>) comes on top on API nodes and in the embedded host.
/// </summary>
public static class RiskMeshNode
{
    /// <summary>Adds ProblemDetails, the cluster-unavailable, storage-failure and bad-request handlers and health checks (the host adds the role's "ready" checks).</summary>
    public static IServiceCollection AddRiskMeshNode(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = NameTheMediaType);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, ClusterUnavailableHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, StorageFailureHandler>());
        // A value the framework cannot bind throws, so BadRequestHandler can say which parameter and what it expects.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Diagnostics.IExceptionHandler, BadRequestHandler>());
        // The API itself adds no check that calls a grain.
        services.AddHealthChecks();
        return services;
    }

    /// <summary>Adds error handling to the pipeline and maps the health endpoints (anonymous).</summary>
    public static WebApplication MapRiskMeshNode(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Liveness runs no check at all (a process that answers HTTP is alive); readiness runs the role's checks.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReadinessAsync }).AllowAnonymous();
        return app;
    }

    // The framework refuses a JSON body sent with another Content-Type with a bare 415; say what was sent and what to send.
    // (The events endpoint reads its body itself and names its own two types.)
    private static void NameTheMediaType(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
        {
            var sent = context.HttpContext.Request.ContentType is { Length: > 0 } type ? $"Content-Type '{type}'" : "A body without a Content-Type";
            context.ProblemDetails.Detail = $"{sent} is not accepted here; send the body as JSON with Content-Type: application/json.";
        }
    }

    // Each check's verdict and reason, so an operator (or a probe log) sees why a node is not ready.
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, error = e.Value.Exception?.Message }),
        });
}
