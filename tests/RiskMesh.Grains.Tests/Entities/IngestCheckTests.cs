using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>An ingest check validates as an ingest does and answers what it would do, writing nothing.</summary>
public sealed class IngestCheckTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private const string Stored = """{"id":"chk-1","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":3,"classification":"imported-confirmed","source":"chk"}""";
    private const string Fresh = """{"id":"chk-2","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":2,"classification":"local-confirmed","source":"chk"}""";
    private const string Conflicting = """{"id":"chk-1","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":5,"classification":"imported-confirmed","source":"chk"}""";

    [Fact]
    public async Task Check_NewStoredConflictingAndRepeatedIds_AnswersAsAnIngestWouldAndWritesNothing()
    {
        await Ingest().Ingest(Body(Stored), IngestFormat.NdJson);

        // chk-1 was accepted with count 3: sent with 5 it is a conflict (the parser refuses it beside chk-1 with 3 in one batch).
        var checkedBatch = await Ingest().Check(Body(Fresh, Conflicting, Fresh), IngestFormat.NdJson);
        var ingested = await Ingest().Ingest(Body(Fresh, Conflicting, Fresh), IngestFormat.NdJson);

        // Had the check written chk-2, the ingest after it would have found it a duplicate.
        Assert.Empty(checkedBatch.Errors);
        Assert.Equal((1, 2), (checkedBatch.Accepted, checkedBatch.Duplicates));
        Assert.Equal([1], checkedBatch.Conflicts.Select(c => c.Index));
        Assert.Equal((ingested.Accepted, ingested.Duplicates), (checkedBatch.Accepted, checkedBatch.Duplicates));
        Assert.Equal(ingested.Conflicts.Select(c => c.Index), checkedBatch.Conflicts.Select(c => c.Index));
    }

    [Fact]
    public async Task Check_AnInvalidEventOrADayPastTheClock_IsRefusedAsAnIngestWouldBe()
    {
        var checkedBatch = await Ingest().Check(
            Body("""{"id":"chk-9","type":"case","location":"port:suifenhe-raod","date":"2020-04-19","count":1,"classification":"severe","source":"chk"}""",
                 """{"id":"chk-10","type":"case","location":"port:suifenhe-road","date":"2020-06-19","count":1,"classification":"severe","source":"chk"}"""),
            IngestFormat.NdJson);

        Assert.True(checkedBatch.Rejected);
        Assert.Equal([0, 1], checkedBatch.Errors.Select(e => e.Index));
        Assert.Contains("did you mean", checkedBatch.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("in the future", checkedBatch.Errors[1].Reason, StringComparison.Ordinal);
    }

    private IIngestGrain Ingest() => fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton);

    private static byte[] Body(params string[] lines) => Encoding.UTF8.GetBytes(string.Join('\n', lines));
}
