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
    /// <summary>
    /// The reason with "; did you mean 'x'?" after the field's name when one it takes is close; else as it was. When
    /// <paramref name="whereNamed"/> places the field in the file ("header column 5, line 1"), the reason says so
    /// too: a CSV's unknown field is a header's mistake, though the server can only name the row it refused.
    /// </summary>
    public static string Add(string reason, Func<string, string?>? whereNamed = null)
    {
        var match = UnknownField().Match(reason);
        if (!match.Success)
        {
            return reason;
        }

        var given = match.Groups["given"].Value;
        var where = whereNamed?.Invoke(given) is { } place ? $" ({place})" : "";
        var takes = match.Groups["takes"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var meant = Closest(given, takes) is { } close ? $"; did you mean '{close}'?" : "";
        return where.Length == 0 && meant.Length == 0
            ? reason
            : $"unknown field '{given}'{where}{meant} (this type takes {match.Groups["takes"].Value}){match.Groups["rest"].Value}";
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
