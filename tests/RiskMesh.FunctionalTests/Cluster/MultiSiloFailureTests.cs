using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Keys;
using RiskMesh.Silo.Hosting;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>Two silo processes on PostgreSQL: killing one (SIGKILL) loses no event the cluster acknowledged.</summary>
public sealed class MultiSiloFailureTests(ITestOutputHelper output)
{
    private const int CountryCount = 200;
    private const int BaseCases = 1000;

    // FACTS.md: a killed silo is declared dead in 1.5–20 s; calls to its grains fail fast until then.
    private static readonly TimeSpan FailoverBudget = TimeSpan.FromSeconds(30);

    private static string ConnectionString => TestPostgres.ConnectionString;

    [Fact]
    public async Task TwoSilos_SecondKilledAfterIngest_EveryAcknowledgedEventVisibleThroughFirstAndResendIsDuplicate()
    {
        var connectionString = ConnectionString;
        var service = "ms-" + Guid.NewGuid().ToString("N")[..12];
        var source = "ms-" + service;
        var firstDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service + "-1");
        var secondDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-" + service + "-2");
        Directory.CreateDirectory(firstDirectory);
        Directory.CreateDirectory(secondDirectory);
        var countries = IsoCountries.All.Take(CountryCount).Select(c => c.Code).ToList();
        var batch = Batch(source, countries);
        try
        {
            using var first = await SiloProcess.StartAsync(firstDirectory, SiloArgs(connectionString, service, TestPorts.Free(), applySchema: true));
            var key = await RiskMeshHostFixture.ReadAdminKeyAsync(firstDirectory);
            var secondSiloPort = TestPorts.Free();
            using var second = await SiloProcess.StartAsync(secondDirectory, SiloArgs(connectionString, service, secondSiloPort, applySchema: false));
            using var viaFirst = first.CreateClient(key);
            using var viaSecond = second.CreateClient(key);

            // The key issued by silo 1 works on silo 2 and the clock set through silo 1 is the cluster's, not a process's.
            (await viaFirst.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
            Assert.Equal("2020-04-20", (await viaSecond.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
            var ingest = await viaFirst.PostAsync("/api/v1/events", new StringContent(batch, Encoding.UTF8, "application/x-ndjson"));
            Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
            Assert.Equal(2 * CountryCount, (await ingest.BodyAsync()).GetProperty("accepted").GetInt32());

            // Reading every view through both silos activates grains wherever Orleans places them.
            Assert.Empty(await WrongCountriesAsync(viaSecond, countries));
            Assert.Empty(await WrongCountriesAsync(viaFirst, countries));
            var onSecond = await CountryActivationsOnSiloAsync(connectionString, service, secondSiloPort);
            Assert.True(onSecond > 0, "no country grain was active on silo 2, so killing it would prove nothing");

            await second.KillAsync();
            var clock = Stopwatch.StartNew();
            var wrong = await WrongCountriesAsync(viaFirst, countries);
            output.WriteLine($"silo 2 held {onSecond} of {CountryCount} countries; right after the kill {wrong.Count} could not be read correctly through silo 1");
            while (wrong.Count > 0 && clock.Elapsed < FailoverBudget)
            {
                await Task.Delay(500);
                wrong = await WrongCountriesAsync(viaFirst, wrong);
            }

            output.WriteLine($"every country correct through silo 1 {clock.Elapsed.TotalSeconds:F1} s after the kill");
            Assert.True(wrong.Count == 0, $"{wrong.Count} countries still wrong {clock.Elapsed.TotalSeconds:F1} s after silo 2 (which held {onSecond} countries) was killed: {string.Join(", ", wrong.Take(10))}");
            var resend = await viaFirst.PostAsync("/api/v1/events", new StringContent(batch, Encoding.UTF8, "application/x-ndjson"));
            var resendBody = await resend.BodyAsync();
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
            Assert.Equal(0, resendBody.GetProperty("accepted").GetInt32());
            Assert.Equal(2 * CountryCount, resendBody.GetProperty("duplicates").GetInt32());
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(firstDirectory);
            RiskMeshHostFixture.DeleteDirectory(secondDirectory);
        }
    }

    private static string[] SiloArgs(string connectionString, string service, int siloPort, bool applySchema) =>
    [
        "--RiskMesh:Role=both",
        $"--RiskMesh:SiloPort={siloPort}",
        "--RiskMesh:Database:Invariant=Npgsql",
        $"--RiskMesh:Database:ConnectionString={connectionString}",
        $"--RiskMesh:Database:ApplySchemaOnStart={(applySchema ? "true" : "false")}",
        $"--RiskMesh:ServiceId={service}",
        $"--RiskMesh:ClusterId={service}",
    ];

    /// <summary>Two reports per country, 14 days apart, so each country's 14-day case count is its own number.</summary>
    private static string Batch(string source, IReadOnlyList<string> countries)
    {
        var lines = new List<string>();
        for (var i = 0; i < countries.Count; i++)
        {
            lines.Add(JsonSerializer.Serialize(new { id = $"{countries[i]}-0406", source, type = "country-cases", country = countries[i], date = "2020-04-06", cumulativeCases = BaseCases }));
            lines.Add(JsonSerializer.Serialize(new { id = $"{countries[i]}-0420", source, type = "country-cases", country = countries[i], date = "2020-04-20", cumulativeCases = BaseCases + ExpectedCases(countries[i]) }));
        }

        return string.Join('\n', lines);
    }

    private static int ExpectedCases(string code) => ((code[0] - 'A') * 26) + (code[1] - 'A') + 1;

    /// <summary>The countries whose view cannot be read or does not show their own 14-day case count.</summary>
    private static async Task<List<string>> WrongCountriesAsync(HttpClient client, IReadOnlyList<string> countries)
    {
        var wrong = new List<string>();
        foreach (var code in countries)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var response = await client.GetAsync($"/api/v1/countries/{code}", timeout.Token);
                if (!response.IsSuccessStatusCode || (await response.BodyAsync()).Metric("cases14d") != ExpectedCases(code))
                {
                    wrong.Add(code);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                wrong.Add(code);
            }
        }

        return wrong;
    }

    /// <summary>Asks the cluster, as an Orleans client, how many country grains are active on the silo with this port.</summary>
    private static async Task<int> CountryActivationsOnSiloAsync(string connectionString, string service, int siloPort)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseRiskMeshClientClustering(
            DatabaseSettings.Create(RiskMeshStorage.PostgresInvariant, connectionString),
            new ClusterSettings(service, service, 0, 0, null)));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            var statistics = await management.GetSimpleGrainStatistics();
            return statistics
                .Where(s => s.SiloAddress.Endpoint.Port == siloPort && s.GrainType.Contains("CountryGrain", StringComparison.Ordinal))
                .Sum(s => s.ActivationCount);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
