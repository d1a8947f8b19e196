using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>
/// The real RiskMesh host, wired as <see cref="RiskMeshApp"/> wires it, on a given data directory (kept on dispose, so a
/// second host can start on it), with fast webhook retries.
/// </summary>
public sealed class WebhookHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookHost(WebApplication app, Uri baseAddress, string adminKey)
    {
        _app = app;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
        Admin = RiskMeshHostFixture.CreateClient(baseAddress, adminKey);
    }

    /// <summary>The HTTP address of the host.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The bootstrap admin key.</summary>
    public string AdminKey { get; }

    /// <summary>A client sending the admin key.</summary>
    public HttpClient Admin { get; }

    /// <summary>The cluster, for calls the HTTP API does not offer (enqueueing notices as the city grain does).</summary>
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts a host on <paramref name="dataDirectory"/> with free ports.</summary>
    public static async Task<WebhookHost> StartAsync(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--RiskMesh:DataDirectory={dataDirectory}",
            $"--RiskMesh:SiloPort={TestPorts.Free()}",
            $"--RiskMesh:GatewayPort={TestPorts.Free()}",
            "--RiskMesh:Webhooks:InitialBackoff=00:00:00.200",
            "--RiskMesh:Webhooks:MaxBackoff=00:00:01",

            // The test receivers listen on 127.0.0.1, which the webhook address policy refuses by default.
            "--RiskMesh:Webhooks:AllowLoopback=true",
        ];
        var builder = RiskMeshApp.CreateBuilder(args);
        builder.Logging.ClearProviders();
        var app = RiskMeshApp.Build(builder);
        await app.StartAsync();
        var address = app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal));
        var adminKey = await RiskMeshHostFixture.ReadAdminKeyAsync(dataDirectory);
        return new WebhookHost(app, new Uri(address.EndsWith('/') ? address : address + "/"), adminKey);
    }

    /// <summary>The host's data directory.</summary>
    public string DataDirectory => _app.Services.GetRequiredService<RiskMeshHostSettings>().DataDirectory;

    /// <summary>A client with a given key.</summary>
    public HttpClient CreateClient(string? apiKey) => RiskMeshHostFixture.CreateClient(BaseAddress, apiKey);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
