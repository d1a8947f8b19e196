using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// Traffic of a port and day from several sources adds up (each source a counting point of its own), so a sheet
/// re-sent under another source label counts twice (newcomer 23b, finding 2): the sum stands, and the ingest answer
/// warns at the second source's report, naming the first source's figure and how to replace it instead.
/// </summary>
public sealed class TrafficSecondSourceWarningTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task ASecondSourceReportsAPortsDay_AddsUpAndTheAnswerWarnsAtItsReport()
    {
        await IngestAsync("""{"id":"r-a","type":"traffic","port":"ruili","date":"2020-04-18","inbound":1000,"source":"nc-a"}""");

        var resent = await IngestAsync(
            """{"id":"r-17","type":"traffic","port":"ruili","date":"2020-04-17","inbound":900,"source":"nc-b"}""",
            """{"id":"r-b","type":"traffic","port":"ruili","date":"2020-04-18","inbound":1000,"source":"nc-b"}""");

        Assert.Equal(2, resent.Accepted);
        var warning = Assert.Single(resent.Warnings);
        Assert.Equal((null, "port:ruili", 1, "r-b"), (warning.Country, warning.Entity, warning.Index, warning.Id));
        Assert.Equal(
            "port ruili 2020-04-18: traffic of source 'nc-b' (id r-b, 1,000 inbound) adds to the 1,000 of source 'nc-a': the port's inbound that day is now 2,000 " +
            "(each source is a counting point of its own, and their reports add up). If it is the same count under another label, undo it by sending this day under source 'nc-b' again with inbound 0 and a new id " +
            "(a report replaces only its own source's report of the day), and send the sheet under source 'nc-a' from then on.",
            warning.Message);
        // The 14 days to the clock's 2020-04-20: 900 + 1,000 + 1,000, the second source's report of the 18th counted beside the first's.
        var view = await fixture.Client.GetGrain<IPortGrain>("ruili").GetView();
        Assert.Equal<double?>(2900, view.Metrics["inbound14d"]);
    }

    [Fact]
    public async Task TheWarningsAdviceFollowed_TheSecondSourcesDayAtZero_LeavesThePortsInboundAtTheSingleCount()
    {
        await IngestAsync("""{"id":"m-a","type":"traffic","port":"mohan-road","date":"2020-04-18","inbound":1000,"source":"nc-a"}""");
        var doubled = await IngestAsync("""{"id":"m-b","type":"traffic","port":"mohan-road","date":"2020-04-18","inbound":1000,"source":"nc-b"}""");
        var port = fixture.Client.GetGrain<IPortGrain>("mohan-road");
        Assert.Equal<double?>(2000, (await port.GetView()).Metrics["inbound14d"]);

        // As the warning says: this day under source 'nc-b' again, with inbound 0 and a new id. (Re-sending it under
        // 'nc-a', as it said before review 23 F1, replaced nc-a's report and left 2,000.)
        Assert.Contains("undo it by sending this day under source 'nc-b' again with inbound 0 and a new id", Assert.Single(doubled.Warnings).Message, StringComparison.Ordinal);
        var undone = await IngestAsync("""{"id":"m-b-0","type":"traffic","port":"mohan-road","date":"2020-04-18","inbound":0,"source":"nc-b"}""");

        Assert.Equal((1, 1), (undone.Accepted, undone.Replaced));
        Assert.True(undone.Warnings.IsDefaultOrEmpty);
        Assert.Equal<double?>(1000, (await port.GetView()).Metrics["inbound14d"]);
    }

    [Fact]
    public async Task TheSameSourceRevisesItsDay_OrBothSourcesComeInOneBatch_WarnedOnceAtTheSecondSource()
    {
        var batch = await IngestAsync(
            """{"id":"h-a","type":"traffic","port":"hekou-road","date":"2020-04-18","inbound":300,"source":"nc-a"}""",
            """{"id":"h-b","type":"traffic","port":"hekou-road","date":"2020-04-18","inbound":200,"source":"nc-b"}""");
        var revision = await IngestAsync("""{"id":"h-b2","type":"traffic","port":"hekou-road","date":"2020-04-18","inbound":250,"source":"nc-b"}""");

        Assert.Equal(2, batch.Accepted);
        Assert.Equal(("h-b", 1), (Assert.Single(batch.Warnings).Id, Assert.Single(batch.Warnings).Index));
        Assert.Equal((1, 1), (revision.Accepted, revision.Replaced));
        Assert.True(revision.Warnings.IsDefaultOrEmpty);
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
