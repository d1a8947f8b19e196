using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Completion;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>The completion script is generated from the command table and names every command, keyword and option.</summary>
public sealed class CompletionScriptTests
{
    [Fact]
    public async Task CompletionBash_NamesEveryCommandAndEachOfItsOptions()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "completion", "bash");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.True(Cli.CommandTable.Count >= 16, $"only {Cli.CommandTable.Count} commands");
        foreach (var command in Cli.CommandTable)
        {
            var line = Assert.Single(lines, l => l.TrimStart().StartsWith(command.Name + ") subs=", StringComparison.Ordinal));
            var opts = line[(line.IndexOf("opts=\"", StringComparison.Ordinal) + 6)..].Split('"')[0].Split(' ');
            var expected = command.Options.Concat(ArgParser.GlobalOptions).Select(o => "--" + o.Name).ToHashSet();
            Assert.Equal(expected.Order(), opts.Order());
        }

        var help = Assert.Single(lines, l => l.TrimStart().StartsWith("help) subs=", StringComparison.Ordinal));
        Assert.All(Cli.CommandTable, c => Assert.Contains($" {c.Name} ", help.Replace("\"", " ", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Contains("complete -o default -F _riskmesh riskmesh", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plan", "show set")]
    [InlineData("keys", "create list revoke")]
    [InlineData("get", "country port city")]
    [InlineData("explain", "country port city")]
    [InlineData("history", "country port city province")]
    [InlineData("top", "ports cities countries provinces")]
    [InlineData("watch", "city")]
    [InlineData("clock", "set live")]
    [InlineData("completion", "bash zsh")]
    [InlineData("ingest", "")]
    [InlineData("replay", "")]
    [InlineData("provinces", "")]
    public void Subcommands_ComeFromTheCommandsUsage(string name, string expected)
    {
        var command = Cli.CommandTable.Single(c => c.Name == name);

        Assert.Equal(expected, string.Join(' ', CompletionScript.Subcommands(command)));
    }

    [Theory]
    [InlineData("keys", "role", "feed analyst responder operator admin")]
    [InlineData("notices", "status", "open acknowledged")]
    [InlineData("keys", "city", "")]
    [InlineData("top", "limit", "")]
    public void OptionValues_ComeFromTheCommandsUsage(string name, string option, string expected)
    {
        var command = Cli.CommandTable.Single(c => c.Name == name);
        var spec = command.Options.Single(o => o.Name == option);

        Assert.Equal(expected, string.Join(' ', CompletionScript.OptionValues(command, spec)));
    }

    [Fact]
    public async Task CompletionZsh_LoadsBashCompletionAndTheSameFunction()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "completion", "zsh");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("bashcompinit", result.Out, StringComparison.Ordinal);
        Assert.Contains("complete -o default -F _riskmesh riskmesh", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletionUnknownShell_IsAUsageError()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "completion", "fish");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("unknown shell 'fish'", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }
}
