using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>A site's case correction is kept with both counts and said in its notes (newcomer 23b, finding 4).</summary>
public sealed class CaseRevisionTests
{
    private static CaseEvent Case(string id, int count) => new()
    {
        Id = id,
        Source = "nc-g",
        Date = new DateOnly(2020, 4, 23),
        Location = "port:suifenhe-road",
        Count = count,
        Classification = CaseClassification.ImportedConfirmed,
    };

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
}
