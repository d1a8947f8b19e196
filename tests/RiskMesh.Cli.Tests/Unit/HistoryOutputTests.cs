using System.Globalization;
using System.Net;
using System.Text;
using RiskMesh.Cli.Output;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>history</c> folds the days before the first score into one line (newcomer 17 F7: 80 rows of "insufficient
/// data") and fits its sparkline to the terminal, a mark standing for several days when the days do not fit, which
/// the line says (F6: a year was a 378-character line).
/// </summary>
public sealed class HistoryOutputTests
{
    private static readonly DateOnly First = new(2020, 1, 1);

    // A city's history: `empty` days without a score (level 1 in force), then `scored` days rising from 10.
    private static string CityHistory(int empty, int scored)
    {
        var points = new StringBuilder("[");
        for (var i = 0; i < empty + scored; i++)
        {
            var date = First.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var score = i < empty ? "null" : (10 + (i - empty)).ToString(CultureInfo.InvariantCulture);
            var level = i < empty ? "insufficient-data" : "low";
            points.Append(i == 0 ? "" : ",").Append($$"""{"date":"{{date}}","score":{{score}},"level":"{{level}}","metrics":{},"responseLevel":1}""");
        }

        return points.Append(']').ToString();
    }

    private static Dictionary<string, string?> Env(string? columns)
    {
        var env = CliRun.Env("http://stub.test", "k");
        env["COLUMNS"] = columns;
        return env;
    }

    [Fact]
    public async Task History_LeadingDaysWithoutScore_FoldIntoOneLine_AndTheTableStartsAtTheFirstScore()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, CityHistory(empty: 80, scored: 3)));

        var result = await CliRun.RunWithHandlerAsync(handler, Env(null), CancellationToken.None, "history", "city", "suifenhe", "--from", "2020-01-01", "--to", "2020-03-23");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("2020-01-01 to 2020-03-20 (80 days): no score, insufficient data, response level 1; the table starts at the first scored day", lines[0]);
        Assert.Equal("date        score  score band  response level", lines[1]);
        Assert.StartsWith("2020-03-21   10.0  low", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("insufficient data  level 1", StringComparison.Ordinal));
        // The sparkline is of the days shown (10 to 12 on the score's 0 to 100), and says from when.
        Assert.Contains(lines, l => l.StartsWith("score ▂▂▂", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("(2020-03-21 to 2020-03-23; min 10.0, max 12.0; scale 0 to 100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task History_NoScoreAtAll_IsOneLine()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, CityHistory(empty: 30, scored: 0)));

        var result = await CliRun.RunWithHandlerAsync(handler, Env(null), CancellationToken.None, "history", "city", "heihe");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("2020-01-01 to 2020-01-30 (30 days): no score, insufficient data, response level 1", result.Out.TrimEnd());
    }

    [Theory]
    [InlineData("40", 40)]
    [InlineData(null, CliConsole.DefaultWidth)]
    public async Task History_MoreDaysThanColumns_OneMarkPerRunOfDays_FitsTheWidth_AndSaysSo(string? columns, int width)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, CityHistory(empty: 0, scored: 366)));

        var result = await CliRun.RunWithHandlerAsync(handler, Env(columns), CancellationToken.None, "history", "city", "suifenhe", "--from", "2020-01-01", "--to", "2020-12-31");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var spark = lines.Single(l => l.StartsWith("score ", StringComparison.Ordinal));
        var perMark = (int)Math.Ceiling(366.0 / (width - "score ".Length));
        Assert.Equal("score ".Length + (int)Math.Ceiling(366.0 / perMark), spark.Length);
        Assert.True(spark.Length <= width, spark);
        // Each mark is its run's highest score: the series rises, so the last mark is the top block.
        Assert.EndsWith("█", spark, StringComparison.Ordinal);
        Assert.Contains($"(one mark per {perMark} days, the highest score of each, 2020-01-01 to 2020-12-31; min 10.0, max 375.0", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_SmallDriftAsKnownOn_DrawnFlatOnTheScoresScale_AndTheLegendKeepsItsDates()
    {
        // Suifenhe from 20 to 31 December 2020 after the year replay: 42.5 to 42.7, no day folded. It was drawn
        // ▁▃▄▅▆▇▇█████ with "(min 42.5, max 42.7; …)", no dates, under --as-known-on (newcomer 21a L3).
        double[] scores = [42.5, 42.5, 42.6, 42.6, 42.6, 42.6, 42.7, 42.7, 42.7, 42.7, 42.7, 42.7];
        var days = scores.Select((score, i) => $$"""{"date":"2020-12-{{20 + i}}","score":{{score.ToString(CultureInfo.InvariantCulture)}},"level":"moderate","metrics":{},"responseLevel":2}""");
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "[" + string.Join(",", days) + "]"));

        var result = await CliRun.RunWithHandlerAsync(handler, Env(null), CancellationToken.None, "history", "city", "suifenhe", "--from", "2020-12-20", "--to", "2020-12-31", "--as-known-on", "2020-12-31");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var spark = lines.FindIndex(l => l.StartsWith("score ", StringComparison.Ordinal));
        // 80 columns through a pipe: the legend takes a line of its own.
        Assert.Equal(["score ▄▄▄▄▄▄▄▄▄▄▄▄", "      (2020-12-20 to 2020-12-31; min 42.5, max 42.7; scale 0 to 100; · = no score)"], lines[spark..(spark + 2)]);
    }

    [Fact]
    public void Fit_FewerValuesThanMarks_OneMarkEach()
    {
        Assert.Equal(("▁·█", 1), Sparkline.Fit([1, null, 3], 10, 1, 3));
    }

    [Fact]
    public void Fit_MoreValuesThanMarks_EachMarkTheHighestOfItsRun_AGapOnlyWhenTheWholeRunHasNone()
    {
        // Runs of 2: (1, 5) → 5, (null, null) → gap, (2, 9) → 9, (3) → 3; on a scale from 3 to 9.
        Assert.Equal(("▃·█▁", 2), Sparkline.Fit([1, 5, null, null, 2, 9, 3], 4, 3, 9));
    }
}
