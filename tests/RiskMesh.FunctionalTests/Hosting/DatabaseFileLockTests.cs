using System.Diagnostics;
using System.Runtime.Versioning;
using Microsoft.Extensions.Configuration;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// One host per embedded database (review 8 F4): a second host on the same data directory, with ports of its own, is
/// refused before it touches the database, instead of serving the same grains beside the first and overwriting their
/// state; once the first host has stopped, the directory is free again. The lock file is owner-only, as every other
/// file the host writes. A lock file that a host run as another user left owner-only is refused with the same clear
/// words and the file named, not with an access error (review 12 L9).
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
            "--urls", $"http://127.0.0.1:{TestPorts.Free()}",
            $"--RiskMesh:DataDirectory={data}",
            $"--RiskMesh:SiloPort={TestPorts.Free()}",
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
                "--urls", $"http://127.0.0.1:{TestPorts.Free()}",
                $"--RiskMesh:DataDirectory={data}",
                $"--RiskMesh:SiloPort={TestPorts.Free()}",
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

    [Theory]
    [InlineData("600")]
    [InlineData("644")]
    [InlineData("absent")]
    [UnsupportedOSPlatform("windows")]
    public async Task LockFile_OfAHostRunAsAnotherUser_IsRefusedAsInUse_NamingTheLockFile_NotAnAccessError(string mode)
    {
        // As root (CI), the host runs as nobody (setpriv): the lock file is root's, owner-only as this version makes it
        // or 0644 as an older one left it, in a data directory of nobody's own; "absent": no lock file, in a data
        // directory of root's that nobody may write (review 13 L9: an unhandled access error, exit 134). As another
        // user, who cannot play a second one, the host runs as that user: a lock file it may not open (mode 000), and
        // a data directory under /, which it may not create. Either way the same refusals are reached, never skipped.
        var asRoot = Environment.UserName == "root";
        var root = Directory.CreateTempSubdirectory("riskmesh-lock-user-").FullName;
        var data = asRoot || mode != "absent" ? Path.Combine(root, "data") : $"/riskmesh-lock-user-{Guid.NewGuid():N}/data";
        var lockFile = Path.Combine(data, "riskmesh.lock");
        try
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            if (mode == "absent")
            {
                if (asRoot)
                {
                    Directory.CreateDirectory(data);
                    await RunAsync("chmod", "755", data);
                }
            }
            else
            {
                Directory.CreateDirectory(data);
                await File.WriteAllBytesAsync(lockFile, []);
                await RunAsync("chmod", asRoot ? mode : "000", lockFile);
                if (asRoot)
                {
                    await RunAsync("chown", "nobody:nogroup", data);
                    await RunAsync("chmod", "700", data);
                }
            }

            var info = new ProcessStartInfo(asRoot ? "setpriv" : "dotnet")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (asRoot ? ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "dotnet"] : Array.Empty<string>()).Concat(
            [
                typeof(RiskMeshApp).Assembly.Location,
                "--urls", $"http://127.0.0.1:{TestPorts.Free()}",
                $"--RiskMesh:DataDirectory={data}",
                $"--RiskMesh:SiloPort={TestPorts.Free()}",
            ]))
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["HOME"] = root;
            info.Environment["DOTNET_CLI_HOME"] = root;
            using var host = Process.Start(info)!;
            var stderr = host.StandardError.ReadToEndAsync();
            var stdout = host.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.WaitForExitAsync(timeout.Token);
            var said = await stderr + await stdout;

            Assert.True(host.ExitCode == RiskMeshApp.InvalidSettingsExitCode, $"exit {host.ExitCode}: {said}");
            Assert.Contains(
                mode == "absent"
                    ? $"RiskMesh:DataDirectory {data}: this user may not create it or make it owner-only (it belongs to another user, or its parent may not be written);"
                    : $"riskmesh.db is in use by another RiskMesh host, or was by one run as another user: this user may not open its lock file {lockFile};",
                said,
                StringComparison.Ordinal);
            Assert.DoesNotContain("UnauthorizedAccessException", said, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(data, "riskmesh.db")), "refused before the database was touched");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void LockFile_ThisUserMayLockButNotMakeOwnerOnly_IsHeldAndTheHostWarnsNamingIt()
    {
        // Another user's lock file left writable by all: this user may open and lock it, not chmod it (review 13 L10:
        // the warning branch was untested). The chmod's refusal is played, as only root can make another user's file.
        var root = Directory.CreateTempSubdirectory("riskmesh-lock-warn-").FullName;
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(data);
        var settings = RiskMeshHostSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RiskMesh:DataDirectory"] = data })
            .Build());
        using var warnings = new StringWriter();
        try
        {
            using (var held = DatabaseFileLock.Acquire(settings, _ => throw new UnauthorizedAccessException("Operation not permitted"), warnings))
            {
                Assert.NotNull(held);
                Assert.Equal(
                    $"riskmesh-silo: warning: the lock file {Path.Combine(data, "riskmesh.lock")} belongs to another user and stays readable by others; it holds nothing, but the data directory should be this user's alone",
                    warnings.ToString().TrimEnd());

                // Held all the same: a second host on the directory is refused.
                var refused = Assert.Throws<InvalidSettingsException>(() => DatabaseFileLock.Acquire(settings));
                Assert.Contains("riskmesh.db is in use by another RiskMesh host", Assert.Single(refused.Problems), StringComparison.Ordinal);
            }

            // Released with the host: the directory is free again.
            DatabaseFileLock.Acquire(settings, _ => { }, warnings)?.Dispose();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task RunAsync(string command, params string[] args)
    {
        using var process = Process.Start(command, args);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
