using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>explain … --since DAY</c> answers "what changed since yesterday?" (newcomer 17 F4): today's view beside the view
/// RiskMesh gave at the end of that day (<c>?asKnownOn=</c>), the components that moved most first, the score band and
/// response level then and now; a day that is not before the view's own is refused naming --since.
/// </summary>
public sealed class ExplainSinceTests
{
    private const string Now = """
        {"id":"suifenhe","kind":"city","name":"Suifenhe","asOf":"2020-04-30","score":44.3,"level":"moderate","trend":"falling",
         "components":[
          {"name":"localCases","value":0,"unit":"local cases per 100k, 14 days","normalized":0,"weight":0.25,"contribution":0,"explanation":"No local cases."},
          {"name":"importedCases","value":24,"unit":"imported cases hosted per 100k, 14 days","normalized":0.2,"weight":0.2,"contribution":4.94,"explanation":"24 imported cases now."},
          {"name":"highestPort","value":67.944,"unit":"port score","normalized":0.68,"weight":0.2,"contribution":13.59,"explanation":"Port at 67.94."}],
         "response":{"level":4,"name":"very high","since":"2020-04-16","actions":["Request a national expert team."],"dwellUntil":"2020-05-02"},
         "dataQuality":{"stale":false,"notes":[],"flags":["estimated"]}}
        """;

    private const string Then = """
        {"id":"suifenhe","kind":"city","name":"Suifenhe","asOf":"2020-04-29","score":49.1,"level":"high","trend":"falling",
         "components":[
          {"name":"localCases","value":0,"unit":"local cases per 100k, 14 days","normalized":0,"weight":0.25,"contribution":0,"explanation":"No local cases."},
          {"name":"importedCases","value":35,"unit":"imported cases hosted per 100k, 14 days","normalized":0.3,"weight":0.2,"contribution":7.42,"explanation":"35 imported cases then."},
          {"name":"highestPort","value":73.804,"unit":"port score","normalized":0.84,"weight":0.2,"contribution":14.76,"explanation":"Port at 73.8."}],
         "response":{"level":3,"name":"high","since":"2020-04-07","actions":[]},
         "dataQuality":{"stale":false,"notes":[],"flags":[]}}
        """;

    private static StubHandler Views() => new((request, _) =>
        StubHandler.Json(HttpStatusCode.OK, request.RequestUri!.Query.Contains("asKnownOn=2020-04-29", StringComparison.Ordinal) ? Then : Now));

    [Fact]
    public async Task ExplainSince_ReadsTheViewAsKnownOnThatDay_AndPutsTheComponentThatMovedMostFirst()
    {
        using var handler = Views();

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "city", "suifenhe", "--since", "2020-04-29");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/cities/suifenhe", handler.Requests[0].RequestUri!.PathAndQuery);
        Assert.Equal("/api/v1/cities/suifenhe?asKnownOn=2020-04-29", handler.Requests[1].RequestUri!.PathAndQuery);
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("score 44.3 now, 49.1 on 2020-04-29 (-4.8)", lines);
        Assert.Contains("score band high on 2020-04-29 → moderate now", lines);
        Assert.Contains("response level 3 (high) on 2020-04-29 → level 4 (very high) now, in force since 2020-04-16; can step down from 2020-05-02", lines);
        // Imported cases moved 2.48 points, the riskiest port 1.17 (though more in normalized value), local cases none:
        // in that order, whatever the API's.
        var header = lines.FindIndex(l => l.StartsWith("component ", StringComparison.Ordinal));
        Assert.Matches(@"^Imported cases \[importedCases\]\s+7\.42\s+4\.94\s+-2\.48\s+35\s+24\s+imported cases hosted", lines[header + 1]);
        Assert.Matches(@"^Riskiest port \[highestPort\]\s+14\.76\s+13\.59\s+-1\.17\s+73\.804\s+67\.944\s+port score", lines[header + 2]);
        Assert.Matches(@"^Local cases \[localCases\]\s+0\s+0\s+0\s+0\s+0\s+local cases", lines[header + 3]);
        // Why, in both days' words, for what moved; what did not is named once.
        Assert.Contains("  2020-04-30: 24 imported cases now.", lines);
        Assert.Contains("  2020-04-29: 35 imported cases then.", lines);
        Assert.Contains("unchanged: Local cases [localCases]", lines);
        Assert.Contains("data quality: estimated (new) ('explain' without --since gives the notes)", lines);
    }

    [Fact]
    public async Task ExplainSince_FlagsOnBothDays_AreInTheWordsExplainPrints_NotCodes()
    {
        // Newcomer 24b L3: "data quality: no-recent-report, estimated, as on 2020-10-05".
        const string quality = """{"stale":false,"daysSinceLastReport":22,"notes":[],"flags":["no-recent-report","estimated"]}""";
        using var handler = new StubHandler((request, _) => StubHandler.Json(
            HttpStatusCode.OK,
            (request.RequestUri!.Query.Contains("asKnownOn", StringComparison.Ordinal) ? Then : Now).Replace("""{"stale":false,"notes":[],"flags":["estimated"]}""", quality, StringComparison.Ordinal)
                .Replace("""{"stale":false,"notes":[],"flags":[]}""", quality, StringComparison.Ordinal)));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "city", "suifenhe", "--since", "2020-04-29");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("data quality: no recent report of its own (22 days since the last; the notes say which reports count), estimated, as on 2020-04-29", lines);
        Assert.DoesNotContain("no-recent-report", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainSince_Yesterday_IsTheDayBeforeTheViewsOwnDay()
    {
        using var handler = Views();

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "city", "suifenhe", "--since", "yesterday");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/cities/suifenhe?asKnownOn=2020-04-29", handler.Requests[1].RequestUri!.PathAndQuery);
    }

    [Theory]
    [InlineData("2020-05-01", "--since 2020-05-01 is after the clock's day: nothing is known of it yet; give a day before the clock's day, 2020-04-30 (for example --since 2020-04-29)")]
    [InlineData("2020-04-30", "--since 2020-04-30 is the very day it is compared with; give a day before the clock's day, 2020-04-30")]
    [InlineData("2020-02-30", "2020-02-30 is not a real date")]
    [InlineData("last-week", "got 'last-week' (or 'yesterday', the day before the view's)")]
    public async Task ExplainSince_NotADayBeforeTheView_IsAUsageErrorNamingSince(string since, string message)
    {
        using var handler = Views();

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "city", "suifenhe", "--since", since);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(handler.Requests, r => r.RequestUri!.Query.Contains("asKnownOn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExplainSince_ServerRefusesTheDay_SaysSoNamingSinceNotTheApisParameter()
    {
        using var handler = new StubHandler((request, _) => request.RequestUri!.Query.Length == 0
            ? StubHandler.Json(HttpStatusCode.OK, Now)
            : StubHandler.Json(
                HttpStatusCode.BadRequest,
                """{"title":"Invalid 'asKnownOn'","status":400,"detail":"'asKnownOn' (2010-01-01) is older than the history RiskMesh keeps: 731 days before 2020-04-30 (the clock's day), so 2018-04-30 at the earliest (setting RiskMesh:Model:Scoring:HistoryDays).","earliest":"2018-04-30","historyDays":731}""",
                "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "city", "suifenhe", "--since", "2010-01-01");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("riskmesh explain: --since 2010-01-01 is older than the history RiskMesh keeps: 731 days before 2020-04-30", result.Error, StringComparison.Ordinal);
    }
}
