using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskMesh.Abstractions;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Grains.Persistence;
using RiskMesh.Silo.Hosting;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// Three silo processes on real PostgreSQL run one daily evaluation per cluster, not one per silo: once when the
/// cluster starts, and once when the clock's day moves (noticed by the cluster's one reminder). Each silo's
/// <c>riskmesh_daily_evaluations_total</c> at <c>/metrics</c> counts the runs it hosted; the test sums them.
/// </summary>
public sealed class DailyEvaluationClusterTests(ITestOutputHelper output)
{
    // The reminder ticks every minute; allow for a loaded machine.
    private static readonly TimeSpan ReminderBudget = TimeSpan.FromSeconds(150);

    private static string ConnectionString => TestPostgres.ConnectionString;

    [Fact]
    public async Task ThreeSilos_StartAndDayMoves_EachEvaluatedOnceInTheWholeCluster()
    {
        var service = "de-" + Guid.NewGuid().ToString("N")[..12];
        var directories = Enumerable.Range(1, 3).Select(i => Path.Combine(Path.GetTempPath(), $"riskmesh-{service}-{i}")).ToList();
        directories.ForEach(d => Directory.CreateDirectory(d));
        var silos = new List<SiloProcess>();
        try
        {
            silos.Add(await SiloProcess.StartAsync(directories[0], Args(service, applySchema: true)));
            var key = await RiskMeshHostFixture.ReadAdminKeyAsync(directories[0]);
            silos.AddRange(await Task.WhenAll(directories.Skip(1).Select(d => SiloProcess.StartAsync(d, Args(service, applySchema: false)))));
            var clients = silos.Select(s => s.CreateClient(key)).ToList();

            // Every silo's starter has called the grain by the time it is ready; give late calls a moment anyway.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var atStart = await RunsAsync(clients);
            output.WriteLine($"after start: {Describe(atStart)}");
            Assert.Equal(1, atStart.GetValueOrDefault("start"));
            Assert.Equal(1, atStart.Values.Sum());

            // Move the day behind the API's back (the API would evaluate at once): only the reminder can notice.
            await SetClockDirectlyAsync(service, new DateOnly(2020, 4, 20));
            var clock = Stopwatch.StartNew();
            var runs = atStart;
            while (runs.GetValueOrDefault("reminder") == 0 && clock.Elapsed < ReminderBudget)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                runs = await RunsAsync(clients);
            }

            output.WriteLine($"reminder ran {clock.Elapsed.TotalSeconds:F0} s after the day moved: {Describe(runs)}");
            Assert.Equal(1, runs.GetValueOrDefault("reminder"));

            // Every silo used to evaluate on its own within 30 s of the day moving: wait past that and count again.
            await Task.Delay(TimeSpan.FromSeconds(35));
            var final = await RunsAsync(clients);
            output.WriteLine($"35 s later: {Describe(final)}");
            Assert.Equal(1, final.GetValueOrDefault("reminder"));
            Assert.Equal(2, final.Values.Sum());
            clients.ForEach(c => c.Dispose());
        }
        finally
        {
            foreach (var silo in silos)
            {
                silo.Dispose();
            }

            directories.ForEach(RiskMeshHostFixture.DeleteDirectory);
        }
    }

    private static string[] Args(string service, bool applySchema) =>
    [
        "--RiskMesh:Role=silo",
        "--RiskMesh:Database:Invariant=Npgsql",
        $"--RiskMesh:Database:ConnectionString={ConnectionString}",
        $"--RiskMesh:Database:ApplySchemaOnStart={(applySchema ? "true" : "false")}",
        $"--RiskMesh:ServiceId={service}",
        $"--RiskMesh:ClusterId={service}",
    ];

    private static string Describe(Dictionary<string, int> runs) =>
        runs.Count == 0 ? "no runs" : string.Join(", ", runs.Select(r => $"{r.Key} {r.Value}"));

    /// <summary>Daily evaluation runs by trigger, summed over every silo's /metrics.</summary>
    private static async Task<Dictionary<string, int>> RunsAsync(IEnumerable<HttpClient> silos)
    {
        var runs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var silo in silos)
        {
            var text = await silo.GetStringAsync("/metrics");
            foreach (Match m in Regex.Matches(text, @"^riskmesh_daily_evaluations_total\{[^}]*trigger=""([^""]+)""[^}]*\} (\S+)", RegexOptions.Multiline))
            {
                runs[m.Groups[1].Value] = runs.GetValueOrDefault(m.Groups[1].Value) + (int)double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        return runs;
    }

    /// <summary>Sets the clock grain as an Orleans client, so no API evaluation follows.</summary>
    private static async Task SetClockDirectlyAsync(string service, DateOnly date)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseRiskMeshClientClustering(
            DatabaseSettings.Create(RiskMeshStorage.PostgresInvariant, ConnectionString),
            new ClusterSettings(service, service, 0, 0, null)));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await host.Services.GetRequiredService<IClusterClient>().GetGrain<IClockGrain>(GrainKeys.Singleton).Set(date);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
