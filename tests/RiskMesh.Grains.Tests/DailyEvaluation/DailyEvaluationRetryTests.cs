using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Escalation;

namespace RiskMesh.Grains.Tests.DailyEvaluation;

/// <summary>
/// The minute check's retry of the cities that failed is of the last run's day only: a retry that finds the clock moved
/// on (another grain refreshed the silo's clock across midnight between the check's read and the run's) evaluates every
/// city, or the new day would be recorded as run with the failed cities alone on it (review 12 L4).
/// </summary>
public sealed class DailyEvaluationRetryTests
{
    private static readonly string[] Topology = ["heihe", "manzhouli", "ruili", "suifenhe"];
    private static readonly DateOnly LastRun = new(2020, 4, 22);

    [Fact]
    public void Retry_ClockWhereTheLastRunLeftIt_EvaluatesTheFailedCitiesStillInTheTopologyOnly()
    {
        var (cities, every) = DailyEvaluationGrain.CitiesToRun(Topology, ["suifenhe", "gone-city"], new ClockState("live", LastRun, 7), LastRun, 7);

        Assert.Equal(["suifenhe"], cities);
        Assert.False(every);
    }

    [Fact]
    public void Retry_ClockOnANewDay_EvaluatesEveryCity()
    {
        var (cities, every) = DailyEvaluationGrain.CitiesToRun(Topology, ["suifenhe"], new ClockState("live", LastRun.AddDays(1), 7), LastRun, 7);

        Assert.Equal(Topology, cities);
        Assert.True(every);
    }

    [Fact]
    public void Retry_ClockMovedAwayAndBackToTheSameDay_EvaluatesEveryCity()
    {
        // Cities evaluated meanwhile stand on the other day: the run to the new version rewinds them all.
        var (cities, every) = DailyEvaluationGrain.CitiesToRun(Topology, ["suifenhe"], new ClockState("replay", LastRun, 9), LastRun, 7);

        Assert.Equal(Topology, cities);
        Assert.True(every);
    }

    [Fact]
    public void DailyRun_EvaluatesEveryCity()
    {
        var (cities, every) = DailyEvaluationGrain.CitiesToRun(Topology, null, new ClockState("live", LastRun, 7), LastRun, 7);

        Assert.Equal(Topology, cities);
        Assert.True(every);
        Assert.Equal(Topology, DailyEvaluationGrain.CitiesToRun(Topology, null, new ClockState("live", LastRun, 7), null, null).Cities);
        Assert.Empty(DailyEvaluationGrain.CitiesToRun(Topology, ImmutableArray<string>.Empty, new ClockState("live", LastRun, 7), LastRun, 7).Cities);
    }
}
