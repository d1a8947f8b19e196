using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RiskMesh.Grains.Persistence;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// The address a silo binds is decided once (<see cref="ClusteringSetup.ListenAddress"/>): the endpoints the silo is
/// configured with and the start-up port check (SiloPortCheck) agree for every kind of deployment (review: the host
/// repeated the decision inline).
/// </summary>
public sealed class ListenAddressTests
{
    public static TheoryData<string, string?, string> Deployments => new()
    {
        { "sqlite", null, "127.0.0.1" },
        { "postgres", null, "127.0.0.1" },
        { "postgres", "127.0.0.1", "127.0.0.1" },
        { "postgres", "10.1.2.3", "0.0.0.0" },
    };

    [Theory]
    [MemberData(nameof(Deployments))]
    public void ConfiguredEndpoints_BindWhereListenAddressSays(string database, string? advertised, string expected)
    {
        var db = database == "sqlite"
            ? DatabaseSettings.ForSqliteFile(Path.Combine(Path.GetTempPath(), "riskmesh-listen.db"))
            : new DatabaseSettings(RiskMeshStorage.PostgresInvariant, "Host=127.0.0.1;Port=1;Username=postgres;Database=none");
        var cluster = new ClusterSettings("c", "s", 41111, 0, advertised);
        using var host = new HostBuilder().UseOrleans(silo => silo.UseRiskMeshClustering(db, cluster)).Build();

        var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        var bound = endpoints.SiloListeningEndpoint?.Address ?? endpoints.AdvertisedIPAddress;

        Assert.Equal(IPAddress.Parse(expected), ClusteringSetup.ListenAddress(db, cluster));
        Assert.Equal(ClusteringSetup.ListenAddress(db, cluster), bound);
    }
}
