using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// Early warning on a real silo: a neighbour's case series alone, through the default topology's nominal traffic,
/// moves the ports facing it and escalates their city; an ascertainment factor recorded by an event raises them further.
/// </summary>
public sealed class EarlyWarningGrainTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task CountryFeedOnly_PortsFacingItAreScoredFromNominalTraffic_AndTheirCityEscalatesWithThePlansActions()
    {
        // Russia: 150,000 cases in the 14 days to 20 April, 102.8 per 100,000. Suifenhe road port's nominal 1,100
        // travellers a day then carry 1.13 expected infected arrivals a day: high on exposure alone.
        await IngestAsync(
            """{"id":"ru-a","type":"country-cases","country":"RU","date":"2020-04-06","cumulativeCases":100000,"source":"gt"}""",
            """{"id":"ru-b","type":"country-cases","country":"RU","date":"2020-04-20","cumulativeCases":250000,"source":"gt"}""");

        var road = await fixture.Client.GetGrain<IPortGrain>("suifenhe-road").GetView();
        var rail = await fixture.Client.GetGrain<IPortGrain>("suifenhe-rail").GetView();
        var unrelated = await fixture.Client.GetGrain<IPortGrain>("ruili").GetView();
        var city = await fixture.Client.GetGrain<ICityGrain>("suifenhe").GetView();
        var notices = await fixture.Client.GetGrain<ICityResponseGrain>("suifenhe").EvaluateToToday();
        var all = await fixture.Client.GetGrain<ICityResponseGrain>("suifenhe").GetNotices(null, 0);

        Assert.Equal("high", road.Level);
        Assert.True(road.DataQuality.Estimated);
        Assert.False(road.DataQuality.Stale);
        Assert.Contains(road.DataQuality.Notes, n => n.Contains("nominal traffic of 1,100 a day (the topology's figure for this port)", StringComparison.Ordinal));
        Assert.Equal(1.1306, road.Metrics["expectedInfectedArrivalsPerDay"]!.Value, 3);
        Assert.Contains(road.Components, c => c.Name == "exposure" && c.Contribution > 0);
        // Origin countries named as the topology names them, not by code; the code stays the country's id.
        Assert.StartsWith("Travellers come from Russia (100%); their weighted country score is ", road.Components.Single(c => c.Name == "originCountries").Explanation, StringComparison.Ordinal);
        Assert.Contains(", mostly from Russia. About 1,100 inbound travellers a day (nominal, ", road.Components.Single(c => c.Name == "importPressure").Explanation, StringComparison.Ordinal);
        Assert.Equal("moderate", rail.Level);
        Assert.Equal("insufficient-data", unrelated.Level);
        Assert.Equal("moderate", city.Level);
        Assert.Contains(city.Components, c => c.Name == "portExposure" && c.Contribution > 0);

        // The city's score is the road port's estimated exposure one level lower: estimated too, through the push path.
        Assert.True(city.DataQuality.Estimated);
        Assert.Contains("estimated", city.DataQuality.Flags);
        // Which estimate, with the port's figure, handed from the port in its summary (eighth session; it said "nominal
        // or carried forward" where the port knew which).
        Assert.Contains("estimated: set by the exposure of Suifenhe road port, whose traffic is nominal: 1,100 a day (the topology's figure for the port), none reported in the last 7 days", city.DataQuality.Notes);
        var escalation = Assert.Single(all, n => n.Port is null && n.NewLevel == 2);
        Assert.Equal(1, escalation.PreviousLevel);
        Assert.Contains("Strengthen nucleic-acid testing at entry points.", escalation.Actions);
        // The levels as the plan in force names them, kept with the notice (try-out 6 F16).
        Assert.Equal(("normal vigilance", "heightened"), (escalation.PreviousLevelName, escalation.NewLevelName));
        Assert.StartsWith("Suifenhe escalates from level 1 (normal vigilance) to level 2 (heightened) on ", escalation.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(notices, n => n.Port is null && n.Id != escalation.Id && n.NewLevel == 2);
    }

    [Fact]
    public async Task AscertainmentFactorRecordedForTheNeighbour_RaisesThePortsFacingIt()
    {
        // Mongolia: 300 cases in 14 days, 9.15 per 100,000; Erenhot road port's 1,500 a day carry 0.14 expected
        // infected arrivals a day. Recording that official counts understate by ×10 makes it 1.37: high.
        await IngestAsync(
            """{"id":"mn-a","type":"country-cases","country":"MN","date":"2020-04-06","cumulativeCases":100,"source":"gt"}""",
            """{"id":"mn-b","type":"country-cases","country":"MN","date":"2020-04-20","cumulativeCases":400,"source":"gt"}""");
        var before = await fixture.Client.GetGrain<IPortGrain>("erenhot-road").GetView();

        await IngestAsync("""{"id":"mn-asc","type":"capacity","subject":"country:MN","date":"2020-04-15","ascertainmentFactor":10,"source":"analyst"}""");
        var after = await fixture.Client.GetGrain<IPortGrain>("erenhot-road").GetView();
        var country = await fixture.Client.GetGrain<ICountryGrain>("MN").GetView();

        Assert.Equal("low", before.Level);
        Assert.Equal("high", after.Level);
        Assert.Equal(10 * before.Metrics["expectedInfectedArrivalsPerDay"]!.Value, after.Metrics["expectedInfectedArrivalsPerDay"]!.Value, 3);
        Assert.Contains("ascertainment ×10", after.Components.Single(c => c.Name == "importPressure").Explanation, StringComparison.Ordinal);
        Assert.Equal(10, country.Metrics["ascertainmentFactor"]);
        Assert.Contains("official counts × ascertainment ×10", country.Components.Single(c => c.Name == "incidence").Explanation, StringComparison.Ordinal);
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
