using System.Text.Json;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// The year-2020 scenario that users replay (deploy/scenarios/year-2020) holds the very series the README's calibration
/// tables come from (<see cref="CalibrationReport.Series"/>, cumulated as the calibration feeds them), so what a user
/// replays is what the calibration describes.
/// </summary>
public sealed class YearScenarioFilesTests
{
    [Theory]
    [InlineData("RU", "01-russia.ndjson")]
    [InlineData("MN", "02-mongolia.ndjson")]
    [InlineData("KZ", "03-kazakhstan.ndjson")]
    public void ScenarioFile_IsTheCalibrationSeries_DayByDay(string country, string file)
    {
        var expected = BorderReplay.CumulativeFeed(country, new DateOnly(2020, 2, 1), CalibrationReport.Series(country))
            .Cast<RiskMesh.Scoring.Events.CountryCasesEvent>()
            .Select(e => (Date: e.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Cumulative: e.CumulativeCases!.Value))
            .ToList();

        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "deploy", "scenarios", "year-2020", file));
        var actual = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Date: e.GetProperty("date").GetString()!, Cumulative: e.GetProperty("cumulativeCases").GetInt64()))
            .ToList();

        Assert.Equal(expected, actual);
        Assert.All(lines, l => Assert.Contains($"\"country\": \"{country}\"", l, StringComparison.Ordinal));
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

        throw new InvalidOperationException("RiskMesh.sln not found above " + AppContext.BaseDirectory);
    }
}
