using System.Text;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A case correction (a later report of the same port or city, day, classification, origin and source) gives the
/// <c>revised</c> flag its sentence, as a country's has: which report replaced which figure on which day (newcomer 23b,
/// finding 4: a port showed a bare <c>revised</c> with <c>notes: []</c>).
/// </summary>
public sealed class CaseCorrectionNoteTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task APortsCaseCorrected_ItsNotesNameTheDayFiguresAndReport()
    {
        await IngestAsync("""{"id":"g-2","type":"case","location":"port:suifenhe-road","date":"2020-04-17","count":3,"classification":"imported-confirmed","origin":"RU","source":"nc-g"}""");
        await IngestAsync("""{"id":"g-2b","type":"case","location":"port:suifenhe-road","date":"2020-04-17","count":7,"classification":"imported-confirmed","origin":"RU","source":"nc-g"}""");

        var view = await fixture.Client.GetGrain<IPortGrain>("suifenhe-road").GetView();

        Assert.True(view.DataQuality.Revised);
        Assert.Contains("revised: 2020-04-17 imported-confirmed from RU 3 → 7 (report g-2b of source 'nc-g' replaced its earlier report of that day, classification and origin)", view.DataQuality.Notes);
    }

    [Fact]
    public async Task ACitysCaseCorrected_ItsNotesSayItToo()
    {
        await IngestAsync(
            """{"id":"c-1","type":"case","location":"city:dongxing","date":"2020-04-18","count":5,"classification":"local-confirmed","source":"nc-g"}""",
            """{"id":"c-1b","type":"case","location":"city:dongxing","date":"2020-04-18","count":1,"classification":"local-confirmed","source":"nc-g"}""");

        var view = await fixture.Client.GetGrain<ICityGrain>("dongxing").GetView();

        Assert.Contains("revised: 2020-04-18 local-confirmed 5 → 1 (report c-1b of source 'nc-g' replaced its earlier report of that day, classification and origin)", view.DataQuality.Notes);
    }

    private Task<IngestResult> IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
}
