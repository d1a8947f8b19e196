using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>
/// The README's "300 local cases in Heihe" example, reproduced from what ships (newcomer 17 F5: the event was in no
/// file): the April 2020 replay of "First steps", then <c>deploy/examples/heihe-local-cases.ndjson</c>, on a host of
/// its own, gives the notices and scores the README prints.
/// </summary>
public sealed class LocalCasesExampleTests(CliHostFixture host) : IClassFixture<CliHostFixture>
{
    [Fact]
    public async Task HeiheExample_AfterTheAprilReplay_EscalatesFrom1To4AndIssuesTheLocalTransmissionNoticeTheReadmePrints()
    {
        var scenario = Directory.GetFiles(Path.Combine(Repository.Root(), "deploy", "scenarios", "april-2020"), "*.ndjson").Order(StringComparer.Ordinal).ToArray();
        var replay = await host.AdminAsync(["replay", .. scenario, "--from", "2020-03-20", "--to", "2020-04-30"]);
        var before = await host.AdminAsync("get", "city", "heihe");

        var ingest = await host.AdminAsync("ingest", Path.Combine(Repository.Root(), "deploy", "examples", "heihe-local-cases.ndjson"));
        var after = await host.AdminAsync("get", "city", "heihe");
        var notices = await host.AdminAsync("notices", "city", "heihe");
        var since = await host.AdminAsync("explain", "city", "heihe", "--since", "yesterday");

        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("score 17.4  score band low", before.Out, StringComparison.Ordinal);
        Assert.True(ingest.ExitCode == 0, ingest.ToString());
        Assert.Contains("accepted 1, duplicates 0, rejected 0", ingest.Out, StringComparison.Ordinal);
        Assert.Contains("score 90.1  score band very high", after.Out, StringComparison.Ordinal);
        Assert.Contains("heihe-2  day 2020-04-30  escalation: city level 1 (normal vigilance) → level 4 (very high), city score 90.1  [open;", notices.Out, StringComparison.Ordinal);
        Assert.Contains(
            "heihe-3  day 2020-04-30  local-transmission: 300 local cases (300 confirmed, 0 asymptomatic), the first reported; city at level 4 (very high) (from level 1 (normal vigilance) that day), city score 90.1  [open;",
            notices.Out,
            StringComparison.Ordinal);
        Assert.Contains("score 90.1 now, 16.8 on 2020-04-29 (+73.3)", since.Out, StringComparison.Ordinal);
    }
}
