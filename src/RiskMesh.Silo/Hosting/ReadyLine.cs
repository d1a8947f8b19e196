using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskMesh.Api.Dashboard;
using RiskMesh.Grains.Security;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// One line once the host listens, saying where each kind of user goes next: the console and the key to sign in with,
/// the API, and the operators' pages. The first start's log ended at the admin key's path and "Application started",
/// and a newcomer had to go back to the README to find the console (newcomer 15).
/// </summary>
internal sealed partial class ReadyLine(
    IHostApplicationLifetime lifetime,
    IServer server,
    RiskMeshHostSettings settings,
    ILogger<ReadyLine> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Write);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The line for a host of <paramref name="role"/> listening at <paramref name="baseUrl"/>.</summary>
    internal static string Describe(HostRole role, string baseUrl, string? adminKeyFile)
    {
        var operators = $"operators: dashboard {baseUrl}{RiskMeshDashboard.Path}, metrics {baseUrl}{RiskMeshTelemetry.MetricsPath}, health {baseUrl}/health/ready";
        if (!RiskMeshApp.ServesApi(role))
        {
            return $"Silo ready; {operators} (the console and API are on the API nodes)";
        }

        var key = adminKeyFile is null ? "an API key (README, \"Security\")" : $"the admin key in {adminKeyFile}";
        return $"RiskMesh ready: web console {baseUrl}/ (sign in with {key}); API {baseUrl}/api/v1 (X-Api-Key header); {operators}. Next: README, \"First steps\"";
    }

    private void Write()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return;
        }

        var adminKey = AdminKeyBootstrapExtensions.AdminKeyFile(settings.DataDirectory);
        LogReady(logger, Describe(settings.Role, BrowsableUrl(address), File.Exists(adminKey) ? adminKey : null));
    }

    // Kestrel reports a wildcard binding as given (http://+:8080, http://[::]:8080): a browser needs a host name.
    private static string BrowsableUrl(string address)
    {
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "[::]" or "0.0.0.0" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }

    [LoggerMessage(EventId = 1, EventName = "Ready", Level = LogLevel.Information, Message = "{Line}")]
    private static partial void LogReady(ILogger logger, string line);
}
