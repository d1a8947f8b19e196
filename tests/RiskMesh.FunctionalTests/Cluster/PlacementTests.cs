using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// A cluster of three silos shares new entities evenly among them: what one ingest through the API node activates is
/// spread over every silo, not kept on a few. (What the first silo activated while it was
/// alone, the start-up evaluation's entities, stays on it: the test prints it; README, "Where grains run".)
/// </summary>
[Collection(ClusterProcesses.Collection)]
public sealed class PlacementTests(ITestOutputHelper output)
{
    // Sixty real ISO codes: any valid code creates a country, so one batch activates some sixty entities of one kind.
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
        var countriesAtStart = await cluster.ActivationsBySiloPortAsync("CountryGrain");
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
        var bySilo = cluster.Silos.Select(s => (s.Name, New: countries.GetValueOrDefault(s.SiloPort) - countriesAtStart.GetValueOrDefault(s.SiloPort))).ToList();
        output.WriteLine("new country activations: " + string.Join(", ", bySilo.Select(s => $"{s.Name} {s.New}")));
        output.WriteLine("RiskMesh activations after the batch: " + string.Join(", ", cluster.Silos.Select(s => $"{s.Name} {all.GetValueOrDefault(s.SiloPort)}")));
        // A few of the sixty border the topology and were active before the batch.
        Assert.True(bySilo.Sum(s => s.New) >= Countries.Length - 10, $"only {bySilo.Sum(s => s.New)} new country activations");

        // Placed at random, each silo's share is binomial(about 57, 1/3), 19 on average: fewer than 6 happens about once
        // in 10^4 runs. By load figures published once a second (Orleans' default), a silo got none of a batch.
        Assert.All(bySilo, s => Assert.True(s.New >= Countries.Length / 10, $"{s.Name} got {s.New} of the {Countries.Length} new countries: {string.Join(", ", bySilo)}"));
        Assert.Empty(client.Failures);
    }
}
