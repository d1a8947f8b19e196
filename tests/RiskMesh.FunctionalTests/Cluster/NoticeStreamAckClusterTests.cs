using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// An acknowledgement made through one node of a three-node cluster on real PostgreSQL reaches the notice streams of
/// the city open on the other two, pushed by the city grain to each node's hub as its notices are: every officer's
/// inbox, whichever node serves it, marks the notice at once.
/// </summary>
public sealed class NoticeStreamAckClusterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ThreeNodes_AcknowledgedThroughOne_EveryOtherNodesStreamSaysSo()
    {
        await using var cluster = await PostgresNodes.StartAsync("sa-");
        var clients = cluster.Clients;

        // One notice for Heihe: a low plan, the clock, imported cases isolated in the city that day.
        (await clients[0].PutAsJsonAsync("/api/v1/cities/heihe/plan", EscalationApi.LowPlan)).EnsureSuccessStatusCode();
        (await clients[0].PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-10" })).EnsureSuccessStatusCode();
        var cases = new { id = $"heihe-{Guid.NewGuid():N}", type = "case", location = "city:heihe", date = "2020-04-10", count = 40, classification = "imported-confirmed", source = "ack-cluster-test" };
        (await clients[0].PostAsJsonAsync("/api/v1/events", new[] { cases })).EnsureSuccessStatusCode();
        var id = Assert.Single(await clients[0].NoticesAsync("heihe")).Text("id")!;

        // The city followed on the other two nodes, each stream past its backlog (the open notice).
        var streams = new List<SseReader>();
        foreach (var client in clients.Skip(1))
        {
            streams.Add(await SseReader.OpenAsync(client, "/api/v1/cities/heihe/notices/stream"));
            var backlog = await streams[^1].NextAsync(Wait);
            Assert.Equal((id, "open"), (backlog?.Json.Text("id"), backlog?.Json.Text("status")));
        }

        var answer = await clients[0].PostAsJsonAsync($"/api/v1/cities/heihe/notices/{id}/ack", new { comment = "Seen at the crossing" });
        answer.EnsureSuccessStatusCode();
        var by = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Text("acknowledgedBy");
        foreach (var stream in streams)
        {
            var ack = await stream.NextAsync(Wait);
            Assert.True(ack?.Event == "ack", "no ack event; events so far:\n" + string.Join('\n', stream.Seen));
            Assert.Equal((id, by, "Seen at the crossing"), (ack.Json.Text("id"), ack.Json.Text("acknowledgedBy"), ack.Json.Text("acknowledgementComment")));
        }

        foreach (var stream in streams)
        {
            await stream.DisposeAsync();
        }
    }
}
