using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A port told above its city that steps down to a lower level still above the city is told at that level, and one that
/// stands at or below the city's level again gets a notice saying so; each replaces the port's notice before it
/// (review 17 L4: Hekou's road port at level 4 above the city at 3 stayed current after the city stepped down to 1 and
/// the port lost its score; only the port's next rise or the city reaching level 4 replaced it).
/// </summary>
public sealed class PortNoLongerAboveCityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PortToldAboveTheCity_LosesItsScoreAfterTheCityStepsDown_IsToldEachLevelItStepsDownTo_ThenThatItIsNoLongerAbove_EachReplacingTheLast()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.RaiseHekouRoadPortAboveItsCityAsync();
        var above = Assert.Single(await host.Admin.NoticesAsync("hekou"), n => n.Text("kind") == "port-above-city");
        Assert.Equal(("hekou-road", 4), (above.Text("port"), above.GetProperty("newLevel").GetInt32()));
        var cityThen = above.GetProperty("previousLevel").GetInt32();
        Assert.True(cityThen < 4, $"the city stood at {cityThen}");

        // No data for 81 days: the city steps down without a score to level 1, the port loses its score and steps down.
        await host.SetClockAsync("2020-08-30");

        var notices = await host.Admin.NoticesAsync("hekou");
        output.WriteLine(string.Join("\n", notices.Select(n => $"{n.Text("id")} {n.Text("date")} {n.Text("kind")} {n.GetProperty("previousLevel")}->{n.GetProperty("newLevel")} {n.Text("port")} | {n.Text("summary")}")));

        // On its way down the port stands above the city (back at 1 on 30 June) at 3 and then at 2: each is told, as a
        // port-above-city notice that says it stepped down and from which level, with that level's port measures (the
        // eighteenth session: told "port at level 4", the team kept level 4's measures while the port stood at 3).
        var portNotices = notices.Where(n => n.Text("port") == "hekou-road").ToList();
        Assert.Equal(
            ["port-above-city 4 from -", "port-above-city 3 from 4", "port-above-city 2 from 3", "port-no-longer-above-city 1 from -"],
            portNotices.Select(n => $"{n.Text("kind")} {n.GetProperty("newLevel").GetInt32()} from {(n.TryGetProperty("portSteppedDownFrom", out var from) ? from.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")}"));
        var (toThree, toTwo) = (portNotices[1], portNotices[2]);
        Assert.Equal(1, toThree.GetProperty("previousLevel").GetInt32());
        Assert.True(toThree.Text("summary")!.StartsWith($"Hekou road port steps down from level 4 (very high) to level 3 (high), still above Hekou Yao Autonomous County at level 1 (normal vigilance), on {toThree.Text("date")}: ", StringComparison.Ordinal), toThree.Text("summary"));
        // Without a score the port steps down one level and its dwell at 3 starts that day: the plan holds it at 3 (newcomer 20b F2).
        Assert.Contains($" Stand the port's measures down from level 4's to level 3's of the city's plan. Held at level 3 (high) by the plan: the port's score has been below level 3's exit line (42), or absent, since {toThree.Text("date")}, ", toThree.Text("summary"), StringComparison.Ordinal);
        Assert.Contains(" Level 3's measures of the plan apply at Hekou road port only; Hekou Yao Autonomous County stands at level 1 (normal vigilance). First action: ", toThree.Text("summary"), StringComparison.Ordinal);
        Assert.True(toTwo.Text("summary")!.StartsWith($"Hekou road port steps down from level 3 (high) to level 2 (heightened), still above", StringComparison.Ordinal), toTwo.Text("summary"));
        // Level 3's port measures are the plan's level 3 actions, the ones the city's own escalation to 3 listed.
        var escalation = notices.Single(n => n.Text("kind") == "escalation" && n.GetProperty("newLevel").GetInt32() == 3);
        Assert.Equal(Actions(escalation), Actions(toThree));
        Assert.NotEqual(Actions(above), Actions(toThree));

        var back = portNotices[3];
        var (cityLevel, portLevel) = (back.GetProperty("previousLevel").GetInt32(), back.GetProperty("newLevel").GetInt32());
        Assert.True(portLevel <= cityLevel, $"port at {portLevel}, city at {cityLevel}");
        Assert.True(back.GetProperty("sequence").GetInt64() > above.GetProperty("sequence").GetInt64());
        var said = $"Hekou road port no longer stands above Hekou Yao Autonomous County, on {back.Text("date")}: port at level {portLevel} (";
        Assert.True(back.Text("summary")!.StartsWith(said, StringComparison.Ordinal), back.Text("summary"));

        // The port stepped down because its data ran out, not because its risk fell: each step down says so, as the
        // city's does, with the port's flag; the rise, on a score, does not (newcomer 24b H1).
        Assert.Null(above.Text("dataQualityWarning"));
        foreach (var stepDown in portNotices.Skip(1))
        {
            Assert.True(!stepDown.TryGetProperty("score", out var score) || score.ValueKind == System.Text.Json.JsonValueKind.Null, $"score {score}");
            Assert.Equal(["no-port-score"], stepDown.GetProperty("dataQuality").GetProperty("flags").EnumerateArray().Select(f => f.GetString()!));
            Assert.StartsWith("Not an all-clear: the lower level rests on incomplete data. No port score: ", stepDown.Text("dataQualityWarning"), StringComparison.Ordinal);
            Assert.Contains(" Not an all-clear: the lower level rests on incomplete data (no port score: ", stepDown.Text("summary"), StringComparison.Ordinal);
        }

        // Each port notice replaces the one before it; the follow-up itself is current.
        for (var i = 0; i + 1 < portNotices.Count; i++)
        {
            Assert.Equal(portNotices[i + 1].Text("id"), portNotices[i].Text("supersededBy"));
        }

        Assert.False(back.TryGetProperty("supersededBy", out _));

        // Deciding the days again (the clock back before the step downs and forward) tells nobody twice.
        await host.SetClockAsync("2020-06-20");
        await host.SetClockAsync("2020-08-30");
        var again = await host.Admin.NoticesAsync("hekou");
        Assert.Equal(notices.Select(n => n.Text("id")), again.Select(n => n.Text("id")));
    }

    private static string[] Actions(System.Text.Json.JsonElement notice) =>
        [.. notice.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!)];
}
