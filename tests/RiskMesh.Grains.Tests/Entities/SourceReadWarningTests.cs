using System.Text;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// Each day a country is assessed reads the source covering most of its 14-day window as of that day (feed24; newcomer
/// 23b finding 1: a sheet one day ahead of the official feed rewrote Russia's whole April). Through real grains: a sheet
/// dated tomorrow changes no day of the history and warns of nothing; a feed covering more of some days' windows takes
/// those days only, and the ingest answer names them, whether the country grain was active or cold.
/// </summary>
public sealed class SourceReadWarningTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private static readonly DateOnly April1 = new(2020, 4, 1);

    [Fact]
    public async Task ASmallSheetDatedTomorrow_ChangesNoDayOfTheHistoryNorToday_AndWarnsOfNothing()
    {
        // The fixture's clock stands on 2020-04-20; the official feed covers the 14 days to it.
        await IngestAsync([.. Enumerable.Range(7, 14).Select(d => Cases("LA", "la", d, 400, "la-official"))]);
        var country = fixture.Client.GetGrain<ICountryGrain>("LA");
        var historyBefore = await HistoryAsync(country, 20);

        var sheet = await IngestAsync(Cases("LA", "la-t", 20, 2, "nc-test"), Cases("LA", "la-t", 21, 3, "nc-test"));

        Assert.Equal(2, sheet.Accepted);
        Assert.True(sheet.Warnings.IsDefaultOrEmpty);
        Assert.Equal(historyBefore, await HistoryAsync(country, 20));
        var incidence = (await country.GetView()).Components.Single(c => c.Name == "incidence");
        Assert.Contains(
            "(5,600 cases, source 'la-official', read for 2020-04-20: 'la-official' reports 14 of the 14 days to 2020-04-20, more than the 1 of 'nc-test')",
            incidence.Explanation,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFeedCoveringMoreOfSomeDaysWindows_TakesThoseDaysOnly_TheAnswerNamesThem()
    {
        // "moh" reports 1–10 April; a colleague's feed reports 1–20 April: on 1–10 April they tie and "moh" stays
        // (its name first), from 11 April the colleague's covers more of each window.
        await IngestAsync([.. Enumerable.Range(1, 10).Select(d => Cases("TH", "th-moh", d, 400, "moh"))]);
        var country = fixture.Client.GetGrain<ICountryGrain>("TH");
        var before = await HistoryAsync(country, 20);

        var batch = await IngestAsync([.. Enumerable.Range(1, 20).Select(d => Cases("TH", "th-nc", d, 3, "nc-b"))]);

        Assert.Equal(20, batch.Accepted);
        var warning = Assert.Single(batch.Warnings);
        Assert.Equal(("TH", 19, "th-nc-20"), (warning.Country, warning.Index, warning.Id));
        Assert.StartsWith(
            "country TH: the source read changed on 10 days from 2020-04-11 to 2020-04-20 and the days after it: 'nc-b' is now read instead of 'moh' " +
            "(on 2020-04-11, 'nc-b' reports 11 of the 14 days to 2020-04-11, more than the 10 of 'moh'; each day reads the source reporting most days of its 14-day window",
            warning.Message,
            StringComparison.Ordinal);
        Assert.Contains("Its 14 days to 2020-04-11 count 33 cases, against 4,000 cases of 'moh'", warning.Message, StringComparison.Ordinal);
        var after = await HistoryAsync(country, 20);
        Assert.Equal(before[..10], after[..10]);
        Assert.All(Enumerable.Range(10, 10), i => Assert.NotEqual(before[i], after[i]));
    }

    [Fact]
    public async Task AFeedCoveringMore_CountryCold_TheReplayedBatchStillWarns()
    {
        await IngestAsync(Cases("TJ", "tj-moh", 18, 40, "tj-official"));
        await fixture.Client.GetGrain<ICountryGrain>("TJ").AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(500);

        var takeover = await IngestAsync(Cases("TJ", "tj-t", 17, 1, "nc-test"), Cases("TJ", "tj-t", 18, 1, "nc-test"), Cases("TJ", "tj-t", 19, 1, "nc-test"));

        Assert.Contains(
            "the source read changed on 2 days from 2020-04-18 to 2020-04-19 and the days after it: 'nc-test' is now read instead of 'tj-official'",
            Assert.Single(takeover.Warnings).Message,
            StringComparison.Ordinal);
    }

    private static string Cases(string country, string idPrefix, int aprilDay, int newCases, string source) =>
        $$"""{"id":"{{idPrefix}}-{{aprilDay}}","type":"country-cases","country":"{{country}}","date":"2020-04-{{aprilDay:00}}","newCases":{{newCases}},"source":"{{source}}"}""";

    // A history as text: each day's score, level and metrics (a point's metrics compare by reference otherwise).
    private static async Task<string[]> HistoryAsync(ICountryGrain country, int days) =>
        [.. (await country.GetHistory(April1, April1.AddDays(days - 1))).Select(p =>
            $"{p.Date:yyyy-MM-dd} {p.Score} {p.Level} {string.Join(", ", p.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"))}")];

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
