using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Api;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// The API tier is an Orleans client and nothing more: RiskMesh.Api neither references RiskMesh.Grains (project or
/// assembly), and a silo serves health, the dashboard and metrics but not the HTTP API, which an API node serves.
/// </summary>
public sealed class TierBoundaryTests
{
    private static readonly string[] AllowedProjects = ["RiskMesh.Abstractions", "RiskMesh.Scoring"];

    [Fact]
    public void ApiProject_ReferencesOnlyAbstractionsAndScoring_NeverGrains()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "RiskMesh.Api", "RiskMesh.Api.csproj"));
        var references = project.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
        Assert.NotEmpty(references);
        Assert.DoesNotContain("RiskMesh.Grains", references);
        Assert.All(references, r => Assert.Contains(r, AllowedProjects));

        var packages = project.Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value).ToList();
        Assert.Contains("Microsoft.Orleans.Client", packages);
        Assert.DoesNotContain(packages, p => p is "Microsoft.Orleans.Server" or "Microsoft.Orleans.Runtime");

        // Not even through a transitive path: the compiled API names no Grains or server assembly.
        var referenced = typeof(RiskMeshApi).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain("RiskMesh.Grains", referenced);
        Assert.DoesNotContain("Orleans.Runtime", referenced);
    }

    [Fact]
    public async Task SiloRole_ServesHealthDashboardAndMetricsOnly_ApiNodeServesTheApi()
    {
        var gatewayPort = TestPorts.Free();
        var silo = await RiskMeshHostFixture.StartAsync("--RiskMesh:Role=silo", $"--RiskMesh:GatewayPort={gatewayPort}");
        var apiDirectory = Directory.CreateTempSubdirectory("riskmesh-ft-api-").FullName;
        WebApplication? api = null;
        try
        {
            using var anonymous = silo.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);

            // With a valid admin key, so a 404 is the route's absence, not a refusal.
            foreach (var path in new[] { "/api/v1/clock", "/api/v1/countries/RU", "/api/v1/keys", "/api/v1/me", "/openapi/v1.json", "/reference", "/" })
            {
                var response = await silo.Admin.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} on a silo answered {(int)response.StatusCode}, expected 404");
            }

            Assert.Equal(HttpStatusCode.NotFound, (await silo.Admin.PostAsync("/api/v1/events", new StringContent("[]"))).StatusCode);

            // The operator-only surfaces stay, and stay closed without a key.
            Assert.Equal(HttpStatusCode.OK, (await silo.Admin.GetAsync("/metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await silo.Admin.GetAsync("/dashboard/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard/")).StatusCode);

            // An API node in front of the same silo (its gateway) serves the API with the silo's admin key.
            api = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(
            [
                "--urls", "http://127.0.0.1:0",
                "--RiskMesh:Role=api",
                $"--RiskMesh:DataDirectory={apiDirectory}",
                $"--RiskMesh:GatewayPort={gatewayPort}",
            ]));
            await api.StartAsync();
            var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var viaApi = RiskMeshHostFixture.CreateClient(new Uri(address + "/"), silo.AdminKey);
            Assert.Equal(HttpStatusCode.OK, (await viaApi.GetAsync("/api/v1/clock")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await viaApi.GetAsync("/api/v1/countries/RU")).StatusCode);
        }
        finally
        {
            if (api is not null)
            {
                await api.StopAsync();
                await api.DisposeAsync();
            }

            await silo.DisposeAsync();
            RiskMeshHostFixture.DeleteDirectory(apiDirectory);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RiskMesh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No RiskMesh.sln above {AppContext.BaseDirectory}.");
    }
}
