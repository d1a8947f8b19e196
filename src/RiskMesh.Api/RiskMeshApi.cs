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
    /// <summary>Where the interactive API reference is served.</summary>
    public const string ApiReferencePath = "/reference";

    // Scalar's bundle injects its styles and Vue renders inline style attributes, hence 'unsafe-inline' for styles
    // only; scripts, fonts and connections stay on this origin.
    private static string ApiReferenceContentSecurityPolicy(string? nonce) =>
        "default-src 'none'; script-src 'self'" + (nonce is null ? "" : $" 'nonce-{nonce}'") + "; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        + "connect-src 'self'; worker-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

    // The sidebar's "Powered by Scalar" link has no switch of its own; the agent and its prompts are off already.
    private const string ApiReferenceCss = "a[href^='https://scalar.com'], a[href^='https://www.scalar.com'] { display: none !important; }";

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
        services.TryAddSingleton<HistoryLimit>();
        services.TryAddSingleton<EntityGrainReferences>();
        // A silo in this process publishes its grains' live views (LocalViews); an API-only node has none and calls the grains.
        services.TryAddSingleton(sp => new LiveViews(
            sp.GetRequiredService<EntityGrainReferences>(), sp.GetRequiredService<RiskClock>(), sp.GetService<LocalViews>()));
        services.AddSingleton<Notices.NoticeHub>();

        // The webhook test send runs on whichever node answers HTTP; a silo registers the same sender for its outboxes.
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<Endpoints.WebhookTestSendLimit>();
        services.AddRiskMeshNode();
        services.AddOpenApi("v1", o => o.AddRiskMeshDescriptions());
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            // Every answer as notices are written: "+", "'" and non-ASCII text as they are (JsonText).
            o.SerializerOptions.Encoder = JsonText.Encoder;
            // A body the framework binds refuses a field given twice (RequestJson); its type refuses one it lacks.
            RequestJson.RefuseRepeatedFields(o.SerializerOptions);
        });
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
        // After authentication and the role policies (UseRiskMeshSecurity): see QueryParameters for what comes after it.
        app.UseKnownQueryParameters();
        var api = app.MapGroup("/api/v1").WithTags("RiskMesh");
        api.MapEventsApi();
        api.MapRiskApi();
        api.MapOperationsApi();
        api.MapNoticesApi();
        api.MapWebhooksApi();
        api.MapAssistanceApi();
        api.MapAlertQualityApi();
        api.MapBackupApi();
        app.MapApiKeyEndpoints();
        // Any valid key may read the API description; only health is open to all (DESIGN.md section 8).
        app.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization();

        // The interactive reference for people, behind the same sign-in. Everything it needs is served from the package,
        // and every feature that would reach scalar.com is off: fonts, telemetry, the AI agent, MCP, the developer tools
        // (share/upload to proxy.scalar.com, SDK generation, "deploy"), the client button, the request proxy (an empty
        // URL means "send directly", i.e. to this origin) and the "powered by" link; a module of ours empties the
        // example token Scalar shows in the key box. The content security policy below
        // makes the browser refuse anything that slips through.
        app.MapScalarApiReference(ApiReferencePath, o => o
                .WithTitle("RiskMesh API reference")
                .AddPreferredSecuritySchemes(RiskMeshOpenApi.ApiKeyScheme)
                .AddApiKeyAuthentication(RiskMeshOpenApi.ApiKeyScheme, key => key.Value = "")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .HideClientButton()
                .WithProxy("")
                .WithFavicon("/favicon.svg")
                .WithCustomCss(ApiReferenceCss)
                .WithJavaScriptConfiguration("/console/reference.js")
                .WithNonce())
            .RequireAuthorization()
            .WithMetadata(new Security.BrowserSignInMetadata(ApiReferencePath));
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ApiReferencePath))
            {
                // The page's inline start-up script carries a fresh nonce that Scalar generates while answering.
                context.Response.OnStarting(() =>
                {
                    var nonce = context.Items[ScalarOptions.NonceHttpContextItemKey] as string;
                    context.Response.Headers.ContentSecurityPolicy = ApiReferenceContentSecurityPolicy(nonce);
                    context.Response.Headers["Referrer-Policy"] = "same-origin";
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });

        return app;
    }
}
