using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RiskMesh.Abstractions;
using RiskMesh.Api.Endpoints;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topology;

namespace RiskMesh.Api;

/// <summary>Composes the HTTP API: services and endpoint groups.</summary>
public static class RiskMeshApi
{
    /// <summary>Adds the API's services (works cohosted with a silo or as an Orleans client).</summary>
    public static IServiceCollection AddRiskMeshApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RiskMeshApiOptions>()
            .Bind(configuration.GetSection(RiskMeshApiOptions.Section))
            .Validate(o => o.MaxIngestBodyBytes > 0 && o.MaxRankingLimit > 0, "RiskMesh:Api limits must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RiskClock>();
        services.TryAddSingleton<TopologyCatalog>();
        services.AddSingleton<Notices.NoticeHub>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ClusterUnavailableHandler>();
        services.AddOpenApi("v1");
        services.AddHealthChecks()
            .AddCheck<ClusterReadyCheck>("cluster", tags: ["ready"]);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    /// <summary>Maps <c>/api/v1</c>, the OpenAPI document and the health endpoints.</summary>
    public static WebApplication MapRiskMeshApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var api = app.MapGroup("/api/v1").WithTags("RiskMesh");
        api.MapEventsApi();
        api.MapRiskApi();
        api.MapOperationsApi();
        api.MapNoticesApi();
        api.MapWebhooksApi();
        api.MapAssistanceApi();
        // Any valid key may read the API description; only health is open to all (DESIGN.md section 8).
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization();

        // Liveness never calls a grain; readiness proves the cluster answers.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }

    private sealed class ClusterReadyCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var clock = await grains.GetGrain<IClockGrain>(GrainKeys.Singleton).Get().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy($"clock {clock.Mode} {clock.Date:yyyy-MM-dd}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("the cluster does not answer", ex);
            }
        }
    }
}
