using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskMesh.Abstractions;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Grains.Persistence;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// Mutual TLS on the Orleans ports of a real PostgreSQL cluster: an API node holding a certificate from the cluster's
/// CA serves requests through a TLS silo; an Orleans client without one, or with one from another CA, calls no grain.
/// </summary>
public sealed class TlsClusterTests(ITestOutputHelper output)
{
    private static string ConnectionString => TestPostgres.ConnectionString;

    [Fact]
    public async Task TlsSilo_ApiNodeWithCertificateServes_ClientsWithoutTrustedCertificateCannotCallGrains()
    {
        var service = "tls-" + Guid.NewGuid().ToString("N")[..12];
        var directory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service);
        Directory.CreateDirectory(directory);
        try
        {
            var tls = Certificates.Write(directory, "cluster");
            var stranger = Certificates.Write(Directory.CreateDirectory(Path.Combine(directory, "other")).FullName, "other");
            await using var silo = await StartAsync(service, Path.Combine(directory, "silo"), "silo", tls);
            var key = await RiskMeshHostFixture.ReadAdminKeyAsync(Path.Combine(directory, "silo"));
            await using var api = await StartAsync(service, Path.Combine(directory, "api"), "api", tls);

            using var client = RiskMeshHostFixture.CreateClient(api.Address, key);
            var response = await client.GetAsync("/api/v1/clock");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            await AssertNoGrainCallAsync(service, tls: null);
            await AssertNoGrainCallAsync(service, stranger);
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(directory);
        }
    }

    [Fact]
    public void TlsSettings_EveryProblemNamed()
    {
        var directory = Directory.CreateTempSubdirectory("riskmesh-tls-settings-").FullName;
        try
        {
            var ours = Certificates.Write(directory, "ours");
            var other = Certificates.Write(Directory.CreateDirectory(Path.Combine(directory, "other")).FullName, "other");

            var halfDone = Problems(("CertificatePassword", "x"), ("CaPath", ours.CaPath));
            Assert.Contains("RiskMesh:Tls:CertificatePassword is set but RiskMesh:Tls:CertificatePath is not", halfDone);
            Assert.Contains("RiskMesh:Tls:CaPath is set but RiskMesh:Tls:CertificatePath is not", halfDone);

            var missing = Problems(("CertificatePath", Path.Combine(directory, "nope.crt")), ("CaPath", Path.Combine(directory, "nope-ca.crt")));
            Assert.Contains(missing, p => p.StartsWith("RiskMesh:Tls:CertificatePath", StringComparison.Ordinal) && p.EndsWith("does not exist", StringComparison.Ordinal));
            Assert.Contains(missing, p => p.StartsWith("RiskMesh:Tls:CaPath", StringComparison.Ordinal) && p.EndsWith("does not exist", StringComparison.Ordinal));

            var noKey = Problems(("CertificatePath", ours.CertificatePath));
            Assert.Contains(noKey, p => p.StartsWith("RiskMesh:Tls:CertificatePath", StringComparison.Ordinal) && p.Contains("could not be loaded", StringComparison.Ordinal));

            var foreign = Problems(("CertificatePath", ours.CertificatePath), ("KeyPath", ours.KeyPath), ("CaPath", other.CaPath));
            Assert.Contains(foreign, p => p.Contains("is not issued by the CA", StringComparison.Ordinal));

            Assert.Empty(Problems(("CertificatePath", ours.CertificatePath), ("KeyPath", ours.KeyPath), ("CaPath", ours.CaPath)));
            Assert.Empty(Problems());
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(directory);
        }
    }

    private static List<string> Problems(params (string Name, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"RiskMesh:Tls:{s.Name}", (string?)s.Value)))
            .Build();
        var problems = new List<string>();
        TlsSettings.Read(configuration, problems);
        return problems;
    }

    /// <summary>
    /// An Orleans client of the cluster, with the given certificate or none, must not reach the clock grain. The silo
    /// drops every connection whose handshake fails and the client keeps retrying its gateways, so "fails" is seen as
    /// no answer within 30 s (a trusted client is answered in well under a second) or an error, whichever comes first.
    /// </summary>
    private async Task AssertNoGrainCallAsync(string service, Certificates? tls)
    {
        var builder = Host.CreateApplicationBuilder();
        var settings = tls is null ? null : TlsSettingsFor(tls);
        builder.UseOrleansClient(client => client
            .UseRiskMeshClientClustering(
                DatabaseSettings.Create(RiskMeshStorage.PostgresInvariant, ConnectionString),
                new ClusterSettings(service, service, 0, 0, null))
            .UseRiskMeshTls(settings));
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failure = await Record.ExceptionAsync(async () =>
        {
            await host.StartAsync(timeout.Token);
            await host.Services.GetRequiredService<IClusterClient>().GetGrain<IClockGrain>(GrainKeys.Singleton).Get()
                .WaitAsync(timeout.Token);
        });
        Assert.NotNull(failure);
        Assert.False(failure is Xunit.Sdk.XunitException, failure.Message);
        output.WriteLine($"client {(tls is null ? "without a certificate" : "with another CA's certificate")}: {failure.GetType().Name}: {failure.Message}");
        await host.StopAsync(CancellationToken.None);
    }

    private static TlsSettings TlsSettingsFor(Certificates tls)
    {
        var problems = new List<string>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            KeyValuePair.Create("RiskMesh:Tls:CertificatePath", (string?)tls.CertificatePath),
            KeyValuePair.Create("RiskMesh:Tls:KeyPath", (string?)tls.KeyPath),
            KeyValuePair.Create("RiskMesh:Tls:CaPath", (string?)tls.CaPath),
        ]).Build();
        return TlsSettings.Read(configuration, problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
    }

    private static Task<InProcessNode> StartAsync(string service, string dataDirectory, string role, Certificates tls) =>
        InProcessNode.StartAsync(
            dataDirectory,
            [
                $"--RiskMesh:Role={role}",
                .. InProcessNode.OnPostgres(ConnectionString, service),
                $"--RiskMesh:Tls:CertificatePath={tls.CertificatePath}",
                $"--RiskMesh:Tls:KeyPath={tls.KeyPath}",
                $"--RiskMesh:Tls:CaPath={tls.CaPath}",
            ]);
}
