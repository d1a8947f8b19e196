using System.Runtime.Versioning;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// One host per embedded database (review 8 F4): a second host on the same data directory, with ports of its own, is
/// refused before it touches the database, instead of serving the same grains beside the first and overwriting their
/// state; once the first host has stopped, the directory is free again. The lock file is owner-only, as every other
/// file the host writes.
/// </summary>
public sealed class DatabaseFileLockTests
{
    [Fact]
    public async Task SecondHost_OnTheSameEmbeddedDatabase_IsRefusedNamingTheDataDirectory_AndStartsOnceTheFirstHasStopped()
    {
        var root = Directory.CreateTempSubdirectory("riskmesh-lock-").FullName;
        var data = Path.Combine(root, "data");
        string[] Args() =>
        [
            "--urls", $"http://127.0.0.1:{RiskMeshHostFixture.FreePort()}",
            $"--RiskMesh:DataDirectory={data}",
            $"--RiskMesh:SiloPort={RiskMeshHostFixture.FreePort()}",
        ];

        try
        {
            var first = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(Args()));
            await first.StartAsync();
            try
            {
                var refused = Assert.Throws<InvalidSettingsException>(() => RiskMeshApp.CreateBuilder(Args()));

                var problem = Assert.Single(refused.Problems);
                Assert.StartsWith("RiskMesh:DataDirectory ", problem, StringComparison.Ordinal);
                Assert.Contains("riskmesh.db is in use by another RiskMesh host", problem, StringComparison.Ordinal);
                Assert.EndsWith("give this one a data directory of its own, e.g. --RiskMesh:DataDirectory=./data-2", problem, StringComparison.Ordinal);
            }
            finally
            {
                await first.StopAsync();
                await first.DisposeAsync();
            }

            var second = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(Args()));
            await second.StartAsync();
            await second.StopAsync();
            await second.DisposeAsync();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task LockFile_IsOwnerOnly_WhenTheHostCreatesIt_AndWhenAnOlderVersionLeftItWorldReadable()
    {
        var root = Directory.CreateTempSubdirectory("riskmesh-lock-mode-").FullName;
        var data = Path.Combine(root, "data");
        var lockFile = Path.Combine(data, "riskmesh.lock");
        async Task StartAndStopAsync()
        {
            var host = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(
            [
                "--urls", $"http://127.0.0.1:{RiskMeshHostFixture.FreePort()}",
                $"--RiskMesh:DataDirectory={data}",
                $"--RiskMesh:SiloPort={RiskMeshHostFixture.FreePort()}",
            ]));
            await host.StartAsync();
            await host.StopAsync();
            await host.DisposeAsync();
        }

        try
        {
            await StartAndStopAsync();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lockFile));

            File.SetUnixFileMode(lockFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await StartAndStopAsync();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lockFile));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
