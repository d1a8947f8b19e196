using RiskMesh.Cli.Tests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>The April 2020 scenario replayed with the CLI as its README says, on a host of its own.</summary>
public sealed class ScenarioReplayTests(CliHostFixture host, ITestOutputHelper output) : IClassFixture<CliHostFixture>
{
    [Fact]
    public async Task Replay_April2020Scenario_PrintsThe4And8AprilNoticesOnThoseDaysAndEndsWithLiveScores()
    {
        var folder = Path.Combine(RepositoryRoot(), "deploy", "scenarios", "april-2020");
        var files = Directory.GetFiles(folder, "*.ndjson").Order(StringComparer.Ordinal).ToArray();

        var replay = await host.AdminAsync(["replay", .. files, "--from", "2020-03-20", "--to", "2020-04-30"]);
        var city = await host.AdminAsync("get", "city", "suifenhe");
        var quality = await host.AdminAsync("alert-quality", "--from", "2020-03-20", "--to", "2020-04-30");

        output.WriteLine(replay.Out);
        output.WriteLine(quality.Out);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        var days = Days(replay.Out);
        Assert.Contains(days["2020-04-04"], l => l.Contains("suifenhe-1  port-above-city port suifenhe-road  level 1→2", StringComparison.Ordinal));
        Assert.Contains(days["2020-04-08"], l => l.Contains("suifenhe-2  escalation  level 1→2", StringComparison.Ordinal));
        Assert.Contains(days["2020-04-08"], l => l.Contains("suifenhe-3  port-above-city port suifenhe-road  level 2→3", StringComparison.Ordinal));
        Assert.Contains(days["2020-04-29"], l => l.Contains("suifenhe-4  de-escalation  level 2→1", StringComparison.Ordinal));
        Assert.StartsWith("2020-04-04  events", days["2020-04-04"][0], StringComparison.Ordinal);
        Assert.EndsWith("notices 1", days["2020-04-04"][0], StringComparison.Ordinal);
        Assert.EndsWith("notices 2", days["2020-04-08"][0], StringComparison.Ordinal);

        // The README's replay ends on a day with live data: scores, not insufficient-data.
        Assert.True(city.ExitCode == 0, city.ToString());
        Assert.DoesNotContain("insufficient-data", city.Out, StringComparison.Ordinal);

        Assert.True(quality.ExitCode == 0, quality.ToString());
        var suifenhe = quality.Out.Split('\n').Single(l => l.StartsWith("suifenhe ", StringComparison.Ordinal));
        Assert.Equal(["suifenhe", "4", "0.67", "1", "1", "2", "0", "0", "—", "—"], suifenhe.Split(' ', StringSplitOptions.RemoveEmptyEntries));
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

    private static string RepositoryRoot()
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
