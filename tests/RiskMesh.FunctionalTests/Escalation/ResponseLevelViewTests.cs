using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A city's view carries the response level in force (its plan's level, held by the dwell) beside the score band, so
/// "Moderate" is not read as the level whose actions are in force.
/// </summary>
public sealed class ResponseLevelViewTests
{
    [Fact]
    public async Task CityView_AfterAprilReplayTo30April_CarriesThePlansLevel4HeldByTheDwellNotTheScoreBand()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var events = AprilReplayTests.ScenarioEvents();
            for (var day = new DateOnly(2020, 3, 20); day <= new DateOnly(2020, 4, 30); day = day.AddDays(1))
            {
                await host.SetClockAsync(day);
                if (events.TryGetValue(day, out var lines))
                {
                    await host.PostNdjsonAsync(lines);
                }
            }

            var view = await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe");
            var response = view.GetProperty("response");

            // The score has fallen out of the top band, but level 4 (entered on 16 April) holds until its dwell runs out;
            // the replay steps it down on 2 May (AprilReplayTests; 1 May before the city's floors lifted its weighted evidence).
            Assert.NotEqual("very-high", view.Text("level"));
            Assert.Equal(4, response.GetProperty("level").GetInt32());
            Assert.Equal("2020-04-16", response.Text("since"));
            Assert.Equal("2020-05-02", response.Text("dwellUntil"));
            Assert.False(string.IsNullOrWhiteSpace(response.Text("name")));
            Assert.Contains(response.GetProperty("actions").EnumerateArray(), a => a.GetString()!.Contains("national expert team", StringComparison.OrdinalIgnoreCase));
            var open = await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe/notices?status=open");
            Assert.Contains(open.EnumerateArray(), n => n.Text("kind") == "escalation" && n.GetProperty("newLevel").GetInt32() == 4 && n.Text("date") == "2020-04-16");

            // A plan change moves the level on the same day with nothing else changed: the kept view must follow it.
            await host.PutPlanAsync("suifenhe", new
            {
                levels = new object[]
                {
                    new { level = 2, name = "watch", enterAt = 20, exitBelow = 10, dwellDays = 1, actions = new[] { "Watch plan: test at entry points." } },
                    new { level = 3, name = "alert", enterAt = 85, exitBelow = 80, dwellDays = 1, actions = new[] { "Watch plan: reduce movement." } },
                    new { level = 4, name = "emergency", enterAt = 95, exitBelow = 90, dwellDays = 1, actions = new[] { "Watch plan: national team." } },
                },
            });
            var after = (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe")).GetProperty("response");
            Assert.Equal(2, after.GetProperty("level").GetInt32());
            Assert.Equal("watch", after.Text("name"));
            Assert.Equal("2020-04-30", after.Text("since"));
            Assert.Equal(["Watch plan: test at entry points."], after.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));

            // As known on a day: the standing decided for that day (level 4 since 16 April, score not yet below its exit).
            var then = (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe?asKnownOn=2020-04-17")).GetProperty("response");
            Assert.Equal((4, "2020-04-16"), (then.GetProperty("level").GetInt32(), then.Text("since")));
            var early = (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe?asKnownOn=2020-03-25")).GetProperty("response");
            Assert.Equal(1, early.GetProperty("level").GetInt32());

            // Ports and countries have no plan of their own.
            var port = await host.Admin.GetJsonAsync("/api/v1/ports/suifenhe-road");
            Assert.True(!port.TryGetProperty("response", out var p) || p.ValueKind == JsonValueKind.Null);

            var openApi = await host.Admin.GetStringAsync("/openapi/v1.json");
            Assert.Contains("the standing decided for that day", openApi, StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
