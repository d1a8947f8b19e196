using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>The country's data-quality note says what happened to its reports: revised, corrected downwards, or both (try-out 6 F15).</summary>
public sealed class CountryRevisionNoteTests
{
    private static IEnumerable<Scoring.Events.RiskEvent> Daily(int days) => Enumerable.Range(0, days).Select(d => Cumulative(d, 100L * d));

    [Fact]
    public void AnUpwardRevision_IsNotCalledACorrectionDownwards()
    {
        var a = Assess(Of([.. Daily(15), Cumulative(14, 1_500)]), 14, 1_000_000);

        Assert.True(a.Quality.Revised);
        Assert.Contains("some reports were revised (a later report replaced an earlier one)", a.Quality.Notes);
        Assert.DoesNotContain(a.Quality.Notes, n => n.Contains("downwards", StringComparison.Ordinal));
    }

    [Fact]
    public void ACumulativeCountBelowAnEarlierOne_IsACorrectionDownwards()
    {
        var a = Assess(Of([.. Daily(14), Cumulative(14, 1_000)]), 14, 1_000_000);

        Assert.Contains("the cumulative count was revised downwards (a correction)", a.Quality.Notes);
    }

    [Fact]
    public void ARevisionDownBelowAnEarlierDay_SaysBoth()
    {
        var a = Assess(Of([.. Daily(15), Cumulative(14, 1_000)]), 14, 1_000_000);

        Assert.Contains("some reports were revised, and the cumulative count was revised downwards (a correction)", a.Quality.Notes);
    }
}
