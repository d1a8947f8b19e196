using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// Review 19 M3 on a host: the API's alert quality counts a port told back within the flap window as a port flap, apart
/// from the city's flaps. Hekou's road port at 4 steps down (its data stopped) and rises again when cases come back.
/// </summary>
public sealed class PortFlapsApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PortSteppedDownThenRisingAgainWithinTheWindow_IsAPortFlapInAlertQuality_ApartFromTheCitysFlaps()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync("2020-06-10");
        await host.PostNdjsonAsync(Cases("a", "2020-06-06", "2020-06-08", "2020-06-10"));
        await host.SetClockAsync("2020-07-04");
        await host.SetClockAsync("2020-07-08");
        await host.PostNdjsonAsync(Cases("b", "2020-07-06", "2020-07-07", "2020-07-08"));

        var notices = await host.Admin.NoticesAsync("hekou");
        output.WriteLine(string.Join("\n", notices.Select(n => $"{n.Text("id")} {n.Text("date")} {n.Text("kind")} {n.GetProperty("previousLevel")}->{n.GetProperty("newLevel")} {n.Text("port")}")));
        var told = notices.Where(n => n.Text("port") == "hekou-road")
            .Select(n => $"{n.Text("date")} {n.Text("kind")} {n.GetProperty("newLevel").GetInt32()}{(n.TryGetProperty("portSteppedDownFrom", out _) ? " down" : "")}");
        // Up; down, down and no longer above (each the same way as the one before); up again two days after the last.
        Assert.Equal(
            ["2020-06-10 port-above-city 4", "2020-06-30 port-above-city 3 down", "2020-07-04 port-above-city 2 down", "2020-07-06 port-no-longer-above-city 1", "2020-07-08 port-above-city 4"],
            told);

        var report = await host.Admin.GetJsonAsync("/api/v1/alert-quality?from=2020-06-01&to=2020-07-08");
        var hekou = report.GetProperty("cities").EnumerateArray().Single(c => c.Text("city") == "hekou");
        // The city's own flap (down to 1 on 30 June, up to 3 on 8 July) stays in flaps; the port's reversal is apart.
        Assert.Equal((1, 1), (hekou.GetProperty("flaps").GetInt32(), hekou.GetProperty("portFlaps").GetInt32()));
        Assert.Equal(1, report.GetProperty("overall").GetProperty("portFlaps").GetInt32());
    }

    private static string[] Cases(string prefix, params string[] days) =>
        [.. days.Select((d, i) => $$"""{"id":"hk-{{prefix}}{{i}}","type":"case","location":"port:hekou-road","date":"{{d}}","count":30,"classification":"imported-confirmed","origin":"VN","source":"flaps"}""")];
}
