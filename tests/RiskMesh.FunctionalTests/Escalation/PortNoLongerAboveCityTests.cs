using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A port told above its city that stands at or below the city's level again gets a notice saying so, which replaces
/// the port's notice (review 17 L4: Hekou's road port at level 4 above the city at 3 stayed current after the city
/// stepped down to 1 and the port lost its score; only the port's next rise or the city reaching level 4 replaced it).
/// </summary>
public sealed class PortNoLongerAboveCityTests
{
    [Fact]
    public async Task PortToldAboveTheCity_LosesItsScoreAfterTheCityStepsDown_ANoticeSaysSoAndReplacesThePortsNotice()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync("2020-06-10");
        await host.PostNdjsonAsync(
        [
            """{"id":"hk-1","type":"case","location":"port:hekou-road","date":"2020-06-06","count":30,"classification":"imported-confirmed","origin":"VN","source":"l4"}""",
            """{"id":"hk-2","type":"case","location":"port:hekou-road","date":"2020-06-08","count":30,"classification":"imported-confirmed","origin":"VN","source":"l4"}""",
            """{"id":"hk-3","type":"case","location":"port:hekou-road","date":"2020-06-10","count":30,"classification":"imported-confirmed","origin":"VN","source":"l4"}""",
        ]);
        var above = Assert.Single(await host.Admin.NoticesAsync("hekou"), n => n.Text("kind") == "port-above-city");
        Assert.Equal(("hekou-road", 4), (above.Text("port"), above.GetProperty("newLevel").GetInt32()));
        var cityThen = above.GetProperty("previousLevel").GetInt32();
        Assert.True(cityThen < 4, $"the city stood at {cityThen}");

        // No data for 81 days: the city steps down without a score to level 1, the port loses its score and steps down.
        await host.SetClockAsync("2020-08-30");

        var notices = await host.Admin.NoticesAsync("hekou");
        var back = Assert.Single(notices, n => n.Text("kind") == "port-no-longer-above-city");
        Assert.Equal("hekou-road", back.Text("port"));
        var (cityLevel, portLevel) = (back.GetProperty("previousLevel").GetInt32(), back.GetProperty("newLevel").GetInt32());
        Assert.True(portLevel <= cityLevel, $"port at {portLevel}, city at {cityLevel}");
        Assert.True(back.GetProperty("sequence").GetInt64() > above.GetProperty("sequence").GetInt64());
        var said = $"Hekou road port no longer stands above Hekou Yao Autonomous County, on {back.Text("date")}: port at level {portLevel} (";
        Assert.True(back.Text("summary")!.StartsWith(said, StringComparison.Ordinal), back.Text("summary"));

        // The port's notice is no longer current: the follow-up replaced it; the follow-up itself is current.
        Assert.Equal(back.Text("id"), notices.Single(n => n.Text("id") == above.Text("id")).Text("supersededBy"));
        Assert.False(back.TryGetProperty("supersededBy", out _));

        // Deciding the days again (the clock back and forward) tells nobody twice.
        await host.SetClockAsync("2020-08-01");
        await host.SetClockAsync("2020-08-30");
        Assert.Single(await host.Admin.NoticesAsync("hekou"), n => n.Text("kind") == "port-no-longer-above-city");
    }
}
