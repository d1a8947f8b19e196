using System.Text;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A batch that changes the source a country's series is read from (a colleague's sheet under a new source, one day
/// ahead of the official feed: newcomer 23b, finding 1) is accepted, the rule stands, and the ingest answer says so at
/// the report of the source now read, whether the country grain was active or cold.
/// </summary>
public sealed class SourceReadWarningTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task ANewSourceOneDayAhead_TakesOverTheCountry_TheAnswerWarnsNamingBothSourcesDaysAndCounts()
    {
        await IngestAsync(
            """{"id":"la-17","type":"country-cases","country":"LA","date":"2020-04-17","newCases":400,"source":"la-official"}""",
            """{"id":"la-18","type":"country-cases","country":"LA","date":"2020-04-18","newCases":600,"source":"la-official"}""");

        var takeover = await IngestAsync(
            """{"id":"t-18","type":"country-cases","country":"LA","date":"2020-04-18","newCases":2,"source":"nc-test"}""",
            """{"id":"t-19","type":"country-cases","country":"LA","date":"2020-04-19","newCases":3,"source":"nc-test"}""");

        Assert.Equal(2, takeover.Accepted);
        var warning = Assert.Single(takeover.Warnings);
        Assert.Equal(("LA", 1, 1, "t-19"), (warning.Country, warning.Events, warning.Index, warning.Id));
        Assert.StartsWith(
            "country LA: source 'nc-test' is now read instead of 'la-official': its latest report, for 2020-04-19, is later than the latest of 'la-official', for 2020-04-18 " +
            "(when several sources report a country, the one with the latest report is read). Its 14 days to 2020-04-19 count 5 cases, against 1,000 cases in the 14 days to 2020-04-18 of 'la-official'",
            warning.Message,
            StringComparison.Ordinal);

        // As the warning says, the feed takes its country back by reporting the sheet's day too, with its more reports.
        var back = await IngestAsync("""{"id":"la-19","type":"country-cases","country":"LA","date":"2020-04-19","newCases":500,"source":"la-official"}""");
        Assert.Contains(
            "source 'la-official' is now read instead of 'nc-test': its latest report, for 2020-04-19, is as late as that of 'nc-test', and it has more reports (3 against 2)",
            Assert.Single(back.Warnings).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSourceReadReportsOn_OrAnotherSourceStaysBehind_NoWarning()
    {
        await IngestAsync("""{"id":"th-17","type":"country-cases","country":"TH","date":"2020-04-17","newCases":400,"source":"th-official"}""");

        var batch = await IngestAsync(
            """{"id":"th-18","type":"country-cases","country":"TH","date":"2020-04-18","newCases":300,"source":"th-official"}""",
            """{"id":"o-17","type":"country-cases","country":"TH","date":"2020-04-17","newCases":3,"source":"other"}""");

        Assert.Equal(2, batch.Accepted);
        Assert.Empty(batch.Warnings);
    }

    [Fact]
    public async Task ANewSourceTakesOver_CountryCold_TheReplayedBatchStillWarns()
    {
        await IngestAsync("""{"id":"tj-18","type":"country-cases","country":"TJ","date":"2020-04-18","newCases":40,"source":"tj-official"}""");
        await fixture.Client.GetGrain<ICountryGrain>("TJ").AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);

        var takeover = await IngestAsync("""{"id":"tj-t-19","type":"country-cases","country":"TJ","date":"2020-04-19","newCases":1,"source":"nc-test"}""");

        Assert.Contains("source 'nc-test' is now read instead of 'tj-official'", Assert.Single(takeover.Warnings).Message, StringComparison.Ordinal);
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
