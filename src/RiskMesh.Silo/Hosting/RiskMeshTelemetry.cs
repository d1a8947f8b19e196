using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// OpenTelemetry for every role: Orleans, ASP.NET Core, Kestrel, HttpClient, Npgsql, .NET runtime and RiskMesh's own
/// meters, scraped at <see cref="MetricsPath"/> (operator role) and pushed over OTLP when an endpoint is configured;
/// traces from HTTP through the grains, recorded and exported only then.
/// </summary>
public static class RiskMeshTelemetry
{
    /// <summary>Where Prometheus scrapes, on the node's HTTP port, with an operator or admin key.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry variable; when set, metrics and traces are also exported over OTLP.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Meters beyond RiskMesh's own: Orleans and the framework's built-in ones (.NET 9 and later).</summary>
    public static readonly string[] Meters =
    [
        RiskMeshMetrics.MeterName,
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization",
        "System.Net.Http",
        "System.Net.NameResolution",
        "System.Runtime",
    ];

    /// <summary>
    /// Distinct tag combinations kept per metric stream; later ones are counted in OpenTelemetry's overflow point.
    /// </summary>
    public const int MetricPointsPerStream = 200;

    /// <summary>Activity sources traced: ASP.NET Core (through its instrumentation), HttpClient, Orleans, Npgsql, RiskMesh.</summary>
    public static readonly string[] ActivitySources =
    [
        RiskMeshMetrics.ActivitySourceName,
        "Microsoft.Orleans.*",
        "System.Net.Http",
    ];

    /// <summary>Registers metrics and tracing; <paramref name="serviceName"/> names the role (riskmesh-silo, riskmesh-api).</summary>
    public static IServiceCollection AddRiskMeshTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                // Each metric stream allocates its points up front: OpenTelemetry's default of 2,000 per stream cost
                // 36 MiB for the ~250 streams of these meters, whose tags take a few dozen combinations at most.
                metrics.AddMeter(Meters).AddNpgsqlInstrumentation().AddPrometheusExporter()
                    .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricPointsPerStream });
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Traces only where they go somewhere: a tracer provider without an exporter still samples and records a span
        // for every request and every grain call, and nobody reads them (about a tenth of a cached GET's CPU, README
        // "Performance"). Any other listener (a debugger, dotnet-trace, a test) still sees the activities.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(ActivitySources)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthOrMetrics(context.Request.Path))
                .AddNpgsql()
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Maps the Prometheus text endpoint behind the operator policy.</summary>
    public static WebApplication MapRiskMeshMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath)
            .RequireAuthorization(RiskMeshPolicies.Operator)
            .ExcludeFromDescription();
        return app;
    }

    // Probes and scrapes every few seconds would drown the traces of real requests.
    private static bool IsHealthOrMetrics(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
}
