namespace RiskMesh.Cli.Tests.Unit;

/// <summary>Every command's help lists its options in two columns that never run into each other.</summary>
public sealed class HelpTextTests
{
    [Fact]
    public void Help_EveryCommand_OptionDescriptionsStartInOneColumnAfterTwoSpaces()
    {
        // Try-out 5 P3: "--as-known-on AS-KNOWN-ON answer from what …" ran past the 22-character column.
        foreach (var command in Cli.CommandTable)
        {
            var lines = command.Help().Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(l => l != "options:").Skip(1).Where(l => l.Length > 0).ToList();
            Assert.NotEmpty(lines);
            var starts = lines.Select(DescriptionStart).Distinct().ToList();
            Assert.True(starts.Count == 1, $"{command.Name}: descriptions start at columns {string.Join(", ", starts)}:\n{string.Join("\n", lines)}");
            Assert.All(lines, l => Assert.Equal("  ", l.Substring(starts[0] - 2, 2)));
        }

        var history = Cli.CommandTable.Single(c => c.Name == "history").Help();
        Assert.Contains("--as-known-on AS-KNOWN-ON  answer from what RiskMesh knew", history, StringComparison.Ordinal);
    }

    // Where the description begins: after the option's name (and its VALUE word) and the spaces that follow.
    private static int DescriptionStart(string line)
    {
        var i = 2;
        var words = line[2..].Split(' ')[0].Length;
        i += words;
        var rest = line[i..];
        if (rest.StartsWith(' ') && !rest.StartsWith("  ", StringComparison.Ordinal))
        {
            // "--name VALUE": skip the value word.
            i += 1 + rest[1..].Split(' ')[0].Length;
        }

        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        return i;
    }
}
