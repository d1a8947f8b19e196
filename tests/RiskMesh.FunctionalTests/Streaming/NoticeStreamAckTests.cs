using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Streaming;

/// <summary>
/// An acknowledgement is pushed on the city's notice stream as it is made, by whoever made it: an <c>ack</c> event with
/// the notice, the acknowledging key and its label, when, and the comment, without an id (Last-Event-ID stays the last
/// notice's sequence). An open inbox learned of a colleague's acknowledgement only at its next read of the list.
/// </summary>
public sealed class NoticeStreamAckTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stream_AcknowledgementMadeElsewhere_ArrivesAsAckEvent_WhoWhenComment_OnceAndWithoutId()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        var day = new DateOnly(2020, 4, 10);
        await host.EscalateAsync("heihe", day);
        var notice = Assert.Single(await host.Admin.NoticesAsync("heihe"));
        var id = notice.Text("id")!;

        // One officer follows the stream; another, with a key of its own, acknowledges.
        using var watcher = host.CreateClient(await host.CreateResponderKeyAsync("heihe"));
        var created = await host.Admin.PostAsJsonAsync("/api/v1/keys", new { role = "responder", cities = new[] { "heihe" }, label = "Heihe night shift" });
        var officer = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        using var colleague = host.CreateClient(officer.Text("key"));
        await using var stream = await SseReader.OpenAsync(watcher, "/api/v1/cities/heihe/notices/stream");
        var backlog = await stream.NextAsync(Wait);
        Assert.Equal((id, "open"), (backlog?.Json.Text("id"), backlog?.Json.Text("status")));

        var answer = await colleague.PostAsJsonAsync($"/api/v1/cities/heihe/notices/{id}/ack", new { comment = "Teams at the crossing" });
        answer.EnsureSuccessStatusCode();
        var acknowledged = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;

        var ack = await stream.NextAsync(Wait);
        Assert.NotNull(ack);
        Assert.Equal("ack", ack.Event);
        Assert.Null(ack.Id);
        Assert.Equal(id, ack.Json.Text("id"));
        Assert.Equal("heihe", ack.Json.Text("city"));
        Assert.Equal(notice.GetProperty("sequence").GetInt64(), ack.Json.GetProperty("sequence").GetInt64());
        Assert.Equal(officer.Text("id"), ack.Json.Text("acknowledgedBy"));
        Assert.Equal("Heihe night shift", ack.Json.Text("acknowledgedByLabel"));
        Assert.Equal(acknowledged.GetProperty("acknowledgedAt").GetDateTimeOffset(), ack.Json.GetProperty("acknowledgedAt").GetDateTimeOffset());
        Assert.Equal("Teams at the crossing", ack.Json.Text("acknowledgementComment"));

        // A repeat changes nothing and says nothing; the next notice keeps its sequence as id.
        (await colleague.PostAsync($"/api/v1/cities/heihe/notices/{id}/ack", null)).EnsureSuccessStatusCode();
        await host.SetClockAsync(day.AddDays(1));
        await host.ReportLocalCasesAsync("heihe", day.AddDays(1), 400);
        var next = await stream.NextAsync(Wait);
        Assert.Equal(("notice", "2"), (next?.Event, next?.Id));
        Assert.Single(stream.Seen, s => s.Contains("event=ack", StringComparison.Ordinal));
    }
}
