using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh top provinces</c> (or <c>province</c>) reads the API's province ranking and names each province's
/// highest city, whose figures it carries (newcomer 23a L1: "unknown kind 'provinces'", though the console ranked them).
/// </summary>
public sealed class TopProvincesTests
{
    private const string Provinces = """
        [
         {"id":"inner-mongolia","kind":"province","name":"Inner Mongolia","score":55.2,"level":"high","trend":"rising","dataQuality":[],"highestCity":"manzhouli"},
         {"id":"heilongjiang","kind":"province","name":"Heilongjiang","score":42.79,"level":"moderate","trend":"falling","dataQuality":["estimated"],"highestCity":"suifenhe"},
         {"id":"tibet","kind":"province","name":"Tibet","score":null,"level":"insufficient-data","trend":"unknown","dataQuality":[]}
        ]
        """;

    [Theory]
    [InlineData("provinces")]
    [InlineData("province")]
    [InlineData("Provinces")]
    public async Task Top_Provinces_AsksForTheProvinceRanking_AndNamesEachHighestCity(string word)
    {
        string? asked = null;
        using var handler = new StubHandler((request, _) =>
        {
            asked = request.RequestUri!.PathAndQuery;
            return StubHandler.Json(HttpStatusCode.OK, Provinces);
        });

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", word, "--limit", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/rankings?kind=province&limit=3", asked);
        var lines = result.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^#\s+id\s+name\s+highest city\s+score\s+data\s+score band\s+trend$", lines[0]);
        Assert.Matches(@"^1\s+inner-mongolia\s+Inner Mongolia\s+manzhouli\s+55\.2\s+high\s+rising$", lines[1]);
        Assert.Matches(@"^2\s+heilongjiang\s+Heilongjiang\s+suifenhe\s+42\.7\s+est\.\s+moderate\s+falling$", lines[2]);
        Assert.Matches(@"^3\s+tibet\s+Tibet\s+—\s+—\s+insufficient data\s+unknown$", lines[3]);
        Assert.Contains("'riskmesh explain city ID' (of the highest city) says which", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_UnknownKind_NamesProvincesAmongTheKinds()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "[]"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "towns");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown kind 'towns'; expected ports, cities, countries or provinces", result.Error, StringComparison.Ordinal);
    }
}
