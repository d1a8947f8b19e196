using System.Globalization;
using RiskMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>
/// The 2020-like year of Russia's, Mongolia's and Kazakhstan's cases (deploy/scenarios/year-2020), replayed with the CLI
/// as its README says, on a host of its own: a long feed with neighbours' case series and nothing else, so every notice
/// is early warning from exposure (newcomer 15: the README offered no replay past May, the year-long replays were tests
/// of the pure model only).
/// </summary>
public sealed class YearReplayTests(CliHostFixture host, ITestOutputHelper output) : IClassFixture<CliHostFixture>
{
    [Fact]
    public async Task Replay_2020LikeYear_WarnsOfEachNeighboursWaveAtTheCrossingsFacingIt_WithAFewNoticesAndNoFlaps()
    {
        var folder = Path.Combine(Repository.Root(), "deploy", "scenarios", "year-2020");
        var files = Directory.GetFiles(folder, "*.ndjson").Order(StringComparer.Ordinal).ToArray();

        var replay = await host.AdminAsync(["replay", .. files, "--from", "2020-02-01", "--to", "2020-12-31"]);
        output.WriteLine(replay.Out);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("accepted 1005, duplicates 0, rejected 0", replay.Out, StringComparison.Ordinal);

        var escalations = replay.Out.Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && l.Contains(" escalation: ", StringComparison.Ordinal))
            .Select(l => (City: l.Trim().Split('-')[0], Day: l.Trim().Split("  ")[1]["day ".Length..], Line: l))
            .ToList();
        // Kazakhstan's July wave takes Khorgos to level 3; Russia's autumn wave takes Manzhouli to level 3 in December.
        Assert.Contains(escalations, e => e.City == "khorgos" && e.Line.Contains("→ level 3", StringComparison.Ordinal) && e.Day.StartsWith("2020-07", StringComparison.Ordinal));
        Assert.Contains(escalations, e => e.City == "manzhouli" && e.Line.Contains("→ level 3", StringComparison.Ordinal) && e.Day.StartsWith("2020-12", StringComparison.Ordinal));
        // Mongolia's small outbreak escalates none of the cities that face it alone.
        Assert.DoesNotContain(escalations, e => e.City == "erenhot");

        // Few notices, none reversed within 14 days (DESIGN: alert quality; CIDARS, 1.65 signals per county per week).
        var quality = await host.AdminAsync("alert-quality", "--from", "2020-02-01", "--to", "2020-12-31");
        output.WriteLine(quality.Out);
        var overall = quality.Out.Split('\n').Single(l => l.StartsWith("all 65 cities", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var perWeek = double.Parse(overall[4].Replace("/city", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.InRange(perWeek, 0.001, 0.1);
        Assert.Equal("0", overall[8]);
    }
}
