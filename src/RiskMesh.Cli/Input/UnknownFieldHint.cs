using System.Text.RegularExpressions;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Cli.Input;

/// <summary>
/// Adds "did you mean" to the server's refusal of an unknown event field, as ids and commands get one: a CSV header
/// "inboundTravelers" read "unknown field 'inboundTravelers' (this type takes date, id, inbound, …)" and left the
/// analyst to find 'inbound' in the list (newcomer 17 F12). The server's sentence names the fields the type takes,
/// so the CLI picks from exactly those.
/// </summary>
internal static partial class UnknownFieldHint
{
    /// <summary>The reason with "; did you mean 'x'?" after the field's name when one it takes is close; else as it was.</summary>
    public static string Add(string reason)
    {
        var match = UnknownField().Match(reason);
        if (!match.Success)
        {
            return reason;
        }

        var given = match.Groups["given"].Value;
        var takes = match.Groups["takes"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return Closest(given, takes) is { } meant
            ? $"unknown field '{given}'; did you mean '{meant}'? (this type takes {match.Groups["takes"].Value}){match.Groups["rest"].Value}"
            : reason;
    }

    /// <summary>
    /// A few edits away (<see cref="Suggestions.Closest"/>: "inbund", "Inbound"), else the field the given name starts
    /// or ends with at a word boundary of camelCase ("inboundTravelers", "dailyInbound" → "inbound"), else the one
    /// field that starts with the given name ("tests" → "testsPerDay" when no field is "tests").
    /// </summary>
    internal static string? Closest(string given, IReadOnlyList<string> fields)
    {
        if (Suggestions.Closest(given, fields) is { } near)
        {
            return near;
        }

        var contained = fields
            .Where(f => f.Length >= 3 && (StartsWord(given, f) || EndsWord(given, f)))
            .OrderByDescending(f => f.Length)
            .FirstOrDefault();
        if (contained is not null)
        {
            return contained;
        }

        var longer = fields.Where(f => given.Length >= 3 && f.StartsWith(given, StringComparison.OrdinalIgnoreCase)).ToList();
        return longer.Count == 1 ? longer[0] : null;
    }

    // "inboundTravelers" starts with the word "inbound": the next letter begins a new camelCase word (or a '_'/'-').
    private static bool StartsWord(string given, string field) =>
        given.Length > field.Length
        && given.StartsWith(field, StringComparison.OrdinalIgnoreCase)
        && (char.IsUpper(given[field.Length]) || given[field.Length] is '_' or '-');

    // "dailyInbound" ends with the word "inbound".
    private static bool EndsWord(string given, string field) =>
        given.Length > field.Length
        && given.EndsWith(field, StringComparison.OrdinalIgnoreCase)
        && (char.IsUpper(given[^field.Length]) || given[^(field.Length + 1)] is '_' or '-');

    [GeneratedRegex(@"^unknown field '(?<given>[^']*)' \(this type takes (?<takes>[^)]*)\)(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex UnknownField();
}
