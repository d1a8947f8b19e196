using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh top</c> marks a score resting on estimates or defaults "est." (the rows' <c>dataQuality</c>) and says
/// what the mark means under the table: sixteen ports that reported nothing ranked at 17.0 above Suifenhe road port at
/// 7.4, which reports its traffic and testing, with nothing to tell them apart (newcomer 17 F3).
/// </summary>
public sealed class TopDataQualityTests
{
    private const string Ports = """
        [
         {"id":"dongning","kind":"port","name":"Dongning road port","score":16.9785,"level":"low","trend":"steady","dataQuality":["no-recent-report","estimated","capacity-not-reported"]},
         {"id":"suifenhe-road","kind":"port","name":"Suifenhe road port","score":7.4165,"level":"low","trend":"falling","dataQuality":[]},
         {"id":"aidian","kind":"port","name":"Aidian road port","score":null,"level":"insufficient-data","trend":"steady","dataQuality":["stale"]}
        ]
        """;

    [Fact]
    public async Task Top_ScoreRestingOnDefaults_IsMarkedEst_OneOnReportsIsNot_AndTheMarkIsExplained()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Ports));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "ports", "--limit", "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^#\s+id\s+name\s+score\s+data\s+score band\s+trend$", lines[0]);
        Assert.Matches(@"^1\s+dongning\s+Dongning road port\s+16\.9\s+est\.\s+low\s+steady$", lines[1]);
        Assert.Matches(@"^2\s+suifenhe-road\s+Suifenhe road port\s+7\.4\s+low\s+falling$", lines[2]);
        // No score, no mark: "insufficient data" already says it.
        Assert.Matches(@"^3\s+aidian\s+Aidian road port\s+—\s+insufficient data\s+steady$", lines[3]);
        Assert.StartsWith("est. = the score rests on estimates or defaults, not on the entity's own reports", lines[4], StringComparison.Ordinal);
        Assert.Contains("'riskmesh explain port ID' says which", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_ServerWithoutDataQuality_LeavesTheColumnOut_RatherThanReadingAsReported()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, """[{"id":"dongning","kind":"port","name":"Dongning road port","score":17,"level":"low","trend":"steady"}]"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "ports");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^#\s+id\s+name\s+score\s+score band\s+trend$", lines[0]);
        Assert.Equal(2, lines.Count);
    }
}
