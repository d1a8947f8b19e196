using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Infrastructure;

/// <summary>
/// A RiskMesh host (silo, API or both) started in this process on free loopback ports, for the tests that start and
/// stop nodes of their own, e.g. several on one PostgreSQL database.
/// </summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _disposed;

    private InProcessNode(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The node's HTTP address, ending with a slash.</summary>
    public Uri Address { get; }

    /// <summary>The node's services, for a test that reads a node's own state (its gateway connections, say).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a node keeping its files in <paramref name="dataDirectory"/> (created if need be) with its own HTTP, silo
    /// and gateway ports, and the <paramref name="settings"/> given as command-line arguments.
    /// </summary>
    public static async Task<InProcessNode> StartAsync(string dataDirectory, params string[] settings)
    {
        Directory.CreateDirectory(dataDirectory);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--RiskMesh:DataDirectory={dataDirectory}",
            $"--RiskMesh:SiloPort={TestPorts.Free()}",
            $"--RiskMesh:GatewayPort={TestPorts.Free()}",
            .. settings,
        ];
        var app = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(args));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessNode(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>The settings of a node on PostgreSQL, in the cluster and service <paramref name="service"/>.</summary>
    public static string[] OnPostgres(string connectionString, string service, bool applySchema = true) =>
    [
        "--RiskMesh:Database:Invariant=Npgsql",
        $"--RiskMesh:Database:ConnectionString={connectionString}",
        $"--RiskMesh:Database:ApplySchemaOnStart={(applySchema ? "true" : "false")}",
        $"--RiskMesh:ServiceId={service}",
        $"--RiskMesh:ClusterId={service}",
    ];

    /// <summary>Stops the node; a second call does nothing, so a test may stop a node before its scope ends.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
