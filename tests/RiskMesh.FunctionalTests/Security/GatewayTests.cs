using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>The embedded host must not open an Orleans gateway: it has no authentication and reaches every grain.</summary>
public sealed class GatewayTests() : OwnDataDirectory("riskmesh-gateway-")
{
    [Fact]
    public async Task EmbeddedHost_DefaultSettings_OpensNoGatewayAndRawClientCannotReachKeyDirectory()
    {
        var id = "gw-" + Guid.NewGuid().ToString("N")[..12];
        var siloPort = TestPorts.Free();
        await using var host = await SecurityHost.StartAsync(
            DataDirectory,
            [$"--RiskMesh:ServiceId={id}", $"--RiskMesh:ClusterId={id}", $"--RiskMesh:SiloPort={siloPort}"]);

        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;

        // The documented old default gateway port, and the silo port: neither may serve an Orleans client.
        foreach (var port in new[] { 30000, siloPort })
        {
            var outcome = await TryListKeysAsync(id, port);
            Assert.True(outcome is not null, $"A raw Orleans client on 127.0.0.1:{port} listed the API keys");
        }

        Assert.Equal(0, endpoints.GatewayPort);
    }

    /// <summary>What stopped a raw client from listing keys through the gateway at <paramref name="port"/>; null if it listed them.</summary>
    internal static async Task<Exception?> TryListKeysAsync(string clusterId, int port, Action<IClientBuilder>? configure = null)
    {
        using var client = new HostBuilder()
            .UseOrleansClient(c =>
            {
                c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, port));
                c.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = clusterId;
                });
                configure?.Invoke(c);
            })
            .Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await client.StartAsync(timeout.Token);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            await grains.GetGrain<IApiKeyDirectoryGrain>(GrainKeys.Singleton).List().WaitAsync(TimeSpan.FromSeconds(15));
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
        finally
        {
            try
            {
                await client.StopAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                // A client that never connected may fail to stop cleanly; what matters is what it could call.
            }
        }
    }
}
