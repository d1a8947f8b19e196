using System.Reflection;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// Start-up failures of the environment said in one line with their own exit code (newcomer 22b H2): a silo and an API
/// node started while PostgreSQL does not answer died with an unhandled NpgsqlException, twenty lines of stack trace
/// and SIGABRT (exit status 134); they now wait <see cref="StartFailure.DatabaseWaitLimit"/> for it, then exit 69
/// naming the database's address. And <c>riskmesh-silo settings check</c>, which deploy/local-cluster.sh runs before it
/// records a setting or stops a process (newcomer 22b H1): 78 with the host's message, or 0 with its warnings.
/// </summary>
public sealed class StartFailureTests
{
    [Fact]
    public async Task SiloAndApiNode_DatabaseDoesNotAnswer_WaitThenExit69InOneLine_NoStackTrace()
    {
        var root = Directory.CreateTempSubdirectory("riskmesh-nodb-").FullName;
        try
        {
            // A port nothing listens on: the connection is refused at once, as with PostgreSQL stopped.
            var port = TestPorts.Free();
            var connection = $"--RiskMesh:Database:ConnectionString=Host=127.0.0.1;Port={port};Username=postgres;Database=riskmesh";
            using var silo = HostProcess.Start(root, "--RiskMesh:Role=silo", "--RiskMesh:Database:Invariant=Npgsql", connection,
                $"--RiskMesh:DataDirectory={Path.Combine(root, "silo")}", "--urls", "http://127.0.0.1:0");
            using var api = HostProcess.Start(root, "--RiskMesh:Role=api", "--RiskMesh:Database:Invariant=Npgsql", connection,
                $"--RiskMesh:DataDirectory={Path.Combine(root, "api")}", "--urls", "http://127.0.0.1:0");

            foreach (var host in new[] { silo, api })
            {
                Assert.True(await host.WaitForExitAsync(StartFailure.DatabaseWaitLimit + TimeSpan.FromSeconds(60)), "the host kept running without its database");
                var output = string.Join('\n', host.Output);
                Assert.True(host.ExitCode == RiskMeshApp.DatabaseUnavailableExitCode, $"exit {host.ExitCode}:\n{output}");
                Assert.Contains($"the database at 127.0.0.1:{port} (database riskmesh) does not answer (", output, StringComparison.Ordinal);
                Assert.Contains("waiting up to 30 s for it", output, StringComparison.Ordinal);
                Assert.Contains($"riskmesh-silo: cannot start: the database at 127.0.0.1:{port} (database riskmesh) does not answer after 3", output, StringComparison.Ordinal);
                Assert.Contains("Start PostgreSQL", output, StringComparison.Ordinal);
                Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task SettingsCheck_RefusesABadValueWithExit78_WarnsOfATypo_StartsNothing()
    {
        var root = Directory.CreateTempSubdirectory("riskmesh-check-").FullName;
        try
        {
            var dataDirectory = Path.Combine(root, "data");
            var refused = await CheckAsync(root, "--RiskMesh:Api:MaxRankingLimit=abc", $"--RiskMesh:DataDirectory={dataDirectory}");
            Assert.True(refused.ExitCode == RiskMeshApp.InvalidSettingsExitCode, refused.ToString());
            Assert.Contains("RiskMesh:Api:MaxRankingLimit must be a whole number, got 'abc'", refused.Error, StringComparison.Ordinal);

            var typo = await CheckAsync(root, "--RiskMesh:Api:MaxRankLimit=5", $"--RiskMesh:DataDirectory={dataDirectory}");
            Assert.True(typo.ExitCode == 0, typo.ToString());
            Assert.Contains("riskmesh-silo: warning: RiskMesh:Api:MaxRankLimit is not a setting", typo.Error, StringComparison.Ordinal);
            Assert.Contains("settings valid", typo.Out, StringComparison.Ordinal);

            Assert.False(Directory.Exists(dataDirectory), "a settings check created the data directory");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void EarlierSiloNotYetDead_RecognisedAnywhereInTheChain_OtherRejectionsNot()
    {
        // Orleans' own words when a silo starts on the address of one killed a moment ago (newcomer 22b H2).
        var notYetDead = Rejection("The target silo is no longer active: target was S127.0.0.1:19112:154967433, but this silo is S127.0.0.1:19112:154967554");
        Assert.True(StartFailure.IsEarlierSiloNotYetDead(notYetDead));
        Assert.True(StartFailure.IsEarlierSiloNotYetDead(new AggregateException(new InvalidOperationException("start failed", notYetDead))));
        Assert.False(StartFailure.IsEarlierSiloNotYetDead(Rejection("Message queue is full")));
        Assert.False(StartFailure.IsEarlierSiloNotYetDead(new InvalidOperationException("no longer active")));
    }

    private static async Task<Deployment.ScriptResult> CheckAsync(string workingDirectory, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(typeof(RiskMeshApp).Assembly.Location);
        info.ArgumentList.Add("settings");
        info.ArgumentList.Add("check");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new Deployment.ScriptResult(process.ExitCode, await output, await error);
    }

    // Orleans makes this exception itself only (its constructor is not public).
    private static Exception Rejection(string message) => (Exception)Activator.CreateInstance(
        typeof(Orleans.Runtime.OrleansMessageRejectionException),
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public,
        binder: null,
        [message],
        culture: null)!;
}
