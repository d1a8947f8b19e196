using System.Globalization;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Cli.Arguments;

/// <summary>A command's arguments once split into positionals and options.</summary>
internal sealed class ParsedArgs
{
    private readonly Dictionary<string, List<string>> _values;
    private readonly HashSet<string> _switches;

    public ParsedArgs(IReadOnlyList<string> positionals, Dictionary<string, List<string>> values, HashSet<string> switches)
    {
        Positionals = positionals;
        _values = values;
        _switches = switches;
    }

    /// <summary>Arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Whether <c>--help</c> or <c>-h</c> was given.</summary>
    public bool Help => _switches.Contains("help");

    /// <summary>Whether a switch was given.</summary>
    public bool Has(string name) => _switches.Contains(name);

    /// <summary>The value of an option, or null when absent.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    /// <summary>Every value of a repeatable option.</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var list) ? list : [];

    /// <summary>The positional at an index, or a usage error naming what is missing.</summary>
    public string Positional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"missing argument: {what}");

    /// <summary>Refuses positionals beyond the expected count.</summary>
    public void NoMorePositionals(int expected)
    {
        if (Positionals.Count > expected)
        {
            throw new UsageException($"unexpected argument '{Positionals[expected]}'");
        }
    }

    /// <summary>A positive integer option, or the default when absent.</summary>
    public int PositiveInt(string name, int fallback)
    {
        var text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"--{name} must be a positive whole number, got '{text}'");
    }

    /// <summary>An ISO date option (yyyy-MM-dd), or null when absent.</summary>
    public DateOnly? Date(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        return IsoDates.TryParse(text, out var date)
            ? date
            : throw new UsageException(IsoDates.Refusal($"--{name}", text, "2020-04-20"));
    }
}
