using System.Text;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A country's cumulative count far below its source's last one (a dropped digit) is accepted as a revision and warned
/// of in the ingest answer, whether the country grain was active, cold (its replay folds the batch first) or told of
/// both reports in one batch.
/// </summary>
public sealed class CumulativeDropWarningTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task CumulativeDropsBelowHalf_CountryActive_TheAnswerWarnsNamingTheEventAndFigures()
    {
        await IngestAsync("""{"id":"af-18","type":"country-cases","country":"AF","date":"2020-04-18","cumulativeCases":42853,"source":"gt"}""");

        var typo = await IngestAsync(
            """{"id":"af-19b","type":"country-cases","country":"AF","date":"2020-04-19","cumulativeCases":42900,"source":"other"}""",
            """{"id":"af-19","type":"country-cases","country":"AF","date":"2020-04-19","cumulativeCases":4712,"source":"gt"}""");

        Assert.Equal(2, typo.Accepted);
        var warning = Assert.Single(typo.Warnings);
        Assert.Equal(("AF", 1, 1, "af-19"), (warning.Country, warning.Events, warning.Index, warning.Id));
        Assert.Contains("cumulativeCases 4712 for 2020-04-19 (id af-19) is less than half the 42853 that source 'gt' reported for 2020-04-18", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CumulativeDropsBelowHalf_CountryCold_TheReplayedEventIsStillWarnedOf()
    {
        await IngestAsync("""{"id":"in-18","type":"country-cases","country":"IN","date":"2020-04-18","cumulativeCases":10000,"source":"gt"}""");
        await fixture.Client.GetGrain<ICountryGrain>("IN").AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);

        var typo = await IngestAsync("""{"id":"in-19","type":"country-cases","country":"IN","date":"2020-04-19","cumulativeCases":1000,"source":"gt"}""");

        Assert.Equal(("in-19", 0), (Assert.Single(typo.Warnings).Id, Assert.Single(typo.Warnings).Index));
    }

    [Fact]
    public async Task CumulativeDropsBelowHalf_BothReportsInOneBatch_TheLaterIsWarnedOf()
    {
        var batch = await IngestAsync(
            """{"id":"pk-18","type":"country-cases","country":"PK","date":"2020-04-18","cumulativeCases":5000,"source":"gt"}""",
            """{"id":"pk-19","type":"country-cases","country":"PK","date":"2020-04-19","cumulativeCases":500,"source":"gt"}""");

        Assert.Equal(("pk-19", 1), (Assert.Single(batch.Warnings).Id, Assert.Single(batch.Warnings).Index));
    }

    [Fact]
    public async Task CumulativeFallsByLessThanHalf_NoWarning()
    {
        await IngestAsync("""{"id":"kp-18","type":"country-cases","country":"KP","date":"2020-04-18","cumulativeCases":5000,"source":"gt"}""");

        var revised = await IngestAsync("""{"id":"kp-19","type":"country-cases","country":"KP","date":"2020-04-19","cumulativeCases":4000,"source":"gt"}""");

        Assert.Equal(1, revised.Accepted);
        Assert.Empty(revised.Warnings);
    }

    [Fact]
    public async Task NewCasesDisagreeingWithTheCumulativeCount_AcceptedAndWarnedOfNamingTheEventAndFigures()
    {
        // Newcomer 22: newCases and cumulativeCases that cannot both be right, against each other and against the
        // source's report of the day before; nothing is refused.
        await IngestAsync("""{"id":"np-18","type":"country-cases","country":"NP","date":"2020-04-18","cumulativeCases":1000,"newCases":100,"source":"gt"}""");

        var batch = await IngestAsync(
            """{"id":"np-19","type":"country-cases","country":"NP","date":"2020-04-19","cumulativeCases":1050,"newCases":100,"source":"gt"}""",
            """{"id":"np-20","type":"country-cases","country":"NP","date":"2020-04-20","cumulativeCases":1150,"newCases":100,"source":"gt"}""",
            """{"id":"bt-20","type":"country-cases","country":"BT","date":"2020-04-20","cumulativeCases":10,"newCases":12,"source":"gt"}""");

        Assert.Equal(3, batch.Accepted);
        Assert.Equal([("NP", 0, "np-19"), ("BT", 2, "bt-20")], batch.Warnings.Select(w => (w.Country, w.Index, w.Id)));
        Assert.Contains("cumulativeCases 1050 for 2020-04-19 (id np-19) is less than the 1000 that source 'gt' reported for 2020-04-18 plus this report's newCases 100 (1100)", batch.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("newCases 12 for 2020-04-20 (id bt-20) is more than its cumulativeCases 10", batch.Warnings[1].Message, StringComparison.Ordinal);
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
