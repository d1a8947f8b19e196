using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// Newcomer 21a M1: <c>explain city … --since</c> says when the score's change comes from the city's floor crossing a
/// band boundary (Suifenhe, 16 April 2020: 74.9 → 84.8 with the exposure floor 74.77 → 75 and the evidence 39.05 → 39.22).
/// </summary>
public sealed class ExplainSinceBoundaryTests
{
    private static string View(string day, double score, string level, double floor, double weighted) => $$"""
        {"id":"suifenhe","kind":"city","name":"Suifenhe","asOf":"{{day}}","score":{{score}},"level":"{{level}}","trend":"steady",
         "components":[{"name":"portExposure","value":{{floor}},"unit":"score floor","normalized":0.75,"weight":0,"contribution":0,"explanation":"Exposure."}],
         "metrics":{"exposureFloor":{{floor}},"arrivalsFloor":40.1,"incidenceFloor":0,"weightedScore":{{weighted}} },
         "dataQuality":{"stale":false,"notes":[],"flags":[]} }
        """;

    private static StubHandler Views(string then, string now) => new((request, _) =>
        StubHandler.Json(HttpStatusCode.OK, request.RequestUri!.Query.Contains("asKnownOn=2020-04-15", StringComparison.Ordinal) ? then : now));

    [Fact]
    public async Task ExplainSince_FloorCrossedABandBoundary_SaysTheJumpIsTheBoundary()
    {
        using var handler = Views(View("2020-04-15", 74.86, "high", 74.77, 39.05), View("2020-04-16", 84.8, "very-high", 75, 39.22));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "city", "suifenhe", "--since", "2020-04-15");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // 74.86 shows cut, 74.8 (newcomer 23a M1); the change is the scores' own, +9.94.
        var score = lines.IndexOf("score 84.8 now, 74.8 on 2020-04-15 (+9.9)");
        Assert.True(score >= 0, result.Out);
        // The floor's and the evidence's scores cut as every shown score is: 74.77 reads 74.7, not rounded.
        Assert.StartsWith("band boundary: the city's score floor went 74.7 → 75, crossing 75 where very high begins; the weighted evidence went 39 → 39.2 (", lines[score + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainSince_FloorWithinItsBand_SaysNothingOfBoundaries()
    {
        using var handler = Views(View("2020-04-15", 60, "high", 55, 39.05), View("2020-04-16", 62, "high", 57, 39.22));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "city", "suifenhe", "--since", "2020-04-15");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("band boundary", result.Out, StringComparison.Ordinal);
    }
}
