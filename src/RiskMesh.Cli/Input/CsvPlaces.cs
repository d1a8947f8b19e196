using System.Text.Json;
using System.Text.RegularExpressions;

namespace RiskMesh.Cli.Input;

/// <summary>A CSV row's refusal placed in its file: the column a row's problem concerns, and the header's share of it.</summary>
/// <param name="Row">The row's own problems, each placed at its column when the refusal names several fields; null when it has none.</param>
/// <param name="Column">"column 5 'date'" when every problem of the row concerns that one column, else null.</param>
/// <param name="Header">The problems that are the header's, not the row's: columns it lacks that the row's type needs.</param>
internal sealed record PlacedRefusal(string? Row, string? Column, IReadOnlyList<string> Header);

/// <summary>
/// Places the server's refusal of a CSV row in the spreadsheet (newcomer 23b, finding 7): the server names fields, but a
/// spreadsheet user looks for a column by its number and heading, and a field the header lacks altogether is the
/// header's mistake, said once, not a row's on every row ("field 'classification' is required" on each line).
/// </summary>
internal static partial class CsvPlaces
{
    private const string Also = "; also ";

    /// <summary>Places <paramref name="reason"/>, the server's refusal of <paramref name="item"/>; a row not from a CSV file is left as it was.</summary>
    public static PlacedRefusal Place(string reason, SourceEvent item)
    {
        if (item.Header is not { } header)
        {
            return new PlacedRefusal(reason, null, []);
        }

        var headerProblems = new List<string>();
        var placed = new List<(string Problem, string? Column)>();
        foreach (var problem in reason.Split(Also))
        {
            if (Required().Match(problem) is { Success: true } required)
            {
                var fields = Quoted().Matches(required.Groups["names"].Value).Select(m => m.Groups[1].Value).ToList();
                var lacking = fields.Where(f => Array.IndexOf(header.Names, f) < 0).ToList();
                if (lacking.Count > 0)
                {
                    headerProblems.Add(Lacking(lacking, TypeOf(item)));
                }

                // A column the header has, left empty in this row: the row's own problem, at its column.
                foreach (var field in fields.Except(lacking))
                {
                    placed.Add(($"field '{field}' is required, and its cell is empty", ColumnOf(header, field)));
                }
            }
            else if (OneOf().Match(problem) is { Success: true } oneOf
                && Names(oneOf.Groups["names"].Value) is var named
                && named.All(f => Array.IndexOf(header.Names, f) < 0))
            {
                var which = named.Count == 2 ? $"neither a '{named[0]}' nor a '{named[1]}' column" : $"none of the columns {string.Join(", ", named.Select(n => $"'{n}'"))}";
                headerProblems.Add($"the header has {which}, one of which {oneOf.Groups["type"].Value} rows need");
            }
            else
            {
                placed.Add((problem, FieldOf(problem, item) is { } field ? ColumnOf(header, field) : null));
            }
        }

        if (placed.Count == 0)
        {
            return new PlacedRefusal(null, null, headerProblems);
        }

        // One column for the whole row goes beside its line ("line 14, column 5 'date'"); several, each beside its problem.
        var columns = placed.Select(p => p.Column).Distinct().ToList();
        if (columns is [{ } only])
        {
            return new PlacedRefusal(string.Join(Also, placed.Select(p => p.Problem)), only, headerProblems);
        }

        return new PlacedRefusal(string.Join(Also, placed.Select(p => p.Column is null ? p.Problem : $"{p.Column}: {p.Problem}")), null, headerProblems);
    }

    // "'newCases' or 'cumulativeCases'", "testsPerDay, labs, technicians": the fields a "needs one of" names.
    private static List<string> Names(string list) =>
        list.Contains('\'', StringComparison.Ordinal)
            ? [.. Quoted().Matches(list).Select(m => m.Groups[1].Value)]
            : [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>"column 5 'date'" for a field the header names, else null.</summary>
    internal static string? ColumnOf(CsvHeader header, string field) =>
        Array.IndexOf(header.Names, field) is var i and >= 0 ? $"column {i + 1} '{field}'" : null;

    // "the header has no 'classification' column, which case rows need": what to add to the header, and why.
    private static string Lacking(List<string> fields, string? type)
    {
        var rows = fields.Contains("type") || type is null ? "every row needs" : $"{type} rows need";
        return fields.Count == 1
            ? $"the header has no '{fields[0]}' column, which {rows}"
            : $"the header has no {string.Join(", ", fields.Take(fields.Count - 1).Select(f => $"'{f}'"))} or '{fields[^1]}' column, each of which {rows}";
    }

    // The field one problem of a refusal concerns, when it concerns one: the server names most by "field 'x'"; the
    // others by what they refuse (a type, a classification, a date against the clock, an id already used, a port or
    // city not in the topology, which lies in the row's port, location or subject cell).
    private static string? FieldOf(string problem, SourceEvent item)
    {
        if (NamedField().Match(problem) is { Success: true } named)
        {
            return named.Groups["field"].Value;
        }

        if (UnknownValue().Match(problem) is { Success: true } value)
        {
            return value.Groups["field"].Value;
        }

        if (DateAgainstClock().IsMatch(problem))
        {
            return "date";
        }

        if (IdUsed().IsMatch(problem))
        {
            return "id";
        }

        return UnknownEntity().Match(problem) is { Success: true } entity ? CellHolding(item, entity.Groups["id"].Value) : null;
    }

    // The entity cell (port, location or subject) of the row that names this port or city id.
    private static string? CellHolding(SourceEvent item, string id) =>
        ((string[])["port", "location", "subject"]).FirstOrDefault(field =>
            StringMember(item, field) is { } text && (text == id || text.EndsWith(":" + id, StringComparison.Ordinal)));

    private static string? TypeOf(SourceEvent item) => StringMember(item, "type");

    // A string member of the row's JSON (which the CLI wrote from its cells), or null.
    private static string? StringMember(SourceEvent item, string field)
    {
        try
        {
            using var row = JsonDocument.Parse(item.Json);
            return row.RootElement.TryGetProperty(field, out var cell) && cell.ValueKind == JsonValueKind.String ? cell.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^fields? (?<names>'[^']+'(?:, '[^']+')*(?: and '[^']+')?) (?:is|are) required$")]
    private static partial Regex Required();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex Quoted();

    // "a country-cases event needs 'newCases' or 'cumulativeCases'", "a capacity event needs at least one of testsPerDay, labs, …".
    [GeneratedRegex(@"^an? (?<type>[a-z-]+) event needs (?:at least one of )?(?<names>.+?)$")]
    private static partial Regex OneOf();

    // "field 'count' must …", "field 'origins.RU' must …": the column is the field before any '.'.
    [GeneratedRegex(@"^field '(?<field>[^'.]+)(?:\.[^']*)?'")]
    private static partial Regex NamedField();

    [GeneratedRegex(@"^unknown (?<field>type|classification) '")]
    private static partial Regex UnknownValue();

    [GeneratedRegex(@"^date \d{4}-\d{2}-\d{2} is (?:in the future|older than)")]
    private static partial Regex DateAgainstClock();

    [GeneratedRegex(@"^id '.*' \(source '.*'\) is already used by")]
    private static partial Regex IdUsed();

    [GeneratedRegex(@"^unknown (?:port|city) '(?<id>[^']*)'")]
    private static partial Regex UnknownEntity();
}
