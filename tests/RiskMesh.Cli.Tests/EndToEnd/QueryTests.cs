using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.EndToEnd;

[Collection(CliHostCollection.Name)]
public sealed class QueryTests(CliHostFixture host) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await host.SetClockAsync("2020-04-20");
        var lines = Enumerable.Range(0, 21).Select(i =>
        {
            var day = new DateOnly(2020, 3, 31).AddDays(i);
            return $$"""{"id":"q-mn-{{day:yyyyMMdd}}","type":"country-cases","country":"MN","date":"{{day:yyyy-MM-dd}}","cumulativeCases":{{100 + (i * i * 20)}},"source":"cli-test"}""";
        });
        var file = host.WriteFile("mongolia.ndjson", string.Join('\n', lines));
        var result = await host.AdminAsync("ingest", file);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_Country_SummaryWithScoreLevelAndMetrics()
    {
        var result = await host.AdminAsync("get", "country", "MN");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(country MN) as of 2020-04-20", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"score \d+\.\d  score band (low|moderate|high|very high|insufficient data)  trend [a-z]+", result.Out);
        Assert.Contains("incidence14dPer100k", result.Out, StringComparison.Ordinal);
        Assert.Contains("classifications: ecdc", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Country_EveryComponentWithWeightAndExplanation()
    {
        var result = await host.AdminAsync("explain", "country", "MN");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("component", result.Out, StringComparison.Ordinal);
        Assert.Contains("contribution", result.Out, StringComparison.Ordinal);
        foreach (var component in new[] { "incidence", "growth", "intel" })
        {
            // By label, the code in brackets (try-out 7 F4): "Incidence [incidence]: …".
            Assert.Contains($"[{component}]:", result.Out, StringComparison.Ordinal);
        }

        Assert.Matches(@"Incidence \[incidence\]\s+[\d.]+\s+cases per 100k, 14 days\s+[\d.]+\s+0\.6\s+[\d.]+", result.Out);
        Assert.Contains("data quality:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainSince_AgainstTheRealHost_ComparesWithWhatWasSaidThatDay()
    {
        // Mongolia's series was accepted with the clock on 20 April: at the end of 19 April RiskMesh knew none of it.
        var result = await host.AdminAsync("explain", "country", "MN", "--since", "yesterday");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(country MN) as of 2020-04-20, against what RiskMesh said at the end of 2020-04-19", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"score \d+\.\d now, — on 2020-04-19 \(scored now, no score then\)", result.Out);
        Assert.Matches(@"Incidence \[incidence\]\s+0\s+[\d.]+\s+\+[\d.]+", result.Out);
    }

    [Fact]
    public async Task ExplainSince_OlderThanTheHistoryKept_RefusedByTheServer_NamingSince()
    {
        var result = await host.AdminAsync("explain", "country", "MN", "--since", "2010-01-01");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--since 2010-01-01 is older than the history RiskMesh keeps: 731 days before 2020-04-20 (the clock's day), so 2018-04-20 at the earliest", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_Countries_TableListsIngestedCountry()
    {
        var result = await host.AdminAsync("top", "countries", "--limit", "50");

        Assert.True(result.ExitCode == 0, result.ToString());
        // Every topology country is listed (newcomer 19, M5), ten rows or more: the rank column right-aligns its "#".
        Assert.Matches(@"^\s*#\s+id\s+name", result.Out);
        Assert.Contains(" MN ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopCitiesAndCityHistory_ShowTheResponseLevelInForce_AsTheApiGivesIt()
    {
        // Local cases that put Suifenhe above the default plan's first threshold: a city with a score and a level.
        var file = host.WriteFile("suifenhe-cases.ndjson", """{"id":"q-sfh-1","type":"case","location":"city:suifenhe","date":"2020-04-19","count":40,"classification":"local-confirmed","source":"cli-test"}""");
        Assert.Equal(0, (await host.AdminAsync("ingest", file)).ExitCode);

        var top = await host.AdminAsync("top", "cities", "--limit", "100");
        var ranking = await host.AdminAsync("top", "cities", "--limit", "100", "--json");
        var history = await host.AdminAsync("history", "city", "suifenhe", "--from", "2020-04-18", "--to", "2020-04-20");
        var days = await host.AdminAsync("history", "city", "suifenhe", "--from", "2020-04-18", "--to", "2020-04-20", "--json");

        Assert.True(top.ExitCode == 0 && ranking.ExitCode == 0 && history.ExitCode == 0 && days.ExitCode == 0, top.ToString() + history);
        // The server sends each row's dataQuality, so the "data" column (est. or blank) stands between score and band.
        Assert.Matches(@"^\s*#\s+id\s+name\s+score\s+data\s+score band\s+response level\s+trend", top.Out);
        var rows = System.Text.Json.JsonDocument.Parse(ranking.Out).RootElement.EnumerateArray().ToList();
        Assert.Contains(rows, r => r.GetProperty("id").GetString() == "suifenhe" && r.GetProperty("responseLevel").GetInt32() > 1);
        foreach (var row in rows)
        {
            var id = row.GetProperty("id").GetString()!;
            var level = row.TryGetProperty("responseLevel", out var l) ? $"level {l.GetInt32()}" : "—";
            Assert.Matches($@"(?m)^\s*\d+\s+{System.Text.RegularExpressions.Regex.Escape(id)}\s.*\s{level}\s+[a-z]+\s*$", top.Out);
        }

        Assert.Matches(@"^date\s+score\s+score band\s+response level", history.Out);
        foreach (var day in System.Text.Json.JsonDocument.Parse(days.Out).RootElement.EnumerateArray())
        {
            Assert.Matches($@"(?m)^{day.GetProperty("date").GetString()}\s.*\slevel {day.GetProperty("responseLevel").GetInt32()}\s*$", history.Out);
        }
    }

    [Fact]
    public async Task History_Country_RowPerDayAndSparkline()
    {
        var result = await host.AdminAsync("history", "country", "MN", "--from", "2020-04-11", "--to", "2020-04-20");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (folded, rows) = DaysShown(result.Out);
        Assert.Equal(10, folded + rows);
        var spark = result.Out.Split('\n').Single(l => l.StartsWith("score ", StringComparison.Ordinal));
        // One mark a day of the table: the days folded before the first score are not drawn.
        Assert.Matches($"^score [▁▂▃▄▅▆▇█·]{{{rows}}}( |$)", spark);
    }

    // The days a history prints: those folded into its first line before the first score, and one row each after.
    private static (int Folded, int Rows) DaysShown(string output)
    {
        var lines = output.Split('\n');
        var fold = System.Text.RegularExpressions.Regex.Match(lines[0], @"^2020-04-\d\d to 2020-04-\d\d \((\d+) days\): no score");
        var folded = fold.Success ? int.Parse(fold.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (folded, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^2020-04-\d\d  ")));
    }

    [Fact]
    public async Task History_Province_RowPerDayFromTheProvinceHistory()
    {
        var result = await host.AdminAsync("history", "province", "heilongjiang", "--from", "2020-04-11", "--to", "2020-04-20");
        var json = await host.AdminAsync("history", "province", "heilongjiang", "--from", "2020-04-20", "--to", "2020-04-20", "--json");
        var unknown = await host.AdminAsync("history", "province", "atlantis");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (folded, rows) = DaysShown(result.Out);
        Assert.Equal(10, folded + rows);
        Assert.Contains("\"cities\"", json.Out, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 6, unknown.ToString());
        Assert.Contains("Unknown province", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownPort_Exit6NotFoundWithProblem()
    {
        var result = await host.AdminAsync("get", "port", "atlantis");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("not found: Unknown port", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clock_Show_ReplayDate()
    {
        var result = await host.AdminAsync("clock");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("replay 2020-04-20", result.Out, StringComparison.Ordinal);
    }
}
