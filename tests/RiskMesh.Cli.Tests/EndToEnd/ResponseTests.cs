using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.EndToEnd;

[Collection(CliHostCollection.Name)]
public sealed class ResponseTests(CliHostFixture host)
{
    [Fact]
    public async Task PlanSetThenShow_NewLevelsShown()
    {
        var file = host.WriteFile($"{Guid.NewGuid():N}-plan.json", """
            {"levels":[
              {"level":2,"name":"watch","enterAt":30,"exitBelow":22,"dwellDays":3,"actions":["check every traveller"]},
              {"level":3,"name":"restrict","enterAt":55,"exitBelow":45,"dwellDays":5,"actions":["minimum cross-border movement"]},
              {"level":4,"name":"emergency","enterAt":80,"exitBelow":70,"dwellDays":7,"actions":["national expert team"]}
            ]}
            """);

        var set = await host.AdminAsync("plan", "set", "dongning", file);
        var show = await host.AdminAsync("plan", "show", "dongning");

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("response plan of dongning", show.Out, StringComparison.Ordinal);
        Assert.Contains("restrict", show.Out, StringComparison.Ordinal);
        Assert.Contains("level 4: national expert team", show.Out, StringComparison.Ordinal);
        Assert.Contains("levels accumulate: each level keeps the lower levels' actions in force beside its own", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanSet_LevelsStandAlone_ShowSaysSo_AndABadValueIsRefusedNamingIt()
    {
        const string Levels = """
            "levels":[
              {"level":2,"name":"watch","enterAt":30,"exitBelow":22,"dwellDays":3,"actions":["check every traveller"]},
              {"level":3,"name":"restrict","enterAt":55,"exitBelow":45,"dwellDays":5,"actions":["minimum cross-border movement"]},
              {"level":4,"name":"emergency","enterAt":80,"exitBelow":70,"dwellDays":7,"actions":["national expert team"]}]
            """;
        var alone = host.WriteFile($"{Guid.NewGuid():N}-plan.json", "{\"levelsStandAlone\":true," + Levels + "}");
        var bad = host.WriteFile($"{Guid.NewGuid():N}-plan.json", "{\"levelsStandAlone\":\"yes\"," + Levels + "}");

        var set = await host.AdminAsync("plan", "set", "fuyuan", alone);
        var show = await host.AdminAsync("plan", "show", "fuyuan");
        var refused = await host.AdminAsync("plan", "set", "fuyuan", bad);

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("levels stand alone: each level's actions replace the lower levels'", show.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("levelsStandAlone: expected true", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanSet_NotJson_Exit2NamesFile()
    {
        var file = host.WriteFile($"{Guid.NewGuid():N}-plan.json", "{levels: nope");

        var result = await host.AdminAsync("plan", "set", "dongning", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{file} is not valid JSON", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responder_PortOfItsCity_GetExplainHistory_AnotherCitysPortRefusedNamingTheScope()
    {
        // A response team reads its city's ports (its notices name them: newcomer try-out 7 F9), not another city's.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-erenhot.ndjson", string.Join('\n',
            $$"""{"id":"{{run}}-a","type":"case","location":"port:erenhot-road","date":"2020-04-19","count":2,"classification":"imported-confirmed","origin":"MN"}""",
            $$"""{"id":"{{run}}-b","type":"case","location":"port:erenhot-road","date":"2020-04-20","count":3,"classification":"imported-confirmed","origin":"MN"}"""));
        var ingest = await host.AdminAsync("ingest", file);
        Assert.True(ingest.ExitCode == 0, ingest.ToString());
        var created = await host.AdminAsync("keys", "create", "--role", "responder", "--city", "erenhot", "--label", "Erenhot team " + run[..8]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var team = host.Env(created.Out.Trim());

        var get = await CliRun.RunAsync(team, "get", "port", "erenhot-road");
        var explain = await CliRun.RunAsync(team, "explain", "port", "erenhot-road");
        var history = await CliRun.RunAsync(team, "history", "port", "erenhot-road", "--from", "2020-04-14", "--to", "2020-04-20");
        var otherPort = await CliRun.RunAsync(team, "get", "port", "hekou-road");
        var otherHistory = await CliRun.RunAsync(team, "history", "port", "hekou-road");
        var country = await CliRun.RunAsync(team, "get", "country", "MN");

        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("(port erenhot-road) as of 2020-04-20", get.Out, StringComparison.Ordinal);
        Assert.True(explain.ExitCode == 0, explain.ToString());
        Assert.Contains("[importedCases]:", explain.Out, StringComparison.Ordinal);
        Assert.True(history.ExitCode == 0, history.ToString());
        // Seven days: those before the port's first score folded into the first line, then a row a day.
        var folded = System.Text.RegularExpressions.Regex.Match(history.Out, @"^2020-04-14 to 2020-04-\d\d \((\d+) days\): no score");
        var rows = history.Out.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^2020-04-\d\d  "));
        Assert.Equal(7, rows + (folded.Success ? int.Parse(folded.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0));
        foreach (var refused in new[] { otherPort, otherHistory })
        {
            Assert.True(refused.ExitCode == 3, refused.ToString());
            Assert.Contains(
                "for this key: This key may not read port 'hekou-road': it belongs to city 'hekou', outside this key's cities (erenhot)",
                refused.Error,
                StringComparison.Ordinal);
        }

        // Nothing else widened: a country stays an analyst's read.
        Assert.True(country.ExitCode == 3, country.ToString());
        Assert.Contains("This key's role 'responder' may not do this", country.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notices_QuietCity_Exit0()
    {
        var result = await host.AdminAsync("notices", "city", "luobei", "--status", "open");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Ack_UnknownNotice_Exit6NotFound()
    {
        var result = await host.AdminAsync("ack", "city", "luobei", "luobei-999");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("luobei-999", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProvincesAndAssistance_PrintTablesAndJsonOnRequest()
    {
        var province = await host.AdminAsync("provinces", "heilongjiang");
        var assistance = await host.AdminAsync("assistance", "--limit", "5");
        var json = await host.AdminAsync("provinces", "heilongjiang", "--json");
        var unknown = await host.AdminAsync("provinces", "atlantis");

        Assert.True(province.ExitCode == 0, province.ToString());
        Assert.StartsWith("Heilongjiang (province heilongjiang) as of ", province.Out, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s*#\s+city\s+province\s+group\s+score\s+score band\s+gap\s+need\s+send$", province.Out);
        // Names and the group of each city, not ids: Suifenhe of Heilongjiang, in one of the four groups.
        Assert.Matches(@"(?m)^\s*\d+\s+Suifenhe\s+Heilongjiang\s+(send|capacity-not-reported|keep-monitoring|insufficient-data)\s", province.Out);
        Assert.DoesNotMatch(@"(?m)^\s*\d+\s+suifenhe\s", province.Out);
        Assert.True(assistance.ExitCode == 0, assistance.ToString());
        Assert.Matches(@"(?m)^\s*#\s+city\s+province\s+group\s+score", assistance.Out);
        Assert.DoesNotMatch(@"(?m)^\s*\d+\s+\S+\s+(heilongjiang|jilin|liaoning|inner-mongolia|xinjiang|tibet|yunnan|guangxi)\s", assistance.Out);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.StartsWith("{", json.Out.TrimStart(), StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == 6, unknown.ToString());
    }
}
