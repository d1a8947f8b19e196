using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RiskMesh.Abstractions;
using RiskMesh.Api.Endpoints;
using RiskMesh.Api.Security;
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
        services.AddRiskMeshNode();
        services.AddOpenApi("v1", o => o.AddRiskMeshDescriptions());
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    /// <summary>
    /// Maps <c>/api/v1</c> (key administration included), the OpenAPI document and the API reference. Call it after
    /// <see cref="RiskMeshNode.MapRiskMeshNode"/>, which maps health and error handling on every role.
    /// </summary>
    public static WebApplication MapRiskMeshApi(this WebApplication app)
    {
        // Open SSE streams end when the host starts stopping; otherwise the server waits for them until its timeout.
        var hub = app.Services.GetRequiredService<Notices.NoticeHub>();
        app.Lifetime.ApplicationStopping.Register(hub.CloseAll);
        var api = app.MapGroup("/api/v1").WithTags("RiskMesh");
        api.MapEventsApi();
        api.MapRiskApi();
        api.MapOperationsApi();
        api.MapNoticesApi();
        api.MapWebhooksApi();
        api.MapAssistanceApi();
        api.MapAlertQualityApi();
        app.MapApiKeyEndpoints();
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

        return app;
    }
}
