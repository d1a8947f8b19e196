using RiskMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>The April 2020 scenario replayed with the CLI as its README says, on a host of its own.</summary>
public sealed class ScenarioReplayTests(CliHostFixture host, ITestOutputHelper output) : IClassFixture<CliHostFixture>
{
    [Fact]
    public async Task Replay_April2020Scenario_PrintsThe4And8AprilNoticesOnThoseDaysAndEndsWithLiveScores_ARerunCountsNoOldNoticeAsNew()
    {
        var folder = Path.Combine(Repository.Root(), "deploy", "scenarios", "april-2020");
        var files = Directory.GetFiles(folder, "*.ndjson").Order(StringComparer.Ordinal).ToArray();

        var replay = await host.AdminAsync(["replay", .. files, "--from", "2020-03-20", "--to", "2020-05-10"]);
        var city = await host.AdminAsync("get", "city", "suifenhe");
        var quality = await host.AdminAsync("alert-quality", "--from", "2020-03-20", "--to", "2020-05-10");
        var listed = await ListedNoticesAsync();

        output.WriteLine(replay.Out);
        output.WriteLine(quality.Out);
        Assert.Contains("heihe ", quality.Out, StringComparison.Ordinal);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        var days = Days(replay.Out);

        // The headline moments, on their days: Suifenhe's road port rises above the city on 4 April, the city
        // escalates on 5 April (both issued while that day's events were ingested, not by the clock move).
        Assert.Contains(days["2020-04-04"], l => l.StartsWith("  suifenhe-2  day 2020-04-04  port-above-city: port suifenhe-road at level 2 (heightened) above the city at level 1 (normal vigilance)", StringComparison.Ordinal));
        Assert.Contains(days["2020-04-05"], l => l.StartsWith("  suifenhe-3  day 2020-04-05  escalation: city level 1 (normal vigilance) → level 2 (heightened)", StringComparison.Ordinal));

        // Review 19 M4: as the city steps down (4 -> 2 on 2 May, 2 -> 1 on 5 May), its ports left above the new level are
        // told so (the road port at 4, told before at 4 but replaced by the city's own rise to 4; the rail port at 2,
        // which rose while the city was higher), so the crossings' teams keep those levels' port measures.
        var lines = replay.Out.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("  suifenhe-10  day 2020-05-02  port-above-city: port suifenhe-road at level 4 (very high) above the city at level 2 (heightened)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  suifenhe-12  day 2020-05-05  port-above-city: port suifenhe-rail at level 2 (heightened) above the city at level 1 (normal vigilance)", StringComparison.Ordinal));

        // Every notice of the period is printed once: under its own day, or (issued a moment after that day's
        // ingest was acknowledged, as a city hears of its ports) under the next.
        Assert.NotEmpty(listed);
        var printedUnder = days.SelectMany(d => d.Value.Skip(1).Select(l => (Day: d.Key, Line: l))).Where(x => x.Line.StartsWith("  ", StringComparison.Ordinal) && !x.Line.StartsWith("   ", StringComparison.Ordinal) && x.Line.Contains("  day ", StringComparison.Ordinal)).ToList();
        Assert.Equal(listed.Count, printedUnder.Count);
        foreach (var notice in listed)
        {
            var under = printedUnder.Single(x => x.Line.StartsWith($"  {notice.Id}  day {notice.Date}  {notice.Kind}:", StringComparison.Ordinal)).Day;
            Assert.True(string.CompareOrdinal(under, notice.Date) >= 0 && DateOnly.Parse(under, System.Globalization.CultureInfo.InvariantCulture).DayNumber - DateOnly.Parse(notice.Date, System.Globalization.CultureInfo.InvariantCulture).DayNumber <= 1, $"{notice.Id} of {notice.Date} printed under {under}");
        }

        // The README's replay ends on a day with live data: scores, not insufficient-data.
        Assert.True(city.ExitCode == 0, city.ToString());
        Assert.DoesNotContain("insufficient data", city.Out, StringComparison.Ordinal);

        // The alert-quality table agrees with the notices listed.
        Assert.True(quality.ExitCode == 0, quality.ToString());
        var suifenhe = quality.Out.Split('\n').Single(l => l.StartsWith("suifenhe ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mine = listed.Where(n => n.City == "suifenhe").ToList();
        Assert.Equal(mine.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), suifenhe[1]);
        Assert.Equal(mine.Count(n => n.Kind == "escalation").ToString(System.Globalization.CultureInfo.InvariantCulture), suifenhe[3]);
        Assert.Equal(mine.Count(n => n.Kind == "de-escalation").ToString(System.Globalization.CultureInfo.InvariantCulture), suifenhe[4]);
        Assert.Equal(mine.Count(n => n.Kind == "port-above-city").ToString(System.Globalization.CultureInfo.InvariantCulture), suifenhe[5]);
        Assert.Equal(mine.Count(n => n.Kind == "port-no-longer-above-city").ToString(System.Globalization.CultureInfo.InvariantCulture), suifenhe[6]);
        Assert.Equal(mine.Count(n => n.Kind == "testing-shortfall-ended").ToString(System.Globalization.CultureInfo.InvariantCulture), suifenhe[9]);
        // The road port's notice restating level 4 on 2 May, followed on 7 May by its no-longer-above, is no port flap.
        Assert.Equal("0", suifenhe[11]);
        var overall = quality.Out.Split('\n').Single(l => l.StartsWith("all 65 cities", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(listed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), overall[3]);

        // Replayed again: the notices of the first run are not news. A day with notices says how many are new, and
        // only notices this run issued are printed (none, unless the re-run itself issued some).
        var again = await host.AdminAsync(["replay", .. files, "--from", "2020-03-20", "--to", "2020-05-10"]);
        output.WriteLine(again.Out);
        Assert.True(again.ExitCode == 0, again.ToString());
        var issuedByTheRerun = (await ListedNoticesAsync()).Select(n => n.Id).Except(listed.Select(n => n.Id)).ToList();
        var againDays = Days(again.Out);
        var reprinted = againDays.SelectMany(d => d.Value.Skip(1)).Count(l => l.Contains("  day ", StringComparison.Ordinal));
        Assert.Equal(issuedByTheRerun.Count, reprinted);
        foreach (var (day, dayLines) in againDays)
        {
            var onDay = listed.Count(n => n.Date == day);
            if (onDay > 0)
            {
                var newOnDay = dayLines.Skip(1).Count(l => l.Contains("  day ", StringComparison.Ordinal));
                Assert.EndsWith($"; notices {onDay + newOnDay} ({newOnDay} new)", dayLines[0], StringComparison.Ordinal);
            }
        }
    }

    private sealed record Listed(string Id, string City, string Kind, string Date);

    /// <summary>Every notice of the replayed period as the API lists it.</summary>
    private async Task<List<Listed>> ListedNoticesAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri(host.Url + "/") };
        client.DefaultRequestHeaders.Add("X-Api-Key", host.AdminKey);
        var json = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("api/v1/notices?from=2020-03-20&to=2020-05-10")).RootElement;
        return [.. json.EnumerateArray().Select(n => new Listed(
            n.GetProperty("id").GetString()!, n.GetProperty("city").GetString()!, n.GetProperty("kind").GetString()!, n.GetProperty("date").GetString()!))];
    }

    /// <summary>The replay's output by day: the day's line, then its notice lines.</summary>
    private static Dictionary<string, List<string>> Days(string output)
    {
        var days = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Length > 10 && char.IsDigit(line[0]) && line[10..].StartsWith("  events", StringComparison.Ordinal))
            {
                days[line[..10]] = current = [line];
            }
            else if (current is not null && line.StartsWith("  ", StringComparison.Ordinal))
            {
                current.Add(line);
            }
        }

        return days;
    }
}
