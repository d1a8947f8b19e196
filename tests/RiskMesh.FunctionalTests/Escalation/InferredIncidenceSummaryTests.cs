using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// Local infections inferred from severe cases keep the word "inferred" in the one line a relay passes on (review 16
/// M2): the summary's cause is the driver's first clause, and "111 local infections per 100,000 in 14 days" alone reads
/// as reported local spread. Since model 17 (review 16 M3) the inference also counts one level lower, and the line says so.
/// </summary>
public sealed class InferredIncidenceSummaryTests
{
    [Fact]
    public async Task SevereCasesOnly_SummarySaysTheLocalInfectionsAreInferred()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            // The review's case: 20 severe cases in Fuyuan, no local case reported.
            await host.SetClockAsync(new DateOnly(2020, 4, 30));
            await host.PostNdjsonAsync(
            [
                """{"id":"fy-sev-0430","type":"case","location":"city:fuyuan","date":"2020-04-30","count":20,"classification":"severe"}""",
            ]);

            var notices = await host.Admin.NoticesAsync("fuyuan");
            var notice = notices.LastOrDefault(n => n.Text("kind") == "escalation");
            Assert.True(notice.ValueKind == JsonValueKind.Object, "no escalation: " + string.Join("\n", notices.Select(n => n.ToString())));
            var summary = notice.Text("summary")!;
            Assert.Contains("Main driver: Local incidence - ", summary, StringComparison.Ordinal);
            Assert.Contains("local infections per 100,000 in 14 days inferred from severe cases and discounted one level.", summary, StringComparison.Ordinal);
            // Review 16 M3: an inference counts one level lower than reported local cases, so level 3, not level 4
            // ("Request a national expert team"), in one day on severe cases alone.
            Assert.Equal(3, notice.GetProperty("newLevel").GetInt32());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
