using RiskMesh.Cli.Commands;
using RiskMesh.Cli.Http;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>provinces</c> and <c>assistance</c> print the city's and the province's names and the group each city is ranked
/// in, as the API gives them; they printed ids and no group, so a need of 0.00 above 0.10 read as mis-sorted.
/// </summary>
public sealed class AssistanceOutputTests
{
    [Fact]
    public void Table_NamesAndGroupFromTheApi_IdsBesideTheExplanations()
    {
        // Read the way the CLI reads GET /api/v1/assistance.
        var rows = ApiClient.Deserialize<List<AssistanceDto>>(
            """
            [{"cityId":"ruili","cityName":"Ruili","province":"yunnan","provinceName":"Yunnan","group":"send","score":71.2,"level":"very-high",
              "capacityGap":1,"need":0.712,"rank":1,"dailyInbound":3000,"explanation":"Need 0.712 = score 71.2 / 100 × capacity gap 1.",
              "recommendations":[{"action":"send a national expert team","reason":"Level very high (score 71.2).","scope":"national"}]},
             {"cityId":"erenhot","cityName":"Erenhot","province":"inner-mongolia","provinceName":"Inner Mongolia","group":"keep-monitoring","score":20,
              "level":"moderate","capacityGap":0.1,"need":0.02,"rank":2,"dailyInbound":10,"explanation":"Need 0.02.","recommendations":[]}]
            """,
            "/api/v1/assistance");

        using var writer = new StringWriter();
        AssistanceCommand.Write(writer, rows);
        var lines = writer.ToString().Split('\n', StringSplitOptions.TrimEntries);

        Assert.Matches(@"^#\s+city\s+province\s+group\s+score\s+score band\s+gap\s+need\s+send$", lines[0]);
        Assert.Matches(@"^1\s+Ruili\s+Yunnan\s+send\s+71\.2\s+very high\s", lines[1]);
        Assert.Matches(@"^2\s+Erenhot\s+Inner Mongolia\s+keep-monitoring\s+20\.0\s+moderate\s", lines[2]);
        Assert.Contains("Ruili (ruili): Need 0.712 = score 71.2 / 100 × capacity gap 1.", lines);

        // Gap and need with two decimals in every row, as the explanations round them (try-out 5 P6: 0.7135 beside 0.04).
        Assert.Matches(@"\s1\.00\s+0\.71\s+send a national expert team", lines[1]);
        Assert.Matches(@"\s0\.10\s+0\.02\s+nothing$", lines[2]);
        Assert.DoesNotContain(lines, l => l.Contains("yunnan", StringComparison.Ordinal) || l.Contains("inner-mongolia", StringComparison.Ordinal));
    }
}
