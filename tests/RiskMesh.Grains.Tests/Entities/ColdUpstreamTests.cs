using System.Text;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// An upstream entity that is not active when a batch for it arrives activates, replays its journal (which already
/// holds that batch) and then folds the batch: the change still reaches the active entities downstream of it.
/// </summary>
public sealed class ColdUpstreamTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task CountryDeactivated_NextBatchActivatesIt_PortsFacingItThatStayedActiveSeeTheBatch()
    {
        await IngestAsync(
            """{"id":"mn-1","type":"country-cases","country":"MN","date":"2020-04-06","cumulativeCases":100,"source":"gt"}""",
            """{"id":"mn-2","type":"country-cases","country":"MN","date":"2020-04-13","cumulativeCases":150,"source":"gt"}""");
        var before = await fixture.Client.GetGrain<IPortGrain>("erenhot-road").GetView();
        await fixture.Client.GetGrain<ICountryGrain>("MN").AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);

        await IngestAsync("""{"id":"mn-3","type":"country-cases","country":"MN","date":"2020-04-20","cumulativeCases":400,"source":"gt"}""");
        var after = await fixture.Client.GetGrain<IPortGrain>("erenhot-road").GetView();
        var country = await fixture.Client.GetGrain<ICountryGrain>("MN").GetView();

        // What the port says when it reads everything afresh: a new activation pulls the country's days anew.
        await fixture.Client.GetGrain<IPortGrain>("erenhot-road").AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);
        var fresh = await fixture.Client.GetGrain<IPortGrain>("erenhot-road").GetView();

        Assert.NotEqual(before.Metrics["expectedInfectedArrivalsPerDay"], fresh.Metrics["expectedInfectedArrivalsPerDay"]);
        Assert.Equal(fresh.Metrics["expectedInfectedArrivalsPerDay"], after.Metrics["expectedInfectedArrivalsPerDay"]);
        Assert.Equal(fresh.Score, after.Score);
        Assert.Equal(country.Metrics["incidence14dPer100k"], (await fixture.Client.GetGrain<ICountryGrain>("MN").GetView()).Metrics["incidence14dPer100k"]);
    }

    [Fact]
    public async Task EntityDeactivated_ABatchReplacingAReportActivatesIt_TheAnswerStillCountsTheReplacement()
    {
        // The activation replays the journal, which already holds the batch, so the Apply that follows folds nothing
        // new: the replacement its replay saw is counted in this batch's answer all the same.
        var first = await IngestAsync("""{"id":"np-1","type":"country-cases","country":"NP","date":"2020-04-13","cumulativeCases":10,"source":"gt"}""");
        await fixture.Client.GetGrain<ICountryGrain>("NP").AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);

        var cold = await IngestAsync("""{"id":"np-2","type":"country-cases","country":"NP","date":"2020-04-13","cumulativeCases":12,"source":"gt"}""");
        var warm = await IngestAsync("""{"id":"np-3","type":"country-cases","country":"NP","date":"2020-04-13","cumulativeCases":14,"source":"gt"}""");

        Assert.Equal((1, 0), (first.Accepted, first.Replaced));
        Assert.Equal((1, 1), (cold.Accepted, cold.Replaced));
        Assert.Equal((1, 1), (warm.Accepted, warm.Replaced));
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
