using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// Operators tell silos apart on the dashboard's Silos page by their names (newcomer 15: a three-silo cluster showed
/// <c>Silo_f04a7</c> and <c>Silo_ac919</c>, names that matched no process of <c>local-cluster.sh status</c>). A silo is
/// named by <c>RiskMesh:SiloName</c>, else by its machine's name (a pod's or container's host name), followed by its port
/// when that is not the default one (silos sharing a machine differ by port, review 15 L4); a blank name is refused at
/// start naming the setting.
/// </summary>
public sealed class SiloNameTests
{
    [Fact]
    public async Task Silo_IsNamedAsConfigured_InTheMembershipTheDashboardShows()
    {
        Assert.Equal(["silo-7"], await SiloNamesAsync("--RiskMesh:SiloName=silo-7"));
    }

    [Fact]
    public async Task Silo_WithoutAName_OnAnotherPort_IsNamedForItsMachineAndPort()
    {
        var port = TestPorts.Free();

        Assert.Equal([$"{Environment.MachineName}-{port}"], await SiloNamesAsync($"--RiskMesh:SiloPort={port}"));
    }

    [Theory]
    [InlineData("node-a", 11111, "node-a")]
    [InlineData("node-a", 11112, "node-a-11112")]
    [InlineData("riskmesh-silo-0", 11111, "riskmesh-silo-0")]
    public void DefaultSiloName_IsTheMachinesName_AndItsPortWhenNotTheDefault(string machine, int port, string expected)
    {
        Assert.Equal(expected, ClusterSettings.DefaultSiloName(machine, port));
    }

    [Fact]
    public void BlankSiloName_IsRefusedNamingTheSetting()
    {
        var refused = Assert.Throws<InvalidSettingsException>(() => RiskMeshApp.CreateBuilder(Args(Path.GetTempPath(), "--RiskMesh:SiloName= ")));

        Assert.Contains(refused.Problems, p => p.StartsWith("RiskMesh:SiloName must name the silo", StringComparison.Ordinal));
    }

    private static async Task<string[]> SiloNamesAsync(params string[] extra)
    {
        var data = Directory.CreateTempSubdirectory("riskmesh-silo-name-").FullName;
        try
        {
            var host = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(Args(data, extra)));
            await host.StartAsync();
            try
            {
                var management = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
                var hosts = await management.GetDetailedHosts(onlyActive: true);
                return [.. hosts.Select(h => h.SiloName)];
            }
            finally
            {
                await host.StopAsync();
                await host.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static string[] Args(string data, params string[] extra) =>
    [
        "--urls", $"http://127.0.0.1:{TestPorts.Free()}",
        $"--RiskMesh:DataDirectory={data}",
        .. extra.Any(e => e.StartsWith("--RiskMesh:SiloPort=", StringComparison.Ordinal)) ? [] : new[] { $"--RiskMesh:SiloPort={TestPorts.Free()}" },
        .. extra,
    ];
}
