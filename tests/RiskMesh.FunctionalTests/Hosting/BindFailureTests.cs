using System.Net;
using System.Net.Sockets;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// A busy HTTP port ends the host with one line naming the address and --urls: not with a crash (exit 134), not with
/// stack traces before the line, and before any data directory, key or database is created.
/// </summary>
public sealed class BindFailureTests
{
    [Fact]
    public async Task Start_HttpPortAlreadyInUse_ExitsWithOneLineNamingTheAddressAndUrls_NoTraceNoData()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)occupant.LocalEndpoint).Port}";
        var root = Directory.CreateTempSubdirectory("riskmesh-bind-").FullName;
        try
        {
            using var host = HostProcess.Start(root, $"--RiskMesh:DataDirectory={Path.Combine(root, "data")}", "--urls", address);

            Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(120)), "the host kept running on a busy port");
            var output = string.Join('\n', host.Output);
            Assert.True(host.ExitCode == RiskMeshApp.AddressInUseExitCode, $"exit code {host.ExitCode}:\n{output}");
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            // stdout (the host's log) and stderr (this line) are read apart, so the line is found, not expected last.
            var last = Assert.Single(host.Output, line => line.StartsWith("riskmesh-silo: cannot start", StringComparison.Ordinal));
            Assert.Contains(address, last, StringComparison.Ordinal);
            Assert.Contains("--urls", last, StringComparison.Ordinal);

            // That line is all: no stack trace, no exception dump from hosting or Orleans, nothing else at all.
            Assert.DoesNotContain(host.Output, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
            Assert.True(host.Output.Count(line => line.Trim().Length > 0) == 1, "expected one line, got:\n" + output);

            // Nothing was created: no data directory (so no admin key and no database).
            Assert.False(Directory.Exists(Path.Combine(root, "data")), "the data directory was created: " + string.Join(", ", Directory.GetFileSystemEntries(root)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public Task Start_SiloPortAlreadyInUse_DataDirectoryInUseToo_ExitsNamingTheSettingAndASeparateDataDirectory_NoData() =>
        // Newcomer 7 F6: following the hint alone (another silo port) put a second host on the first one's ./data.
        AssertStopsOnBusyPortAsync(
            "RiskMesh:SiloPort",
            (root, port) => [$"--RiskMesh:SiloPort={port}"],
            "--RiskMesh:DataDirectory=./data-2 (one host per data directory: another host is using ",
            dataDirectoryHeld: true);

    [Fact]
    public Task Start_SiloPortAlreadyInUse_DataDirectoryOfItsOwn_ExitsNamingTheSettingOnly() =>
        // Newcomer 14: a second host given a directory of its own was told that directory was "the first one's".
        AssertStopsOnBusyPortAsync("RiskMesh:SiloPort", (root, port) => [$"--RiskMesh:SiloPort={port}"]);

    [Fact]
    public Task Start_ClusterSiloGatewayPortAlreadyInUse_ExitsNamingTheSetting_BeforeTheDatabase() =>
        AssertStopsOnBusyPortAsync("RiskMesh:GatewayPort", (root, port) =>
        {
            var tls = Certificates.Write(root, "node");

            // No PostgreSQL listens on port 1: the port check must end the silo before anything reaches the database.
            return
            [
                "--RiskMesh:Role=silo",
                "--RiskMesh:Database:Invariant=Npgsql",
                "--RiskMesh:Database:ConnectionString=Host=127.0.0.1;Port=1;Username=postgres;Database=riskmesh",
                $"--RiskMesh:Tls:CaPath={tls.CaPath}",
                $"--RiskMesh:Tls:CertificatePath={tls.CertificatePath}",
                $"--RiskMesh:Tls:KeyPath={tls.KeyPath}",
                $"--RiskMesh:SiloPort={TestPorts.Free()}",
                $"--RiskMesh:GatewayPort={port}",
            ];
        });

    // Starts a host with another listener on the port the setting chooses: it must stop with exit 78, naming the
    // setting and a free neighbour, with no stack trace and before its data directory exists.
    // With dataDirectoryHeld, this process holds the data directory's lock as another host would.
    private static async Task AssertStopsOnBusyPortAsync(string setting, Func<string, int, string[]> argsFor, string? alsoSuggested = null, bool dataDirectoryHeld = false)
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var root = Directory.CreateTempSubdirectory("riskmesh-bind-").FullName;
        FileStream? heldLock = null;
        try
        {
            if (dataDirectoryHeld)
            {
                Directory.CreateDirectory(Path.Combine(root, "data"));
                heldLock = new FileStream(Path.Combine(root, "data", "riskmesh.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }

            using var host = HostProcess.Start(
                root,
                [$"--RiskMesh:DataDirectory={Path.Combine(root, "data")}", .. argsFor(root, port), "--urls", $"http://127.0.0.1:{TestPorts.Free()}"]);

            Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(120)), $"the host kept running beside another listener on its {setting}");
            var output = string.Join('\n', host.Output);
            Assert.True(host.ExitCode == RiskMeshApp.InvalidSettingsExitCode, $"exit code {host.ExitCode}:\n{output}");
            Assert.Contains($"{setting} {port} is already in use on 127.0.0.1", output, StringComparison.Ordinal);
            Assert.Contains($"--{setting}={port + 1}", output, StringComparison.Ordinal);
            if (alsoSuggested is not null)
            {
                Assert.Contains(alsoSuggested, output, StringComparison.Ordinal);
            }
            else
            {
                // A cluster silo keeps its data in PostgreSQL: no data directory to separate.
                Assert.DoesNotContain("--RiskMesh:DataDirectory=", output, StringComparison.Ordinal);
            }
            Assert.DoesNotContain(host.Output, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
            if (dataDirectoryHeld)
            {
                Assert.False(File.Exists(Path.Combine(root, "data", "riskmesh.db")), "the database was created");
            }
            else
            {
                Assert.False(Directory.Exists(Path.Combine(root, "data")), "the data directory was created");
            }
        }
        finally
        {
            heldLock?.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }
}
