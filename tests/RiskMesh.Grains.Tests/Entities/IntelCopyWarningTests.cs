using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// An intel report re-sent under a new id, word for word the same as one counted (newcomer 23b finding 3): through real
/// grains it is accepted and counted, the ingest answer warns naming the earlier id, the view says two identical
/// reports are counted, and withdrawing the copy as the warning says brings the pressure back.
/// </summary>
public sealed class IntelCopyWarningTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private const string Original = """{"id":"kz-k-1","type":"intel","subject":"country:KZ","date":"2020-04-18","severity":4,"confidence":0.8,"category":"testing-shortage","summary":"Kazakhstan short of test kits at Khorgos","source":"nc23b"}""";

    [Fact]
    public async Task AnIdenticalReportUnderANewId_IsCountedAndWarned_WithdrawingTheCopyUndoesIt()
    {
        await IngestAsync(Original);
        var country = fixture.Client.GetGrain<ICountryGrain>("KZ");
        var once = Intel(await country.GetView());

        var resent = await IngestAsync(Original.Replace("kz-k-1", "kz-k-1-resent", StringComparison.Ordinal));

        Assert.Equal(1, resent.Accepted);
        var warning = Assert.Single(resent.Warnings);
        Assert.Equal(("country:KZ", "kz-k-1-resent"), (warning.Entity, warning.Id));
        Assert.StartsWith("intel country:KZ 2020-04-18: report kz-k-1-resent of source 'nc23b' is identical to report kz-k-1", warning.Message, StringComparison.Ordinal);
        var twice = Intel(await country.GetView());
        Assert.Equal(2 * once.Value, twice.Value);
        Assert.Contains("2 identical reports counted (source nc23b, ids kz-k-1 and kz-k-1-resent, 2020-04-18", twice.Explanation, StringComparison.Ordinal);

        var withdrawn = await IngestAsync("""{"id":"kz-k-w","type":"intel","subject":"country:KZ","date":"2020-04-18","severity":4,"confidence":0,"category":"testing-shortage","summary":"copy","source":"nc23b","replaces":"kz-k-1-resent"}""");
        Assert.True(withdrawn.Warnings.IsDefaultOrEmpty);
        Assert.Equal(once.Value, Intel(await country.GetView()).Value);
    }

    private static RiskComponentView Intel(RiskView view) => view.Components.Single(c => c.Name == "intel");

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
