using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RiskMesh.Abstractions;
using RiskMesh.Api.Endpoints;
using RiskMesh.Abstractions.Webhooks;
using Scalar.AspNetCore;

namespace RiskMesh.Api;

/// <summary>Composes the HTTP API: services and endpoint groups.</summary>
public static class RiskMeshApi
{
    /// <summary>Adds the API's services (works cohosted with a silo or as an Orleans client).</summary>
    public static IServiceCollection AddRiskMeshApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RiskMeshApiOptions>()
            .Bind(configuration.GetSection(RiskMeshApiOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<RiskMeshApiOptions>, RiskMeshApiOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RiskClock>();
        services.TryAddSingleton<TopologyCatalog>();
        services.TryAddSingleton<EntityGrainReferences>();
        // On with a silo in this process (the grain runtime is registered only there), off on a client-only API node.
        services.TryAddSingleton(sp => new ViewJsonCache(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>(),
            enabled: sp.GetService<Orleans.Runtime.IGrainRuntime>() is not null));
        services.AddSingleton<Notices.NoticeHub>();

        // The webhook test send runs on whichever node answers HTTP; a silo registers the same sender for its outboxes.
        services.TryAddSingleton<WebhookSender>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ClusterUnavailableHandler>();
        services.AddOpenApi("v1", o => o.AddRiskMeshDescriptions());
        // The host adds the role's readiness checks (tag "ready"); the API itself adds none that call a grain.
        services.AddHealthChecks();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    /// <summary>Maps <c>/api/v1</c>, the OpenAPI document and the health endpoints.</summary>
    public static WebApplication MapRiskMeshApi(this WebApplication app)
    {
        // Open SSE streams end when the host starts stopping; otherwise the server waits for them until its timeout.
        var hub = app.Services.GetRequiredService<Notices.NoticeHub>();
        app.Lifetime.ApplicationStopping.Register(hub.CloseAll);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var api = app.MapGroup("/api/v1").WithTags("RiskMesh");
        api.MapEventsApi();
        api.MapRiskApi();
        api.MapOperationsApi();
        api.MapNoticesApi();
        api.MapWebhooksApi();
        api.MapAssistanceApi();
        api.MapAlertQualityApi();
        // Any valid key may read the API description; only health is open to all (DESIGN.md section 8).
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization();

        // The interactive reference for people, behind the same sign-in; its script is served from the package, and
        // fonts, telemetry and the AI agent (which would reach scalar.com) are off, so it works offline.
        app.MapScalarApiReference("/reference", o => o
                .WithTitle("RiskMesh API reference")
                .AddPreferredSecuritySchemes(RiskMeshOpenApi.ApiKeyScheme)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp())
            .RequireAuthorization()
            .WithMetadata(new Security.BrowserSignInMetadata("/reference"));

        // Liveness runs no check at all (a process that answers HTTP is alive); readiness runs the role's checks.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteReadinessAsync }).AllowAnonymous();
        return app;
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
