using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>What the host's silo keeps for the grains it activates, beyond the grains themselves.</summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class ActivationMemoryTests(RiskMeshHostFixture host)
{
    [Fact]
    public void GrainDirectoryCache_IsSizedForTheWorldsRiskMeshRuns_NotOrleansMillionEntries()
    {
        var directory = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(ClusteringSetup.DirectoryCacheSize, directory.CacheSize);
        Assert.InRange(directory.CacheSize, 200_000, 500_000);
    }
}
