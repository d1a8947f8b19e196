using System.Text.Json;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>The host and the bench that measures it run the same garbage collector and thread-pool settings, those the README's GET figures were measured with.</summary>
public sealed class GarbageCollectorSettingsTests
{
    [Theory]
    [InlineData("riskmesh-silo.runtimeconfig.json")]
    [InlineData("RiskMesh.Bench.runtimeconfig.json")]
    public void RuntimeConfig_ServerConcurrentGc_WithoutDynamicAdaptation(string file)
    {
        var path = FindRuntimeConfig(file);
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean(), $"{path}: System.GC.Server");
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean(), $"{path}: System.GC.Concurrent");
        Assert.Equal(0, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
    }

    [Theory]
    [InlineData("riskmesh-silo.runtimeconfig.json")]
    [InlineData("RiskMesh.Bench.runtimeconfig.json")]
    public void RuntimeConfig_IdleThreadPoolWorkersDoNotSpin(string file)
    {
        var path = FindRuntimeConfig(file);
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }

    /// <summary>The variable that sets the smallest gen-0 budget: the runtime reads it from the environment only.</summary>
    public const string Gen0SizeVariable = "DOTNET_GCgen0size";

    [Fact]
    public void LaunchSettings_SetA32MiBGen0BudgetPerHeap()
    {
        const string project = "src/RiskMesh.Silo";
        // Hexadecimal, as the runtime parses its DOTNET_GC variables: 32 MiB per heap (server GC, a heap per core; 64 MiB
        // on two cores, as the workstation collector's single heap had) instead of the default (about the size of the
        // L3 cache), so a GET load collects a quarter as often (docs/performance.md, "The GET tail at 100,000 entities").
        Assert.Equal("0x2000000", LaunchEnvironment(project)[Gen0SizeVariable]);
    }

    [Fact]
    public async Task Bench_StartedWithoutTheGen0Budget_RunsAgainWithTheHostsOne_AndKeepsStdoutForItsJson()
    {
        // Not through launch settings: `dotnet run` announces those on stdout, where the bench writes only its JSON.
        Assert.False(File.Exists(Path.Combine(Deployment.HostEnvironment.RepositoryRoot, "bench", "RiskMesh.Bench", "Properties", "launchSettings.json")));
        var runtimeConfig = FindRuntimeConfig("RiskMesh.Bench.runtimeconfig.json");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Path.GetDirectoryName(runtimeConfig)!, "RiskMesh.Bench.dll"));
        start.ArgumentList.Add("--help");
        start.Environment.Remove(Gen0SizeVariable);

        using var bench = System.Diagnostics.Process.Start(start)!;
        var stdout = bench.StandardOutput.ReadToEndAsync();
        var stderr = bench.StandardError.ReadToEndAsync();
        await bench.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(bench.ExitCode == 0, await stderr);
        Assert.Equal("", await stdout);
        Assert.Contains($"{Gen0SizeVariable}={LaunchEnvironment("src/RiskMesh.Silo")[Gen0SizeVariable]}", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_SetsTheSameGen0BudgetAsDotnetRun()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deployment.HostEnvironment.RepositoryRoot, "deploy", "Dockerfile"));
        Assert.Contains($"{Gen0SizeVariable}={LaunchEnvironment("src/RiskMesh.Silo")[Gen0SizeVariable]}", dockerfile, StringComparison.Ordinal);
    }

    /// <summary>The environment of every launch profile of a project (what <c>dotnet run</c> sets), by variable; profiles must agree.</summary>
    public static Dictionary<string, string> LaunchEnvironment(string project)
    {
        var path = Path.Combine(Deployment.HostEnvironment.RepositoryRoot, project, "Properties", "launchSettings.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(path));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            foreach (var variable in profile.Value.GetProperty("environmentVariables").EnumerateObject())
            {
                Assert.True(
                    environment.TryAdd(variable.Name, variable.Value.GetString()!) || environment[variable.Name] == variable.Value.GetString(),
                    $"{path}: profiles disagree on {variable.Name}");
            }
        }

        return environment;
    }

    private static string FindRuntimeConfig(string file)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, file);
        if (File.Exists(beside))
        {
            return beside;
        }

        // The bench is not referenced by the tests: read its build output in the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "RiskMesh.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var bench = Path.Combine(root.FullName, "bench", "RiskMesh.Bench", "bin", configuration, "net10.0", file);
        Assert.True(File.Exists(bench), $"{bench} is missing: build RiskMesh.sln first");
        return bench;
    }
}
