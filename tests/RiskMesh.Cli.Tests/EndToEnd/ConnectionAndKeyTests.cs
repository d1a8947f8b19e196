using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.EndToEnd;

[Collection(CliHostCollection.Name)]
public sealed class ConnectionAndKeyTests(CliHostFixture host)
{
    [Fact]
    public async Task AnyCommand_NothingListening_Exit4WithUrl()
    {
        var url = $"http://127.0.0.1:{TestPorts.Free()}";

        var result = await CliRun.RunAsync(CliRun.Env(url, host.AdminKey), "top", "ports");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains($"cannot connect to {url}", result.Error, StringComparison.Ordinal);
        Assert.Contains("is RiskMesh running? set RISKMESH_URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_NoKey_Exit3()
    {
        var result = await CliRun.RunAsync(host.Env(null), "get", "country", "RU");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("no API key was sent: set RISKMESH_API_KEY", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_WrongKey_Exit3()
    {
        var result = await CliRun.RunAsync(host.Env("not-a-key"), "get", "country", "RU");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("the server refused the key in RISKMESH_API_KEY", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_WrongKeyGivenWithKeyOption_SaysThatKeyWasRefused()
    {
        // Newcomer 17 F11: "pass --key" was the advice to someone who had passed a wrong one.
        var result = await CliRun.RunAsync(host.Env(host.AdminKey), "get", "country", "RU", "--key", "not-a-key");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("the server refused the key given with --key", result.Error, StringComparison.Ordinal);
        Assert.Contains("not valid or has been revoked", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_Analyst_KeyPrintedOnceAndWorks()
    {
        var label = "cli-test-" + Guid.NewGuid().ToString("N")[..8];

        var created = await host.AdminAsync("keys", "create", "--role", "analyst", "--label", label);
        var key = created.Out.Trim();
        var useIt = await CliRun.RunAsync(host.Env(key), "top", "ports", "--limit", "3");
        var listed = await host.AdminAsync("keys", "list");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("store this key now", created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(' ', key);
        Assert.True(useIt.ExitCode == 0, useIt.ToString());
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(label, listed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysCreate_ResponderWithoutCity_Exit2WithReason()
    {
        var result = await host.AdminAsync("keys", "create", "--role", "responder");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("refused (400): The key request is not valid: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ThreeDays_ClockMovedEachDayAndOutsideSkipped()
    {
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-replay.ndjson", string.Join('\n',
            $$"""{"id":"{{run}}-a","type":"case","location":"port:quanhe","date":"2020-04-18","count":1,"classification":"imported-confirmed"}""",
            $$"""{"id":"{{run}}-b","type":"case","location":"port:quanhe","date":"2020-04-20","count":2,"classification":"imported-confirmed"}""",
            $$"""{"id":"{{run}}-c","type":"case","location":"port:quanhe","date":"2020-04-20","count":3,"classification":"imported-confirmed"}""",
            $$"""{"id":"{{run}}-d","type":"case","location":"port:quanhe","date":"2020-04-25","count":3,"classification":"imported-confirmed"}"""));

        var result = await host.AdminAsync("replay", file, "--from", "2020-04-18", "--to", "2020-04-20");
        var clock = await host.AdminAsync("clock");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2020-04-18  events 1: accepted 1", result.Out, StringComparison.Ordinal);
        Assert.Contains("2020-04-19  events 0: accepted 0", result.Out, StringComparison.Ordinal);
        Assert.Contains("2020-04-20  events 2: accepted 2", result.Out, StringComparison.Ordinal);
        Assert.Contains("accepted 3, duplicates 0, rejected 0", result.Out, StringComparison.Ordinal);
        Assert.Contains("skipped 1 event outside", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("replay 2020-04-20", clock.Out, StringComparison.Ordinal);
    }
}
