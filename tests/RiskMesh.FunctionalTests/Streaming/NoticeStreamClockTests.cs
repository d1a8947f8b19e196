using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Streaming;

/// <summary>
/// A city's notice stream says the clock's day: as it opens, then each day the clock moves to, whether or not the move
/// issued a notice (the inbox's "now" panel stayed on the day before when none came, session 18). The event carries no
/// id, so a client's Last-Event-ID stays the last notice's sequence, and readers of notices skip it.
/// </summary>
public sealed class NoticeStreamClockTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Stream_SaysTheClocksDayAsItOpens_ThenEachDayItMovesTo_WithoutAnId()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        var day = new DateOnly(2020, 4, 10);
        await host.PutPlanAsync("heihe", EscalationApi.LowPlan);
        await host.SetClockAsync(day);
        using var responder = host.CreateClient(await host.CreateResponderKeyAsync("heihe"));
        using var response = await responder.GetAsync("/api/v1/cities/heihe/notices/stream", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var wire = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<List<string>>();

        // As it opens (after the empty "connected" event and the backlog, none here): the day, and the clock's mode.
        var opened = await NextWithAsync(wire, events, "event: clock");
        Assert.Equal(["event: clock", "data: {\"date\":\"2020-04-10\",\"mode\":\"replay\"}"], opened);

        // A notice keeps its id; the clock's next day comes without one (none on its lines), whatever the move issued.
        await host.ReportLocalCasesAsync("heihe", day, 40);
        var notice = await NextWithAsync(wire, events, "event: notice");
        Assert.Contains("id: 1", notice);
        await host.SetClockAsync(day.AddDays(1));
        var moved = await NextWithAsync(wire, events, "data: {\"date\":\"2020-04-11\",\"mode\":\"replay\"}");
        Assert.Equal(["event: clock", "data: {\"date\":\"2020-04-11\",\"mode\":\"replay\"}"], moved);

        // Back to live mode: the clock's live day, said once.
        (await host.Admin.PostAsync("/api/v1/clock", new StringContent("{\"mode\":\"live\"}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var live = (await host.Admin.GetJsonAsync("/api/v1/clock")).Text("date");
        var back = await NextWithAsync(wire, events, "event: clock");
        Assert.Equal($"data: {{\"date\":\"{live}\",\"mode\":\"live\"}}", back[1]);
        Assert.Equal(3, events.Count(e => e.Contains("event: clock")));
    }

    // The next event (its non-empty lines) that has the line wanted; every event read is kept in events.
    private static async Task<List<string>> NextWithAsync(StreamReader wire, List<List<string>> events, string wanted)
    {
        using var deadline = new CancellationTokenSource(Wait);
        var block = new List<string>();
        while (true)
        {
            var line = await wire.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("the stream ended; events: " + Describe(events));
            if (line.Length > 0)
            {
                block.Add(line);
                continue;
            }

            if (block.Count == 0)
            {
                continue;
            }

            events.Add(block);
            if (block.Contains(wanted))
            {
                return block;
            }

            block = [];
        }
    }

    private static string Describe(List<List<string>> events) => string.Join(" | ", events.Select(e => string.Join(" / ", e)));
}
