using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A day's standing is that of the day's final inputs (review 17 M2): the clock's tick decides a day without a score
/// (a feed outage), one level down, and the city's report for that day, arriving later, decides it again from where
/// the city stood the day before, as if it had come first; the team has one change of the day in force.
/// </summary>
public sealed class SameDayRedecisionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string City = "dongning";
    private static readonly DateOnly Reported = new(2020, 4, 1);

    // Level 4 left after one day below its exit, levels 3 and 2 after three: a step without a score to 3 restarts the
    // dwell, so deciding the day's real score on top of that step would hold the city at 3.
    private static readonly object Plan = new
    {
        levels = new object[]
        {
            new { level = 2, name = "heightened", enterAt = 1, exitBelow = 0.5, dwellDays = 3, actions = new[] { "Test at entry points." } },
            new { level = 3, name = "high", enterAt = 2, exitBelow = 1.5, dwellDays = 3, actions = new[] { "Reduce movement." } },
            new { level = 4, name = "very high", enterAt = 3, exitBelow = 2.5, dwellDays = 1, actions = new[] { "National team." } },
        },
    };

    [Fact]
    public async Task ADayThatSteppedDownWithoutAScore_ThenTheCitysReportForItMeetingTheExit_IsToldTheLevelBack()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            // Exits just above 0: any score meets them, no score (the feed quiet) does not; level 4 entered on the
            // city's report of 40 local cases (48), not on the late report's score.
            await host.PutPlanAsync(City, new
            {
                levels = new object[]
                {
                    new { level = 2, name = "heightened", enterAt = 20, exitBelow = 0, dwellDays = 3, actions = new[] { "Test at entry points." } },
                    new { level = 3, name = "high", enterAt = 30, exitBelow = 0.001, dwellDays = 3, actions = new[] { "Reduce movement." } },
                    new { level = 4, name = "very high", enterAt = 40, exitBelow = 0.002, dwellDays = 1, actions = new[] { "National team." } },
                },
            });
            var day = await StepDownWithoutAScoreAsync(host);

            // The report's score meets level 4's exit and enters no level: decided from the day before, the city stays
            // at 4, and the team, told 4 -> 3, is told 3 -> 4 the same day, which replaces it.
            await host.PostNdjsonAsync([LateCapacity(day), JsonSerializer.Serialize(new { id = $"{City}-imported-late", type = "case", location = $"city:{City}", date = day.ToString("yyyy-MM-dd"), count = 1, classification = "imported-confirmed", source = "same-day-tests" })]);
            var view = await host.Admin.GetJsonAsync($"/api/v1/cities/{City}");
            Assert.InRange(view.GetProperty("score").GetDouble(), 0.002, 19.99);
            Assert.Equal(4, view.GetProperty("response").GetProperty("level").GetInt32());
            var notices = await host.Admin.NoticesAsync(City);
            output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
            var changes = notices.Where(n => n.Text("kind") is "escalation" or "de-escalation").OrderBy(n => n.GetProperty("sequence").GetInt64()).ToList();
            Assert.Equal(["escalation", "de-escalation", "escalation"], changes.Select(n => n.Text("kind")));
            Assert.Equal((3, 4), (changes[2].GetProperty("previousLevel").GetInt32(), changes[2].GetProperty("newLevel").GetInt32()));
            Assert.Equal(day.ToString("yyyy-MM-dd"), changes[2].Text("date"));
            Assert.Equal(changes[2].Text("id"), changes[1].Text("supersededBy"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ADayDecidedWithoutAScore_ThenTheCitysReportForIt_StandsAsTheReportAlone_OneChangeInForce()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.PutPlanAsync(City, Plan);
            var day = await StepDownWithoutAScoreAsync(host);

            // The city's capacity report for that day comes in: a real, low score.
            await host.PostNdjsonAsync([LateCapacity(day)]);

            var view = await host.Admin.GetJsonAsync($"/api/v1/cities/{City}");
            output.WriteLine(view.ToString());
            var score = view.GetProperty("score").GetDouble();
            Assert.True(score < 0.5, $"the report's score {score} is meant to be below every exit");
            var response = view.GetProperty("response");
            Assert.Equal(1, response.GetProperty("level").GetInt32());
            Assert.Equal(day.ToString("yyyy-MM-dd"), response.Text("since"));

            // The day's change as the report alone makes it, 4 -> 1, issued after the step without a score and replacing
            // it: one change of the day in force, the one its final inputs make.
            var notices = await host.Admin.NoticesAsync(City);
            output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
            var steps = notices.Where(n => n.Text("kind") == "de-escalation").OrderBy(n => n.GetProperty("sequence").GetInt64()).ToList();
            Assert.Equal(2, steps.Count);
            var final = steps[1];
            Assert.Equal((4, 1), (final.GetProperty("previousLevel").GetInt32(), final.GetProperty("newLevel").GetInt32()));
            Assert.Equal(day.ToString("yyyy-MM-dd"), final.Text("date"));
            Assert.Equal(final.Text("id"), steps[0].Text("supersededBy"));
            Assert.False(final.TryGetProperty("supersededBy", out var by) && by.ValueKind == JsonValueKind.String, final.ToString());

            // Deciding the day again (the clock set to it again) issues nothing more.
            await host.SetClockAsync(day);
            Assert.Equal(notices.Length, (await host.Admin.NoticesAsync(City)).Length);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    // The city at level 4 on its report of Reported, then the clock a day at a time until the reports go stale and it
    // steps down without a score, one level: that day.
    private static async Task<DateOnly> StepDownWithoutAScoreAsync(RiskMeshHostFixture host)
    {
        await host.SetClockAsync(Reported);
        await host.PostNdjsonAsync(NoticeDataQualityTests.ReportedDay());
        Assert.Equal(4, (await host.Admin.GetJsonAsync($"/api/v1/cities/{City}")).GetProperty("response").GetProperty("level").GetInt32());
        var day = Reported;
        JsonElement[] notices;
        do
        {
            day = day.AddDays(1);
            Assert.True(day < Reported.AddDays(30), "no step down without a score within 30 days");
            await host.SetClockAsync(day);
            notices = await host.Admin.NoticesAsync(City);
        }
        while (!notices.Any(n => n.Text("kind") == "de-escalation"));

        var noScoreStep = notices.Single(n => n.Text("kind") == "de-escalation");
        Assert.Equal(JsonValueKind.Null, noScoreStep.GetProperty("score").ValueKind);
        Assert.Equal((4, 3), (noScoreStep.GetProperty("previousLevel").GetInt32(), noScoreStep.GetProperty("newLevel").GetInt32()));
        return day;
    }

    private static string LateCapacity(DateOnly day) =>
        JsonSerializer.Serialize(new { id = $"{City}-capacity-late", type = "capacity", subject = $"city:{City}", date = day.ToString("yyyy-MM-dd"), labs = 3, technicians = 60, isolationBeds = 400, source = "same-day-tests" });
}
