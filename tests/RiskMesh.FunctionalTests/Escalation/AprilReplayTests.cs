using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Escalation;

public sealed class AprilReplayTests(ITestOutputHelper output)
{
    private static readonly DateOnly From = new(2020, 3, 20);
    private static readonly DateOnly To = new(2020, 5, 20);

    [Fact]
    public async Task Replay_April2020DayByDay_SuifenheEscalatesWithTheDefaultPlanAndLaterStepsDown()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var eventsByDay = ScenarioEvents();
            Assert.Contains(eventsByDay.Keys, day => day >= From && day <= To);

            var fromClock = new List<JsonElement>();
            for (var day = From; day <= To; day = day.AddDays(1))
            {
                var clock = await host.SetClockAsync(day);
                Assert.Equal("replay", clock.Text("mode"));
                Assert.Equal(day.ToString("yyyy-MM-dd"), clock.Text("date"));
                Assert.True(clock.GetProperty("version").GetInt64() > 0);
                fromClock.AddRange(clock.GetProperty("notices").EnumerateArray().Select(n => n.Clone()));
                if (eventsByDay.TryGetValue(day, out var lines))
                {
                    await host.PostNdjsonAsync(lines);
                }
            }

            var notices = await host.Admin.NoticesAsync("suifenhe");
            var summary = string.Join("\n", notices.Select(n => $"{n.Text("date")} {n.Text("kind")} {n.GetProperty("previousLevel")}→{n.GetProperty("newLevel")} {n.Text("port")}"));

            output.WriteLine(summary);
            var escalation = notices.FirstOrDefault(n => n.Text("kind") == "escalation");
            Assert.True(escalation.ValueKind == JsonValueKind.Object, "no escalation notice for Suifenhe:\n" + summary);
            Assert.Equal("suifenhe", escalation.Text("city"));
            Assert.True(escalation.GetProperty("newLevel").GetInt32() > escalation.GetProperty("previousLevel").GetInt32(), summary);
            Assert.Contains(
                escalation.GetProperty("actions").EnumerateArray(),
                a => a.GetString()!.Contains("nucleic-acid testing", StringComparison.OrdinalIgnoreCase));
            Assert.Equal("open", escalation.Text("status"));
            Assert.NotEmpty(escalation.GetProperty("drivers").EnumerateArray());

            var escalatedOn = DateOnly.Parse(escalation.Text("date")!, System.Globalization.CultureInfo.InvariantCulture);
            var deEscalation = notices.FirstOrDefault(n =>
                n.Text("kind") == "de-escalation" && n.GetProperty("sequence").GetInt64() > escalation.GetProperty("sequence").GetInt64());
            Assert.True(deEscalation.ValueKind == JsonValueKind.Object, "no de-escalation after the escalation:\n" + summary);
            var steppedDownOn = DateOnly.Parse(deEscalation.Text("date")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(steppedDownOn > escalatedOn, summary);
            Assert.True(deEscalation.GetProperty("newLevel").GetInt32() < deEscalation.GetProperty("previousLevel").GetInt32(), summary);

            // What the scenario's README says the replay shows with the default plan: the imported cases found at the
            // road port stand for tens of infected arrivals a day, so the port's exposure carries the city up to level 4
            // (national expert team, makeshift hospital: what Suifenhe received in April 2020) before the cases fall.
            Assert.Equal((new DateOnly(2020, 4, 5), 1, 2), (escalatedOn, escalation.GetProperty("previousLevel").GetInt32(), escalation.GetProperty("newLevel").GetInt32()));
            var level4 = notices.Single(n => n.Text("kind") == "escalation" && n.GetProperty("newLevel").GetInt32() == 4 && n.Text("date")!.StartsWith("2020-04-", StringComparison.Ordinal));
            // Level 3's measures stay in force beside level 4's (newcomer 20b F1: the seeds run designated quarantine
            // facilities alongside the makeshift hospitals), listed apart so that `actions` stays level 4's own.
            var plan = RiskMesh.Scoring.Escalation.ResponsePlan.Default;
            Assert.Equal(plan.ActionsOf(4).AsEnumerable(), level4.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
            Assert.Equal([.. plan.ActionsOf(3), .. plan.ActionsOf(2)], level4.GetProperty("continuedActions").EnumerateArray().Select(a => a.GetString()!));
            Assert.Contains("Open designated quarantine facilities for inbound travellers.", level4.GetProperty("continuedActions").EnumerateArray().Select(a => a.GetString()));
            // 2 May since the city's floors lift its weighted evidence within their level (model 15): its score stays above
            // level 4's exit a day longer than max(weighted, floor) did, so the national team's level holds one more day.
            Assert.Equal((new DateOnly(2020, 5, 2), 4, 2), (steppedDownOn, deEscalation.GetProperty("previousLevel").GetInt32(), deEscalation.GetProperty("newLevel").GetInt32()));
            Assert.Contains(notices, n => n.Text("kind") == "de-escalation" && n.GetProperty("newLevel").GetInt32() == 1 && n.Text("date")!.StartsWith("2020-05-", StringComparison.Ordinal));
            var portRise = notices.First(n => n.Text("kind") == "port-above-city");
            Assert.Equal(("2020-04-04", "suifenhe-road", 2), (portRise.Text("date"), portRise.Text("port"), portRise.GetProperty("newLevel").GetInt32()));
            Assert.Contains(notices, n => n.Text("kind") == "port-above-city" && n.Text("date") == "2020-04-05" && n.GetProperty("newLevel").GetInt32() == 3);

            // The notices listed are oldest first, numbered 1, 2, 3… per city.
            Assert.Equal(Enumerable.Range(1, notices.Length).Select(i => (long)i), notices.Select(n => n.GetProperty("sequence").GetInt64()));
            Assert.All(notices, n => Assert.Equal($"suifenhe-{n.GetProperty("sequence").GetInt64()}", n.Text("id")));

            // Every notice issued by a clock move was answered with it and is stored with the city.
            var ids = notices.Select(n => n.Text("id")).ToHashSet();
            Assert.All(fromClock.Where(n => n.Text("city") == "suifenhe"), n => Assert.Contains(n.Text("id"), ids));

            // 4-6 April: the road port's traffic was reported every day (only its trend window touched nominal days), so
            // neither the port nor its city, scored from that port's exposure, says `estimated` (try-out 5 P9).
            foreach (var day in new[] { "2020-04-04", "2020-04-05", "2020-04-06" })
            {
                var port = await host.Admin.GetJsonAsync($"/api/v1/ports/suifenhe-road?asKnownOn={day}");
                var city = await host.Admin.GetJsonAsync($"/api/v1/cities/suifenhe?asKnownOn={day}");
                Assert.Equal(0, port.Metric("estimatedTraffic"));
                Assert.Equal(
                    (day, false, false),
                    (day, Flags(port).Contains("estimated"), Flags(city).Contains("estimated")));
            }

            // 16 April: one share found positive in the port's explanation, the imported-cases sentence's (try-out 5 P10).
            var sixteenth = await host.Admin.GetJsonAsync("/api/v1/ports/suifenhe-road?asKnownOn=2020-04-16");
            var pressure = Explanation(sixteenth, "importPressure");
            Assert.Contains("(706 per 10,000 inbound travellers)", Explanation(sixteenth, "importedCases"), StringComparison.Ordinal);
            Assert.Contains("7% of the 5,400 travellers counted in those 14 days were found positive", pressure, StringComparison.Ordinal);
            Assert.Contains("the 14-day average the imported cases found stand for", pressure, StringComparison.Ordinal);
            Assert.DoesNotContain("travellers a day counted", pressure, StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static string[] Flags(JsonElement view) =>
        [.. view.GetProperty("dataQuality").GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)];

    private static string Explanation(JsonElement view, string component) =>
        view.GetProperty("components").EnumerateArray().Single(c => c.Text("name") == component).Text("explanation")!;

    /// <summary>The scenario's events as NDJSON lines, by the day they concern.</summary>
    internal static Dictionary<DateOnly, List<string>> ScenarioEvents()
    {
        var folder = Path.Combine(RepositoryRoot(), "deploy", "scenarios", "april-2020");
        var files = Directory.GetFiles(folder, "*.ndjson").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, files.Count);
        return files
            .SelectMany(File.ReadLines)
            .Where(line => line.Trim().Length > 0)
            .GroupBy(line => DateOnly.Parse(JsonDocument.Parse(line).RootElement.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.ToList());
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RiskMesh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No RiskMesh.sln above {AppContext.BaseDirectory}.");
    }
}
