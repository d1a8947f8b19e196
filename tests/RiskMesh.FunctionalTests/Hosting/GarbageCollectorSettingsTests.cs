using System.Text.Json;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>The host and the bench that measures it run the same garbage collector and thread-pool settings, those the README's GET figures were measured with.</summary>
public sealed class GarbageCollectorSettingsTests
{
    [Theory]
    [InlineData("riskmesh-silo.runtimeconfig.json")]
    [InlineData("RiskMesh.Bench.runtimeconfig.json")]
    public void RuntimeConfig_WorkstationConcurrentGc(string file)
    {
        var path = FindRuntimeConfig(file);
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean(), $"{path}: System.GC.Server");
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean(), $"{path}: System.GC.Concurrent");
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
