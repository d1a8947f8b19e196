using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class ArgParserTests
{
    private static readonly OptionSpec[] Specs =
    [
        OptionSpec.Value("limit", "n"),
        OptionSpec.Switch("json", "j"),
        OptionSpec.Repeated("city", "c"),
    ];

    [Fact]
    public void Parse_MixedOptionsAndPositionals_SplitsThem()
    {
        var parsed = ArgParser.Parse(["ports", "--limit", "5", "--json", "--city=a", "--city", "b", "--", "--literal"], Specs);

        Assert.Equal(["ports", "--literal"], parsed.Positionals);
        Assert.Equal("5", parsed.Value("limit"));
        Assert.True(parsed.Has("json"));
        Assert.Equal(["a", "b"], parsed.Values("city"));
        Assert.False(parsed.Help);
    }

    [Theory]
    [InlineData("keys", "create", "--role", "responder", "--city", "ruili,hekou")]
    [InlineData("notices", "--from", "2020-04-01", "--to", "2020-04-30", "--city=ruili, hekou")]
    public async Task CommaSeparatedRepeatableOption_SaysToRepeatIt_NothingSent(params string[] args)
    {
        // Newcomer 13: "--city ruili,hekou" went to the server as one city id and came back "not a valid slug".
        using var handler = new StubHandler((_, _) => StubHandler.Json(System.Net.HttpStatusCode.OK, "[]"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--city takes one value; repeat --city for each: --city ruili --city hekou", result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("--nope")]
    [InlineData("-x")]
    public void Parse_UnknownOption_UsageError(string option)
    {
        var error = Assert.Throws<UsageException>(() => ArgParser.Parse(["a", option], Specs));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValueMissing_UsageError()
    {
        Assert.Throws<UsageException>(() => ArgParser.Parse(["--limit"], Specs));
    }

    [Fact]
    public void Parse_NonRepeatableTwice_UsageError()
    {
        Assert.Throws<UsageException>(() => ArgParser.Parse(["--limit", "1", "--limit", "2"], Specs));
    }

    [Fact]
    public void Parse_GlobalOptionsAndHelp_AcceptedEverywhere()
    {
        var parsed = ArgParser.Parse(["-h", "--url", "http://x", "--key=k"], Specs);

        Assert.True(parsed.Help);
        Assert.Equal("http://x", parsed.Value("url"));
        Assert.Equal("k", parsed.Value("key"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("ten")]
    public void PositiveInt_NotPositive_UsageError(string value)
    {
        var parsed = ArgParser.Parse(["--limit", value], Specs);

        Assert.Throws<UsageException>(() => parsed.PositiveInt("limit", 10));
    }

    [Fact]
    public async Task Run_UnknownCommand_Exit1WithUsage()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "frobnicate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown command 'frobnicate'", result.Error, StringComparison.Ordinal);
        Assert.Contains("commands:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_EveryCommandsDescriptionStartsInOneColumn()
    {
        // Try-out 7 F14: "alert-quality" overran the fixed name column and pushed its description out of line.
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "--help");

        var text = result.Out + result.Error;
        var rows = text.Split('\n').SkipWhile(l => !l.StartsWith("commands:", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Contains(rows, r => r.StartsWith("  alert-quality  ", StringComparison.Ordinal));
        var columns = rows.Select(r => r.IndexOf(' ', 2) + r[r.IndexOf(' ', 2)..].TakeWhile(c => c == ' ').Count()).Distinct().ToList();
        Assert.Single(columns);
    }

    [Fact]
    public async Task Run_MissingArgument_Exit1WithCommandUsage()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "get", "country");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing argument: ID", result.Error, StringComparison.Ordinal);
        Assert.Contains("riskmesh get country CODE", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownFlag_Exit1()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "top", "ports", "--limt", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown option '--limt'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sinse", "unknown option '--sinse'; did you mean '--since'?")]
    [InlineData("--as-known", "unknown option '--as-known'; did you mean '--as-known-on'?")]
    [InlineData("-since", "unknown option '-since'; did you mean '--since'?")]
    [InlineData("--colour", "unknown option '--colour'")]
    public async Task Run_MisspeltOption_SuggestsTheNearestOfTheCommand_Exit1BeforeAnyRequest(string option, string expected)
    {
        // Newcomer 23a L3: "unknown option '--sinse'" said nothing of --since, though ids and commands get a suggestion.
        var result = await CliRun.RunAsync(CliRun.Env("http://127.0.0.1:9", null), "explain", "port", "suifenhe-road", option, "yesterday");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        if (!expected.Contains("did you mean", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("did you mean", result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task Run_Help_Exit0ListsEveryCommand(string help)
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), help);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "ingest", "get", "explain", "top", "history", "watch", "ack", "notices", "plan", "clock", "replay", "keys", "provinces", "assistance" })
        {
            Assert.Contains($"  {command} ", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_CommandHelp_Exit0WithOptions()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "ingest", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--batch BATCH", result.Out, StringComparison.Ordinal);
        Assert.Contains("--stop-on-error", result.Out, StringComparison.Ordinal);

        // The usage line names the program; the words about it below do not.
        Assert.Contains("  riskmesh ingest FILE...", result.Out, StringComparison.Ordinal);
        Assert.Contains("\n  CSV: a header row names event fields", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("riskmesh CSV", result.Out, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s*riskmesh\s*$", result.Out);
    }

    [Theory]
    [InlineData("--url", "http://127.0.0.1:9", "get", "city", "suifenhe")]
    [InlineData("--url=http://127.0.0.1:9", "--key", "k", "get", "city", "suifenhe")]
    public async Task Run_GlobalOptionsBeforeTheCommand_AreTakenAsIfAfterIt(params string[] args)
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, "some-key"), args);

        Assert.DoesNotContain("unknown command", result.Error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9", result.Error, StringComparison.Ordinal);
        Assert.Equal(4, result.ExitCode);
    }

    [Fact]
    public void Resolve_ConfigFile_SuppliesUrlAndKey()
    {
        var home = Path.Combine(Path.GetTempPath(), "riskmesh-cli-cfg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(home, ".config", "riskmesh"));
        File.WriteAllText(Path.Combine(home, ".config", "riskmesh", "config.json"), "{\"url\": \"http://127.0.0.1:9\", \"apiKey\": \"from-file\"}");
        try
        {
            var env = CliRun.Env(null, null);
            env["HOME"] = home;
            var parsed = ArgParser.Parse([], []);

            var settings = Http.CliSettings.Resolve(parsed, env);

            Assert.Equal("http://127.0.0.1:9/", settings.BaseUrl.ToString());
            Assert.Equal("from-file", settings.ApiKey);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void Resolve_FlagBeatsEnvironment()
    {
        var parsed = ArgParser.Parse(["--url", "http://flag:1", "--key", "flag-key"], []);

        var settings = Http.CliSettings.Resolve(parsed, CliRun.Env("http://env:2", "env-key"));

        Assert.Equal("http://flag:1/", settings.BaseUrl.ToString());
        Assert.Equal("flag-key", settings.ApiKey);
    }
}
