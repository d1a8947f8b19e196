using System.Net;
using System.Text.Json;
using RiskMesh.Cli.Completion;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh notices --from --to [--city]</c> reads every city's notices of a period, which analysts may
/// (<c>GET /api/v1/notices</c>), and an analyst refused <c>notices city X</c> is told to use it (newcomer 13).
/// </summary>
public sealed class NoticesCommandTests
{
    private const string Period = """
        [
         {"id":"heihe-1","city":"heihe","sequence":1,"kind":"escalation","previousLevel":1,"newLevel":2,"score":31.2,"port":null,"drivers":[],"actions":[],
          "date":"2020-04-12","issuedAt":"2026-11-28T10:00:00Z","status":"open","acknowledgedBy":null,"acknowledgedAt":null},
         {"id":"suifenhe-2","city":"suifenhe","sequence":2,"kind":"escalation","previousLevel":1,"newLevel":2,"score":35.64,"port":null,"drivers":[],"actions":[],
          "date":"2020-04-05","issuedAt":"2026-11-28T10:00:00Z","status":"open","acknowledgedBy":null,"acknowledgedAt":null,"supersededBy":"suifenhe-3",
          "newLevelName":"heightened","previousLevelName":"normal vigilance"},
         {"id":"suifenhe-3","city":"suifenhe","sequence":3,"kind":"escalation","previousLevel":2,"newLevel":3,"score":52.1,"port":null,"drivers":[],"actions":[],
          "date":"2020-04-14","issuedAt":"2026-11-28T10:01:00Z","status":"acknowledged","acknowledgedBy":"key-1","acknowledgedAt":"2026-11-28T10:05:00Z","futureField":7}
        ]
        """;

    [Fact]
    public async Task Notices_Period_ReadsEveryCitysNotices_AndPrintsEachCitysAsItsListDoes()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Period));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "notices", "--from", "2020-04-01", "--to", "2020-04-30");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/notices?from=2020-04-01&to=2020-04-30", handler.Requests[0].RequestUri!.PathAndQuery);
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.Equal("city heihe: 1 notice dated 2020-04-01..2020-04-30", lines[0]);
        Assert.StartsWith("heihe-1  day 2020-04-12", lines[1], StringComparison.Ordinal);
        Assert.Equal("city suifenhe: 2 notices dated 2020-04-01..2020-04-30", lines[2]);
        Assert.StartsWith("suifenhe-2  day 2020-04-05", lines[3], StringComparison.Ordinal);
        Assert.Contains("[open; superseded by suifenhe-3;", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("suifenhe-3  day 2020-04-14", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notices_PeriodWithCities_KeepsThoseCitiesOnly_InTextAndJson()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Period));

        var text = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "notices", "--from", "2020-04-01", "--to", "2020-04-30", "--city", "suifenhe");
        var json = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "notices", "--from=2020-04-01", "--to=2020-04-30", "--city", "heihe", "--city", "suifenhe", "--status", "open", "--json");
        var none = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "notices", "--from", "2020-04-01", "--to", "2020-04-30", "--city", "ruili");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.DoesNotContain("heihe", text.Out, StringComparison.Ordinal);
        Assert.Contains("suifenhe-3", text.Out, StringComparison.Ordinal);
        var kept = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(["heihe-1", "suifenhe-2"], kept.Select(n => n.GetProperty("id").GetString()));
        Assert.Equal("no notices dated 2020-04-01..2020-04-30 for ruili", none.Out.Trim());
    }

    [Theory]
    [InlineData(new[] { "notices", "--from", "2020-04-01" }, "missing option: --to")]
    [InlineData(new[] { "notices", "--city", "suifenhe" }, "missing option: --from")]
    [InlineData(new[] { "notices", "city", "suifenhe", "--from", "2020-04-01", "--to", "2020-04-30" }, "give either 'city ID' or --from and --to")]
    [InlineData(new[] { "notices", "--from", "2020-04-30", "--to", "2020-04-01" }, "--from 2020-04-30 is after --to 2020-04-01")]
    public async Task Notices_PeriodMisused_UsageErrorSaysWhat(string[] args, string expected)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Period));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Notices_CityAsAnalyst_SaysWhichCommandAnAnalystMayUse()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.Forbidden,
            """{"title":"Forbidden","status":403,"detail":"This key's role 'analyst' may not do this; it needs one of: responder, operator, admin."}""",
            "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "notices", "city", "suifenhe");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("role 'analyst' may not do this", result.Error, StringComparison.Ordinal);
        Assert.Contains("an analyst key reads every city's notices of a period: riskmesh notices --from YYYY-MM-DD --to YYYY-MM-DD --city suifenhe", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notices_CityRefusedForAnotherCity_NoAnalystAdvice()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.Forbidden,
            """{"title":"Forbidden","status":403,"detail":"This key may not act for city 'heihe'."}""",
            "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "notices", "city", "heihe");

        Assert.Equal(3, result.ExitCode);
        Assert.DoesNotContain("--from", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notices_HelpAndCompletion_KnowThePeriodForm()
    {
        var help = await CliRun.RunAsync(CliRun.Env(null, null), "notices", "--help");
        var command = Assert.Single(Cli.CommandTable, c => c.Name == "notices");

        Assert.Contains("riskmesh notices --from YYYY-MM-DD --to YYYY-MM-DD [--city ID]...", help.Out, StringComparison.Ordinal);
        Assert.Contains("--city CITY", help.Out, StringComparison.Ordinal);
        Assert.Superset(new HashSet<string> { "--from", "--to", "--city", "--status" }, CompletionScript.OptionWords(command).ToHashSet());
        Assert.Equal(["open", "acknowledged"], CompletionScript.OptionValues(command, command.Options.Single(o => o.Name == "status")));
    }
}
