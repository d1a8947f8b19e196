using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>The days a ledger's summarising and pruning go by: its latest data of any kind, and what pruning drops.</summary>
public sealed class LedgerDaysTests
{
    [Fact]
    public void LatestDay_ACapacityReportLaterThanEveryOtherRecord_IsTheLatestDay()
    {
        var ledger = Ledger(Intel(0, 3, 0.5), Case(2, 1, RiskMesh.Scoring.Events.CaseClassification.Severe), Capacity(9, testsPerDay: 100));

        Assert.Equal(Day(9), ledger.LatestDay());
        // Capacity stays in force however old, so it is never the oldest prunable record.
        Assert.Equal(Day(0), ledger.OldestDay());
    }

    [Fact]
    public void PruneBefore_CountryLedger_DropsOldIntelligenceAsWellAsOldReports()
    {
        var ledger = CountryLedgers.Of([CountryLedgers.Cumulative(0, 10), CountryLedgers.Cumulative(40, 20), Intel(0, 3, 0.5, "country:RU", "old"), Intel(40, 3, 0.5, "country:RU", "new")]);

        ledger.PruneBefore(Day(30));

        Assert.Equal([Day(40)], ledger.Intel!.Values.Select(r => r.Day));
        Assert.Equal([Day(40)], ledger.Reports!.Values.Select(r => r.Day));
    }
}
