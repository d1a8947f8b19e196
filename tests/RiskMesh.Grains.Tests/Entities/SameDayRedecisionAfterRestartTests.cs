using System.Collections.Immutable;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;
using static RiskMesh.Grains.Tests.Entities.CityDayDriver;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A day that stepped down without a score and then gets the city's own report is decided again from the day before
/// (review 17 M2) also when the city's activation is gone in between (a restart, a deactivation): the new activation
/// has no decision of its own for the day, and reads whether the day stepped without a score from the day's latest
/// change notice among the city's last notices (CityGrain.SteppedWithoutScoreAsync).
/// </summary>
public sealed class SameDayRedecisionAfterRestartTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private const string City = "dongning";
    private static readonly DateOnly Reported = new(2020, 4, 1);

    // Level 4 left after one day below its exit, levels 3 and 2 after three: a step without a score to 3 restarts the
    // dwell, so deciding the day's real score on top of that step would hold the city at 3 (SameDayRedecisionTests).
    private static readonly ImmutableArray<PlanLevelView> Plan =
    [
        new(2, "heightened", 1, 0.5, 3, ["Test at entry points."]),
        new(3, "high", 2, 1.5, 3, ["Reduce movement."]),
        new(4, "very high", 3, 2.5, 1, ["National team."]),
    ];

    private readonly CityDayDriver _days = new(fixture, City);

    [Fact]
    public async Task SteppedDownWithoutAScore_CityDeactivated_ThenItsReportForTheDay_StandsAsTheReportAlone()
    {
        var response = fixture.Client.GetGrain<ICityResponseGrain>(City);
        await _days.SetClockAsync(Reported);
        await response.SetPlan(Plan);
        await _days.IngestAsync(
            Event(new { id = $"{City}-cases", type = "case", location = $"city:{City}", date = Iso(Reported), count = 40, classification = "local-confirmed", source = "restart-tests" }),
            Event(new { id = $"{City}-capacity", type = "capacity", subject = $"city:{City}", date = Iso(Reported), labs = 3, technicians = 60, isolationBeds = 400, source = "restart-tests" }));
        Assert.Equal(4, (await fixture.Client.GetGrain<ICityGrain>(City).GetView()).Response?.Level);

        // The clock a day at a time until the city's reports are stale and it steps down without a score: 4 -> 3.
        var (day, notices) = await _days.StepUntilDeEscalationAsync(Reported, 30);

        var noScoreStep = Assert.Single(notices, n => n.Kind == NoticeKinds.DeEscalation);
        Assert.Equal((4, 3, (double?)null), (noScoreStep.PreviousLevel, noScoreStep.NewLevel, noScoreStep.Score));

        // The activation that decided the day goes; the next call activates the city afresh from what it stored.
        await fixture.Client.GetGrain<ICityGrain>(City).AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // The city's capacity report for that day: a real, low score, below every exit.
        await _days.IngestAsync(Event(new { id = $"{City}-capacity-late", type = "capacity", subject = $"city:{City}", date = Iso(day), labs = 3, technicians = 60, isolationBeds = 400, source = "restart-tests" }));

        var view = await fixture.Client.GetGrain<ICityGrain>(City).GetView();
        Assert.True(view.Score < 0.5, $"the report's score {view.Score} is meant to be below every exit");
        Assert.Equal((1, day), (view.Response?.Level, view.Response?.Since));

        // One change of the day in force: 4 -> 1, issued after the step without a score and told from the day before.
        var steps = (await response.GetNotices(null, 0)).Where(n => n.Kind == NoticeKinds.DeEscalation).OrderBy(n => n.Sequence).ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal((4, 1, day), (steps[1].PreviousLevel, steps[1].NewLevel, steps[1].Date));
    }
}
