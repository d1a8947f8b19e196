using System.Net;
using System.Text.Json;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// A country's cases growth stands beside its score's trend in <c>top countries</c> and <c>get</c>/<c>explain</c>:
/// Russia read "falling" in the April 2020 replay while its cases grew 26% a week, its score falling as growth slowed
/// from ×1.96 to ×1.26 (newcomer 19, L16).
/// </summary>
public sealed class CountryCasesGrowthOutputTests
{
    private const string Countries = """
        [
         {"id":"RU","kind":"country","name":"Russia","score":38.8,"level":"moderate","trend":"falling","dataQuality":[],"cases7d":43725,"casesPrevious7d":34835},
         {"id":"MM","kind":"country","name":"Myanmar","score":20.7,"level":"low","trend":"steady","dataQuality":[],"cases7d":72,"casesPrevious7d":18},
         {"id":"MN","kind":"country","name":"Mongolia","score":3.1,"level":"low","trend":"steady","dataQuality":[],"cases7d":8,"casesPrevious7d":10},
         {"id":"LA","kind":"country","name":"Laos","score":2.0,"level":"low","trend":"steady","dataQuality":[],"cases7d":3,"casesPrevious7d":0},
         {"id":"AF","kind":"country","name":"Afghanistan","score":null,"level":"insufficient-data","trend":"unknown","dataQuality":["stale"]}
        ]
        """;

    [Fact]
    public async Task TopCountries_ShowsTheCasesGrowthBesideTheScoresTrend_AndSaysWhatEachMeans()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Countries));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "countries");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^#\s+id\s+name\s+score\s+data\s+score band\s+trend\s+cases 7d$", lines[0]);
        Assert.Matches(@"^1\s+RU\s+Russia\s+38\.8\s+moderate\s+falling\s+43,725 vs 34,835 \(\+26%\)$", lines[1]);
        // The counts' own change: 72 against 18 is +300% (the growth component's pseudo-count read it +235%, review 20 M2).
        Assert.Matches(@"^2\s+MM\s+Myanmar\s+20\.7\s+low\s+steady\s+72 vs 18 \(\+300%\)$", lines[2]);
        Assert.Matches(@"^3\s+MN\s+Mongolia\s+3\.1\s+low\s+steady\s+8 vs 10 \(−20%\)$", lines[3]);
        Assert.Matches(@"^4\s+LA\s+Laos\s+2\.0\s+low\s+steady\s+3 vs 0 \(new\)$", lines[4]);
        Assert.Matches(@"^5\s+AF\s+Afghanistan\s+—\s+insufficient data\s+unknown\s+—$", lines[5]);
        Assert.Contains("trend = the score's over 7 days; cases 7d = cases in the last 7 days against the 7 before, and the change", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopCountries_AWeekEndingBeforeToday_NamesItsLastDayAndSaysWhy()
    {
        // Myanmar's last case report was 20 April: its weeks end on that day, not on the ranking's (newcomer 22).
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Countries.Replace("\"casesPrevious7d\":18}", "\"casesPrevious7d\":18,\"casesThrough\":\"2020-04-20\"}", StringComparison.Ordinal)));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "countries");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^1\s+RU\s+Russia\s+38\.8\s+moderate\s+falling\s+43,725 vs 34,835 \(\+26%\)$", lines[1]);
        Assert.Matches(@"^2\s+MM\s+Myanmar\s+20\.7\s+low\s+steady\s+72 vs 18 \(\+300%\) to 2020-04-20$", lines[2]);
        Assert.Contains("to DATE = the country's last case report is older than today: its two weeks end on that report's day, not today.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopCountries_EveryWeekEndingToday_SaysNoDate()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Countries));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "countries");

        Assert.DoesNotContain(" to 20", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("to DATE", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopPorts_HasNoCasesColumn()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, """[{"id":"suifenhe-road","kind":"port","name":"Suifenhe road port","score":67.9,"level":"high","trend":"falling","dataQuality":[]}]"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "ports");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("cases 7d", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_Country_NamesItsCasesGrowthBesideTheTrend_ACityNone()
    {
        Assert.Contains("score 38.8  score band moderate  trend falling  cases 7d 43,725 vs 34,835 (+26%) on the 7 before", Summary(View("country", "RU", """{"growth7d":1.2552,"cases7d":43725,"cases14d":78560}""")), StringComparison.Ordinal);
        // Fewer than 14 days of reports: no growth, so no week before to compare with.
        Assert.Contains("trend falling\n", Summary(View("country", "RU", """{"growth7d":null,"cases7d":43725,"cases14d":43725}""")).ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("cases 7d", Summary(View("city", "suifenhe", """{"growth7d":1.2552,"cases7d":43725,"cases14d":78560}""")), StringComparison.Ordinal);
    }

    private static string Summary(RiskViewDto view)
    {
        using var writer = new StringWriter();
        RiskViewWriter.Summary(writer, view);
        return writer.ToString();
    }

    private static RiskViewDto View(string kind, string id, string metrics) => JsonSerializer.Deserialize<RiskViewDto>(
        $$$"""{"id":"{{{id}}}","kind":"{{{kind}}}","name":"X","asOf":"2020-04-30","score":38.8,"level":"moderate","trend":"falling","components":[],"metrics":{{{metrics}}},"dataQuality":{"stale":false,"flatSeries":false,"revised":false,"missingPopulation":false,"notes":[]}}""",
        ApiClient.JsonOptions)!;
}
