using System.Text;
using RiskMesh.Cli.Arguments;

namespace RiskMesh.Cli.Commands;

/// <summary>A <c>riskmesh</c> command: its name, usage, options and what it does.</summary>
internal abstract class Command
{
    /// <summary>The word after <c>riskmesh</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for the command list.</summary>
    public abstract string Summary { get; }

    /// <summary>The usage lines, each after <c>riskmesh </c>; after an empty line, words about them, printed as they are.</summary>
    public abstract IReadOnlyList<string> Usage { get; }

    /// <summary>The options beyond the global ones.</summary>
    public virtual IReadOnlyList<OptionSpec> Options => [];

    /// <summary>Runs the command and returns its exit code; errors surface as exceptions the dispatcher maps.</summary>
    public abstract Task<int> RunAsync(CommandContext context, ParsedArgs args);

    /// <summary>The full help text.</summary>
    public string Help()
    {
        var text = new StringBuilder();
        text.AppendLine($"riskmesh {Name}: {Summary}");
        text.AppendLine();
        text.AppendLine("usage:");
        var describing = false;
        foreach (var line in Usage)
        {
            describing |= line.Length == 0;
            text.AppendLine(line.Length == 0 ? "" : describing ? $"  {line}" : $"  riskmesh {line}");
        }

        text.AppendLine();
        text.AppendLine("options:");
        // The description column starts after the longest option name, so "--as-known-on AS-KNOWN-ON" no longer runs
        // into its description.
        var options = Options.Concat(ArgParser.GlobalOptions)
            .Select(o => (Name: o.TakesValue ? $"--{o.Name} {o.Name.ToUpperInvariant()}" : $"--{o.Name}", Option: o))
            .ToList();
        var width = options.Max(o => o.Name.Length);
        foreach (var (name, option) in options)
        {
            text.AppendLine($"  {name.PadRight(width)}  {option.Description}{(option.Repeatable ? " (repeatable)" : "")}");
        }

        return text.ToString();
    }
}
