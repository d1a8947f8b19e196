using System.Reflection;
using System.Text.Json.Serialization;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>A site's case correction is kept with both counts and said in its notes (newcomer 23b, finding 4).</summary>
public sealed class CaseRevisionTests
{
    private static readonly int Day23 = new DateOnly(2020, 4, 23).DayNumber;

    private static CaseEvent Case(string id, int count, int day = 23, string? origin = null) => new()
    {
        Id = id,
        Source = "nc-g",
        Date = new DateOnly(2020, 4, day),
        Location = "port:suifenhe-road",
        Count = count,
        Classification = CaseClassification.ImportedConfirmed,
        Origin = origin,
    };

    // A ledger whose report of 2020-04-01 … was corrected once a day, each day's correction on its own day: 1 → 2.
    private static SiteLedger CorrectedOnDays(int days)
    {
        var ledger = new SiteLedger();
        var seq = 0L;
        for (var day = 1; day <= days; day++)
        {
            ledger.Apply(Case($"a-{day}", 1, day), ++seq);
            ledger.Apply(Case($"b-{day}", 2, day), ++seq);
        }

        return ledger;
    }

    [Fact]
    public void ACaseReportReplaced_TheNotesNameTheDayFiguresAndReport()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Case("g-2", 3), 1);
        ledger.Apply(Case("g-2b", 7), 2);

        Assert.Equal(
            ["revised: 2020-04-23 imported-confirmed 3 → 7 (report g-2b of source 'nc-g' replaced its earlier report of that day, classification and origin)"],
            CaseRevision.Notes(ledger, new DateOnly(2020, 4, 30).DayNumber, explain: true));
    }

    [Fact]
    public void ALedgerKeepsItsLatestTenCorrections_TheEleventhDropsTheOldest()
    {
        // Bounded whatever the feed (README "Data quality": the latest 10 are kept), and not fewer than 10.
        Assert.Equal(Enumerable.Range(1, 10), CorrectedOnDays(10).CaseRevisions!.Select(r => DateOnly.FromDayNumber(r.Day).Day).Order());
        Assert.Equal(Enumerable.Range(2, 10), CorrectedOnDays(11).CaseRevisions!.Select(r => DateOnly.FromDayNumber(r.Day).Day).Order());
        Assert.Equal("revisions", Assert.Throws<ArgumentNullException>(() => CaseRevision.Keep(null!, new CaseRevision())).ParamName);
    }

    [Fact]
    public void TheNotesNameTheLatestThreeCorrectionsUpToTheDay_LatestFirst_AndCountTheRest()
    {
        var ledger = CorrectedOnDays(6);

        Assert.Equal(
            [
                "revised: 2020-04-05 imported-confirmed 1 → 2 (report b-5 of source 'nc-g' replaced its earlier report of that day, classification and origin)",
                "revised: 2020-04-04 imported-confirmed 1 → 2 (report b-4 of source 'nc-g' replaced its earlier report of that day, classification and origin)",
                "revised: 2020-04-03 imported-confirmed 1 → 2 (report b-3 of source 'nc-g' replaced its earlier report of that day, classification and origin)",
                "revised: 2 earlier case corrections not named",
            ],
            CaseRevision.Notes(ledger, new DateOnly(2020, 4, 5).DayNumber, explain: true));

        // Exactly three are all named, with nothing counted.
        Assert.Equal(3, CaseRevision.Notes(ledger, new DateOnly(2020, 4, 3).DayNumber, explain: true).Count);
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CaseRevision.Notes(null!, Day23, explain: true)).ParamName);
    }

    [Fact]
    public void ACorrectionOfACaseFromACountry_NamesTheOrigin_AndAnEarlierReportArrivingLate_IsNoCorrection()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Case("g-2", 3, origin: "RU"), 1);
        ledger.Apply(Case("g-2b", 1234, origin: "RU"), 2);
        Assert.Equal(
            ["revised: 2020-04-23 imported-confirmed from RU 3 → 1,234 (report g-2b of source 'nc-g' replaced its earlier report of that day, classification and origin)"],
            CaseRevision.Notes(ledger, Day23, explain: true));

        // A report older in the journal than the one kept replaces nothing: no correction is kept for it.
        var late = new SiteLedger();
        late.Apply(Case("g-2b", 7), 2);
        Assert.False(late.Apply(Case("g-2", 3), 1));
        Assert.True(late.Revised);
        Assert.Null(late.CaseRevisions);
        Assert.Equal(["some reports were revised (a later report replaced an earlier one)"], CaseRevision.Notes(late, Day23, explain: true));
    }

    [Fact]
    public void NoCorrectionByTheDayAssessed_IsSaidInGeneral_AndNothingWhenNotRevised()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Case("g-2", 3), 1);
        Assert.Empty(CaseRevision.Notes(ledger, Day23, explain: true));

        ledger.Apply(Case("g-2b", 7), 2);
        // Assessed the day before the corrected report's day, the correction is not yet one of the day's.
        Assert.Equal(["some reports were revised (a later report replaced an earlier one)"], CaseRevision.Notes(ledger, Day23 - 1, explain: true));
    }

    [Fact]
    public void CorrectionsArePrunedWithTheRawDays()
    {
        var ledger = CorrectedOnDays(3);

        ledger.PruneBefore(new DateOnly(2020, 4, 3).DayNumber);
        Assert.Equal([new DateOnly(2020, 4, 3).DayNumber], ledger.CaseRevisions!.Select(r => r.Day));

        ledger.PruneBefore(new DateOnly(2020, 4, 4).DayNumber);
        Assert.Null(ledger.CaseRevisions);
    }

    [Fact]
    public void EveryClassificationIsNamedAsEventsWriteIt()
    {
        foreach (var classification in Enum.GetValues<CaseClassification>())
        {
            var written = typeof(CaseClassification).GetField(classification.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name;
            Assert.Equal(written, CaseRevision.Name(classification));
        }
    }
}
