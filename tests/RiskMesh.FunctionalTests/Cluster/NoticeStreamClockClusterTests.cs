using System.Diagnostics;
using System.Net.Http.Json;
using RiskMesh.Api.Notices;
using RiskMesh.FunctionalTests.Escalation;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// A clock move made through one node of a three-node cluster on real PostgreSQL reaches the notice streams open on
/// the other two, pushed by the clock grain to each node's hub (as a city's notices are pushed), before any of those
/// nodes read the clock on its own.
/// </summary>
public sealed class NoticeStreamClockClusterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ThreeNodes_ClockSetThroughOne_EveryOtherNodesStreamSaysTheNewDay_Pushed()
    {
        await using var cluster = await PostgresNodes.StartAsync("sc-");
        var clients = cluster.Clients;
        (await clients[0].PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();

        // A stream on each of the other two nodes: the first streams there, so each node's hub starts watching the
        // clock now, and reads it on its own only NoticeHub.ClockCatchUpEvery from now.
        var opened = Stopwatch.StartNew();
        var streams = new List<SseReader>();
        foreach (var (client, city) in new[] { (clients[1], "heihe"), (clients[2], "suifenhe") })
        {
            streams.Add(await SseReader.OpenAsync(client, $"/api/v1/cities/{city}/notices/stream"));
            var first = await streams[^1].NextAsync(Wait, clock: true);
            Assert.Equal(("clock", "2020-04-20"), (first?.Event, first?.Json.Text("date")));
        }

        (await clients[0].PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-21" })).EnsureSuccessStatusCode();
        foreach (var stream in streams)
        {
            var moved = await stream.ReadUntilAsync(e => e.Any(x => x.Event == "clock"), Wait, clock: true);
            Assert.Equal("2020-04-21", moved.Single(x => x.Event == "clock").Json.Text("date"));
        }

        // Both arrived before either node's own first read of the clock: pushed from the clock grain.
        Assert.True(opened.Elapsed < NoticeHub.ClockCatchUpEvery, $"the new day took {opened.Elapsed.TotalSeconds:F1} s from the streams' opening");
        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
    }
}
