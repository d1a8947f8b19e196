using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>Notices are issued once per (city, day, kind, level): moving the clock back and forth, or jumping it, tells nobody twice.</summary>
public sealed class ClockMoveNoticeTests(ITestOutputHelper output)
{
    private static readonly DateOnly From = new(2020, 3, 20);
    private static readonly DateOnly To = new(2020, 4, 20);

    [Fact]
    public async Task ClockBackAndForward_AfterTheAprilReplay_IssuesNoNoticeTwice()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await ReplayAsync(host, To);

            var replayed = await AllNoticesAsync(host);
            output.WriteLine(string.Join("\n", replayed));
            Assert.Contains("suifenhe 2020-04-05 escalation 1→2 ", replayed);
            Assert.Contains("suifenhe 2020-04-04 port-above-city 1→2 suifenhe-road", replayed);
            var level = (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe")).GetProperty("level").GetString();

            // Back to 1 April, then forward one day at a time: every day is evaluated again, nothing is issued again.
            var fromMoves = new List<JsonElement>();
            for (var day = new DateOnly(2020, 4, 1); day <= To; day = day.AddDays(1))
            {
                fromMoves.AddRange((await host.SetClockAsync(day)).GetProperty("notices").EnumerateArray().Select(n => n.Clone()));
            }

            // Back again, then one jump forward.
            fromMoves.AddRange((await host.SetClockAsync(new DateOnly(2020, 4, 2))).GetProperty("notices").EnumerateArray().Select(n => n.Clone()));
            fromMoves.AddRange((await host.SetClockAsync(To)).GetProperty("notices").EnumerateArray().Select(n => n.Clone()));

            Assert.Empty(fromMoves);
            Assert.Equal(replayed, await AllNoticesAsync(host));
            Assert.Equal(level, (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe")).GetProperty("level").GetString());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClockJumpsToLiveAndBack_AfterTheAprilReplay_NoStormAndNothingTwice()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await ReplayAsync(host, To);

            var replayed = await AllNoticesAsync(host);
            var started = DateTime.UtcNow;
            var toLive = await SetLiveAsync(host);
            output.WriteLine($"to live in {DateTime.UtcNow - started}: {toLive.Length} notices\n" + string.Join("\n", toLive.Select(Line)));
            var backToApril = (await host.SetClockAsync(To)).GetProperty("notices").EnumerateArray().ToList();
            var liveAgain = await SetLiveAsync(host);
            var aprilAgain = (await host.SetClockAsync(To)).GetProperty("notices").EnumerateArray().ToList();

            // Going live evaluates the days in between as a replay would: escalated cities step down once their data
            // has gone quiet for the dwell, in spring 2020, once each; a port the city's step down leaves above it is
            // told so that day (review 19 M4: Suifenhe road port at 4 as the city falls 4 -> 2 on 2 May), then told as
            // it steps down still above the city; and a port told above its city that lost its score is told to stand
            // no longer above it (review 17 L4: Heihe's and Manzhouli's). Nothing rises.
            Assert.All(toLive, n => Assert.True(
                n.Text("kind") is "de-escalation" or "port-no-longer-above-city"
                || (n.Text("kind") == "port-above-city" && (n.TryGetProperty("portSteppedDownFrom", out _)
                    || toLive.Any(d => d.Text("kind") == "de-escalation" && d.Text("city") == n.Text("city") && d.Text("date") == n.Text("date")))),
                Line(n)));
            Assert.Contains(toLive, n => n.Text("kind") == "port-no-longer-above-city");
            Assert.Contains(toLive, n => n.Text("kind") == "port-above-city" && n.Text("port") == "suifenhe-road" && n.Text("date") == "2020-05-02" && n.GetProperty("newLevel").GetInt32() == 4);
            Assert.All(toLive, n => Assert.True(string.CompareOrdinal(n.Text("date"), "2020-06-01") < 0, Line(n)));
            Assert.Equal(toLive.Length, toLive.Select(n => (n.Text("city"), n.Text("kind"), n.Text("port"), n.GetProperty("newLevel").GetInt32())).Distinct().Count());

            // Back to April, live again, April again: nothing at all.
            Assert.Empty(backToApril);
            Assert.Empty(liveAgain);
            Assert.Empty(aprilAgain);
            // The same notices, whatever the order: the list is by city, and the move to live issued several cities' notices.
            Assert.Equal([.. replayed.Concat(toLive.Select(Line)).Order(StringComparer.Ordinal)], (await AllNoticesAsync(host)).Order(StringComparer.Ordinal));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClockBackBeforeTheStepDowns_TheyAreAheadOfTheClock_AndTheLevelInForceReadsCurrent()
    {
        // The newcomer's try-out: the replay, then live (Suifenhe steps down from 4 in late April and May), then back
        // to 20 April. Level 4 is in force again, yet the list said the escalation to 4 was superseded and the step
        // down to 1 was the current notice: a responder read "stepped down" while level 4 was in force.
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await ReplayAsync(host, To);
            await SetLiveAsync(host);
            await host.SetClockAsync(To);

            var notices = await host.Admin.NoticesAsync("suifenhe");
            output.WriteLine(string.Join("\n", notices.Select(n => $"{Line(n)} {n.Text("supersededBy")} {(n.TryGetProperty("aheadOfClock", out var a) ? a.GetBoolean() : null)}")));
            Assert.Equal(4, (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe")).GetProperty("response").GetProperty("level").GetInt32());
            var later = notices.Where(n => string.CompareOrdinal(n.Text("date"), "2020-04-20") > 0).ToList();
            var upToClock = notices.Where(n => string.CompareOrdinal(n.Text("date"), "2020-04-20") <= 0).ToList();
            Assert.Contains(later, n => n.Text("kind") == "de-escalation");
            Assert.All(later, n => Assert.True(n.GetProperty("aheadOfClock").GetBoolean(), Line(n)));
            Assert.All(upToClock, n => Assert.False(n.TryGetProperty("aheadOfClock", out _), Line(n)));

            // The change that set the level in force is the current one: no notice up to the clock's day replaced it.
            var inForce = upToClock.Last(n => n.Text("kind") is "escalation" or "de-escalation");
            Assert.Equal("2020-04-16 escalation 3→4", $"{inForce.Text("date")} {inForce.Text("kind")} {inForce.GetProperty("previousLevel").GetInt32()}→{inForce.GetProperty("newLevel").GetInt32()}");
            Assert.False(inForce.TryGetProperty("supersededBy", out _), Line(inForce));

            // Live again: the step downs are in force once more, and replace the escalation as before.
            await SetLiveAsync(host);
            notices = await host.Admin.NoticesAsync("suifenhe");
            Assert.All(notices, n => Assert.False(n.TryGetProperty("aheadOfClock", out _), Line(n)));
            Assert.True(notices.Single(n => n.Text("id") == inForce.Text("id")).TryGetProperty("supersededBy", out _));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task PlanSetThenClockBackAndForward_AfterTheReplayToMay_NoContradictingNoticeAndListInDayOrder()
    {
        // The try-out: replay to 10 May, set the example plan (other exits and dwells), clock to 30 April, clock to
        // 10 May. The old code re-decided 30 April – 9 May with the new plan and issued a second "2 → 1" on 7 May
        // after the one of 5 May, listed after the May escalations.
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var end = new DateOnly(2020, 5, 10);
            await ReplayAsync(host, end);

            var before = await AllNoticesAsync(host);
            var plan = await File.ReadAllTextAsync(Path.Combine(AprilReplayTests.RepositoryRoot(), "deploy", "examples", "plan.json"));
            var put = await host.Admin.PutAsync("/api/v1/cities/suifenhe/plan", new StringContent(plan, System.Text.Encoding.UTF8, "application/json"));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            var back = (await host.SetClockAsync(new DateOnly(2020, 4, 30))).GetProperty("notices").EnumerateArray().Select(n => n.Clone()).ToList();
            var forward = (await host.SetClockAsync(end)).GetProperty("notices").EnumerateArray().Select(n => n.Clone()).ToList();
            output.WriteLine(string.Join("\n", before));

            // Days decided with the default plan stay decided with it: nothing new before 10 May.
            Assert.All(back.Concat(forward), n => Assert.Equal("2020-05-10", n.Text("date")));
            var suifenhe = await host.Admin.NoticesAsync("suifenhe");
            Assert.Equal(suifenhe.OrderBy(n => n.Text("date"), StringComparer.Ordinal).ThenBy(n => n.GetProperty("sequence").GetInt64()).Select(Line), suifenhe.Select(Line));

            // The city's own level changes chain: each starts where the one before ended.
            var changes = suifenhe.Where(n => n.Text("kind") is "escalation" or "de-escalation").ToList();
            Assert.All(changes.Zip(changes.Skip(1)), p => Assert.Equal(p.First.GetProperty("newLevel").GetInt32(), p.Second.GetProperty("previousLevel").GetInt32()));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>The April 2020 scenario replayed day by day from <see cref="From"/> to <paramref name="to"/>, as <c>riskmesh replay</c> does.</summary>
    private static async Task ReplayAsync(RiskMeshHostFixture host, DateOnly to)
    {
        var events = AprilReplayTests.ScenarioEvents();
        for (var day = From; day <= to; day = day.AddDays(1))
        {
            await host.SetClockAsync(day);
            if (events.TryGetValue(day, out var lines))
            {
                await host.PostNdjsonAsync(lines);
            }
        }
    }

    private static async Task<JsonElement[]> SetLiveAsync(RiskMeshHostFixture host)
    {
        var response = await host.Admin.PostAsJsonAsync("/api/v1/clock", new { mode = "live" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/clock live answered {(int)response.StatusCode}: {text}");
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("notices").EnumerateArray().Select(n => n.Clone())];
    }

    /// <summary>Every city's notices, oldest first per city, as one line each.</summary>
    private static async Task<List<string>> AllNoticesAsync(RiskMeshHostFixture host)
    {
        var topology = await host.Admin.GetJsonAsync("/api/v1/topology");
        var lines = new List<string>();
        foreach (var city in topology.GetProperty("cities").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order(StringComparer.Ordinal))
        {
            lines.AddRange((await host.Admin.NoticesAsync(city)).Select(Line));
        }

        return lines;
    }

    private static string Line(JsonElement n) =>
        $"{n.Text("city")} {n.Text("date")} {n.Text("kind")} {n.GetProperty("previousLevel").GetInt32()}→{n.GetProperty("newLevel").GetInt32()} {n.Text("port")}";
}
