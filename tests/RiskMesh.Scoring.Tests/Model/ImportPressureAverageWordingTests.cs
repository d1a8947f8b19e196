using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Newcomer 21a M2: Suifenhe's road port said "a 96% chance of at least one infected arrival" on 30 April 2020, nine
/// days after its last imported case. Where the cases found set the figure it is their 14-day average, and the
/// headline says so, with the days since the last case.
/// </summary>
public sealed class ImportPressureAverageWordingTests
{
    private static RiskEvent[] SixtyADayFromRussia() =>
        [.. Enumerable.Range(0, 24).Select(d => (RiskEvent)Traffic(d, 60, new Dictionary<string, long> { ["RU"] = 60 }))];

    [Fact]
    public void ChanceFromCasesFound_NineDaysAfterTheLast_IsTheFortnightsAverage_AndSaysNoneSince()
    {
        var ledger = Ledger([.. SixtyADayFromRussia(), Case(12, 24, CaseClassification.ImportedConfirmed, "RU")]);

        var pressure = AssessPort(ledger, 21, Port(Countries(("RU", 40, 0.0003)))).Component("importPressure").Explanation;

        Assert.StartsWith("Expected infected arrivals 3.17 a day on the 14-day average, so a 96% chance of at least one on an average day of those 14, mostly from RU; no imported case found in the last 9 days (the last on 2020-03-13). ", pressure, StringComparison.Ordinal);
    }

    [Fact]
    public void ChanceFromCasesFound_WithACaseYesterday_IsTheAverage_WithoutADaysSinceClause()
    {
        var ledger = Ledger([.. SixtyADayFromRussia(), Case(20, 24, CaseClassification.ImportedConfirmed, "RU")]);

        var pressure = AssessPort(ledger, 21, Port(Countries(("RU", 40, 0.0003)))).Component("importPressure").Explanation;

        Assert.StartsWith("Expected infected arrivals 3.17 a day on the 14-day average, so a 96% chance of at least one on an average day of those 14, mostly from RU. ", pressure, StringComparison.Ordinal);
    }

    [Fact]
    public void ChanceFromTheOriginsPrevalence_ReadsAsBefore()
    {
        var pressure = AssessPort(Ledger(SixtyADayFromRussia()), 21, Port(Countries(("RU", 40, 0.01)))).Component("importPressure").Explanation;

        Assert.StartsWith("Expected infected arrivals 0.6 a day, so a 45% chance of at least one, mostly from RU. ", pressure, StringComparison.Ordinal);
    }
}
