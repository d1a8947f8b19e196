using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A port's standing (what a port-above-city notice says of it), made from one assessment of today, is its view's score
/// and top drivers, before and after a view of it is kept.
/// </summary>
public sealed class PortStandingTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task Standing_IsTheViewsScoreAndTopThreeDrivers_BeforeAndAfterTheViewIsKept()
    {
        // Laos with cases, Mohan road port with traffic from it, imported cases and capacity: several components count.
        await IngestAsync(
            """{"id":"ps-la-a","type":"country-cases","country":"LA","date":"2020-04-06","cumulativeCases":1000,"source":"ps"}""",
            """{"id":"ps-la-b","type":"country-cases","country":"LA","date":"2020-04-20","cumulativeCases":9000,"source":"ps"}""",
            """{"id":"ps-tr","type":"traffic","port":"mohan-road","date":"2020-04-19","inbound":2400,"origins":{"LA":2000},"source":"ps"}""",
            """{"id":"ps-case","type":"case","location":"port:mohan-road","date":"2020-04-18","count":6,"classification":"imported-confirmed","origin":"LA","source":"ps"}""",
            """{"id":"ps-cap","type":"capacity","subject":"port:mohan-road","date":"2020-04-17","testsPerDay":300,"testTurnaroundHours":30,"testKits":500,"source":"ps"}""");
        var port = fixture.Client.GetGrain<IPortGrain>("mohan-road");

        var assessed = await port.GetStandingInterleaved();
        var view = await port.GetView();
        var kept = await port.GetStandingInterleaved();

        var expected = view.Components.OrderByDescending(c => c.Contribution).Take(3).ToList();
        Assert.Equal(3, expected.Count);
        Assert.True(expected[0].Contribution > 0);
        foreach (var standing in new[] { assessed, kept })
        {
            Assert.Equal(view.AsOf, standing.AsOf);
            Assert.NotNull(standing.Score);
            Assert.Equal(view.Score, standing.Score);
            Assert.Equal(expected, standing.Drivers);
        }
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
