using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class CityModelZeroBedsTests
{
    private static readonly DateOnly Today = new(2020, 4, 20);

    [Fact]
    public void Assess_ZeroIsolationBedsWithSevereCases_ScoresHigherThanOneBed()
    {
        var zeroBeds = Assess(isolationBeds: 0);
        var oneBed = Assess(isolationBeds: 1);

        Assert.True(zeroBeds.Score > oneBed.Score, $"0 beds scored {zeroBeds.Score}, 1 bed {oneBed.Score}");
        Assert.Equal(1, Severe(zeroBeds).Normalized);
    }

    [Fact]
    public void Assess_ZeroIsolationBeds_IsNotReadAsUnknown()
    {
        var zeroBeds = Assess(isolationBeds: 0);
        var unknown = Assess(isolationBeds: null);

        Assert.Equal(ScoringOptions.Default.UnknownCapacityGap, Severe(unknown).Normalized);
        Assert.True(Severe(zeroBeds).Normalized > Severe(unknown).Normalized);
        Assert.DoesNotContain("half full", Severe(zeroBeds).Explanation, StringComparison.Ordinal);
    }

    private static ComponentResult Severe(Assessment assessment) => assessment.Components.Single(c => c.Name == "severeCases");

    private static Assessment Assess(double? isolationBeds)
    {
        var ledger = new SiteLedger();
        ledger.Apply(
            new CaseEvent
            {
                Id = "severe",
                Source = "health",
                Date = Today.AddDays(-1),
                Location = "city:suifenhe",
                Count = 3,
                Classification = CaseClassification.Severe,
            },
            1);
        ledger.Apply(
            new CapacityEvent
            {
                Id = "capacity",
                Source = "health",
                Date = Today.AddDays(-2),
                Subject = "city:suifenhe",
                Labs = 2,
                IsolationBeds = isolationBeds,
            },
            2);
        var context = new CityContext(100_000, _ => []);
        return CityModel.Assess(ledger, Today.DayNumber, context, ScoringOptions.Default);
    }
}
