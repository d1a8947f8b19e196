using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh top … --as-known-on DAY</c>: the ranking as RiskMesh answered at the end of a past day (newcomer 24b, M2:
/// "unknown option '--as-known-on'"), with the day said under the table and a date read as <c>explain</c> reads one.
/// </summary>
public sealed class TopAsKnownOnTests
{
    private const string Ports = """
        [
         {"id":"dongning","kind":"port","name":"Dongning road port","score":25.0,"level":"moderate","trend":"rising","dataQuality":["estimated"]},
         {"id":"fuyuan","kind":"port","name":"Fuyuan port","score":25.0,"level":"moderate","trend":"rising","dataQuality":["estimated"]}
        ]
        """;

    [Fact]
    public async Task TopPorts_AsKnownOnADay_AsksTheRankingOfThatDay_AndSaysWhichDayItIs()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Ports));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "ports", "--limit", "2", "--as-known-on", "2020-10-27");

        Assert.True(result.ExitCode == 0, result.ToString());
        var request = Assert.Single(handler.Requests);
        Assert.Equal("/api/v1/rankings?kind=port&limit=2&asKnownOn=2020-10-27", request.RequestUri!.PathAndQuery);
        Assert.Matches(@"(?m)^1\s+dongning\s+Dongning road port\s+25\.0\s+est\.\s+moderate\s+rising\s*$", result.Out);
        Assert.Contains("as known on 2020-10-27: each port as RiskMesh answered at the end of that day, from the events accepted by then", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopPorts_WithoutAsKnownOn_IsTodaysRanking_AndSaysNoDay()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Ports));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "ports");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/rankings?kind=port&limit=10", Assert.Single(handler.Requests).RequestUri!.PathAndQuery);
        Assert.DoesNotContain("as known on", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("27/10/2020", "--as-known-on must be an ISO date like 2020-04-20, got '27/10/2020'")]
    [InlineData("2020-10-32", "--as-known-on: 2020-10-32 is not a real date")]
    public async Task TopPorts_AsKnownOnNotADay_RefusedBeforeAnythingIsAsked(string day, string refusal)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Ports));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "ports", "--as-known-on", day);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(refusal, result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }
}
