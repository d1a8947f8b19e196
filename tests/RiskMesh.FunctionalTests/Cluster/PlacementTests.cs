using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// A cluster of three silos shares new entities among them: what one ingest through the API node activates is spread
/// over every silo, not kept on the silo that happened to take the batch. (What the first silo activated while it was
/// alone, the start-up evaluation's entities, stays on it: the test prints it; README, "Where grains run".)
/// </summary>
[Collection(ClusterProcesses.Collection)]
public sealed class PlacementTests(ITestOutputHelper output)
{
    // Sixty real ISO codes: any valid code creates a country, so one batch activates at least sixty entities of one kind.
    private static readonly string[] Countries =
    [
        "AF", "AL", "DZ", "AR", "AM", "AU", "AT", "AZ", "BD", "BY", "BE", "BO", "BR", "BG", "KH",
        "CM", "CA", "CL", "CO", "HR", "CU", "CZ", "DK", "EC", "EG", "EE", "ET", "FI", "FR", "GE",
        "DE", "GH", "GR", "HU", "IS", "IN", "ID", "IR", "IQ", "IE", "IL", "IT", "JP", "JO", "KE",
        "LV", "LT", "MY", "MX", "MA", "NP", "NL", "NZ", "NG", "NO", "PK", "PE", "PH", "PL", "PT",
    ];

    [Fact]
    public async Task ThreeSilos_OneBatchActivatesSixtyCountries_EverySiloHostsAShare()
    {
        await using var cluster = await ClusterProcesses.StartAsync("pl", silos: 3);
        using var http = cluster.Api.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(60);
        var client = new ClusterWorkload(http, Stopwatch.StartNew());
        await client.PostJsonAsync("/api/v1/clock", """{"date":"2020-04-20"}""", TimeSpan.FromSeconds(60));
        var atStart = await cluster.ActivationsBySiloPortAsync("RiskMesh");
        output.WriteLine("RiskMesh activations before the batch: " + string.Join(", ", cluster.Silos.Select(s => $"{s.Name} {atStart.GetValueOrDefault(s.SiloPort)}")));

        var batch = string.Join('\n', Countries.Select(c => JsonSerializer.Serialize(new
        {
            id = "placement-" + c,
            source = "placement",
            type = "country-cases",
            country = c,
            date = "2020-04-20",
            newCases = 10,
        })));
        Assert.Equal((Countries.Length, 0), await client.IngestAsync(batch, TimeSpan.FromSeconds(60)));

        var countries = await cluster.ActivationsBySiloPortAsync("CountryGrain");
        var all = await cluster.ActivationsBySiloPortAsync("RiskMesh");
        var bySilo = cluster.Silos.Select(s => (s.Name, Count: countries.GetValueOrDefault(s.SiloPort))).ToList();
        output.WriteLine("country activations: " + string.Join(", ", bySilo.Select(s => $"{s.Name} {s.Count}")));
        output.WriteLine("RiskMesh activations after the batch: " + string.Join(", ", cluster.Silos.Select(s => $"{s.Name} {all.GetValueOrDefault(s.SiloPort)}")));

        // The sixty, and any of the topology's own countries the cluster activated besides.
        var total = bySilo.Sum(s => s.Count);
        Assert.True(total >= Countries.Length, $"{total} country activations, fewer than the {Countries.Length} ingested");

        // Orleans places by the silos' load statistics (published about once a second, so one batch's activations are
        // placed by the same figures): the shares are uneven (4 to 51 of 70 seen), but no silo is left out.
        Assert.All(bySilo, s => Assert.True(s.Count > 0, $"{s.Name} hosts none of the {total} countries: {string.Join(", ", bySilo)}"));
        Assert.Empty(client.Failures);
    }
}
