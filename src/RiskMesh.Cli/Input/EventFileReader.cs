using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RiskMesh.Cli.Arguments;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Cli.Input;

/// <summary>
/// Reads event files: NDJSON (<c>.ndjson</c>, <c>.jsonl</c>) as they are, a JSON array (<c>.json</c>, the body the API
/// takes) element by element, CSV (<c>.csv</c>) converted row by row to JSON events.
/// </summary>
internal static class EventFileReader
{
    /// <summary>How many of a file's problems are named before the rest are counted: enough to fix a file in one go.</summary>
    internal const int ProblemsNamed = 20;

    // Members the API expects as strings; every other CSV cell that reads as a number is sent as one.
    private static readonly HashSet<string> StringFields = new(StringComparer.Ordinal)
    {
        "id", "type", "source", "country", "date", "location", "classification", "origin", "subject", "category", "summary", "replaces", "port",
    };

    /// <summary>Reads a file by its extension; an unknown extension or unreadable file is a usage error.</summary>
    public static IReadOnlyList<SourceEvent> Read(string path) => Read(path, out _);

    /// <summary>
    /// As <see cref="Read(string)"/>, with what to say of how the file was read when it was not plain comma-separated
    /// UTF-8 (a CSV separated by ';' or tabs, UTF-16 text), else null.
    /// </summary>
    public static IReadOnlyList<SourceEvent> Read(string path, out string? readAs)
    {
        readAs = null;
        if (Directory.Exists(path))
        {
            // Before the extension: "unknown file type ''" or "permission denied" would say something untrue.
            throw new InputException($"{path} is a directory, not a file of events");
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".ndjson" or ".jsonl" or ".json" or ".csv"))
        {
            // The command was right, the file's name was not: no usage text after it (newcomer 21b), and beside other
            // files it is skipped like any file that cannot be read.
            var type = extension.Length == 0 ? "has no extension" : $"is of an unknown file type '{extension}'";
            throw new InputException($"{path} {type}; riskmesh ingest reads .ndjson, .jsonl, .json (an array of events) and .csv (comma-separated): if the file is one of those, name it so");
        }

        try
        {
            using var reader = new StringReader(FileText.Decode(File.ReadAllBytes(path), path, out var encoding));
            var events = extension switch
            {
                ".csv" => ReadCsv(reader, path),
                ".json" => ReadJsonArray(reader.ReadToEnd(), path),
                _ => ReadNdJson(reader, path),
            };
            readAs = events.Count > 0 && events[0].Header is { } header ? header.ReadAs(path, encoding) : null;
            return events;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileNotFoundException($"no such file: {path}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {path}: permission denied");
        }
    }

    /// <summary>One event per non-blank line, sent as written.</summary>
    public static IReadOnlyList<SourceEvent> ReadNdJson(TextReader reader, string fileName)
    {
        var events = new List<SourceEvent>();
        var number = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            events.Add(new SourceEvent(fileName, number, line.Trim(), DateOf(line)));
        }

        return events;
    }

    /// <summary>
    /// The events of a JSON array, each element on its own line as NDJSON sends it and named by the line it starts
    /// on; a single object is one event. Not JSON: the line and column where it stops being JSON.
    /// </summary>
    public static IReadOnlyList<SourceEvent> ReadJsonArray(string text, string fileName)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, options);
        }
        catch (JsonException ex)
        {
            // NDJSON saved as .json: its first line is a whole event, and the second one is where the parse stopped.
            var ndJson = ex.LineNumber > 0 && FirstLineIsAnObject(text) ? "; it reads as NDJSON (one event per line): name the file .ndjson" : "";
            throw new InputException($"{fileName} line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: not valid JSON{ndJson}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("type", out _)
                && root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).Select(p => p.Name).FirstOrDefault() is { } wrapper)
            {
                // {"events": [...]}: the array inside is the events; sent as one, it was refused as an event without a type.
                throw new InputException($"{fileName}: a .json file of events is an array of event objects; this file is an object whose '{wrapper}' holds an array: save that array alone");
            }

            var elements = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().ToList(),
                JsonValueKind.Object => [root],
                _ => throw new InputException($"{fileName}: a .json file of events is an array of event objects (or one event object), not a {root.ValueKind.ToString().ToLowerInvariant()}"),
            };

            var lines = ElementLines(text, root.ValueKind == JsonValueKind.Array);
            var events = new List<SourceEvent>(elements.Count);
            for (var i = 0; i < elements.Count; i++)
            {
                var line = i < lines.Count ? lines[i] : 1;
                if (elements[i].ValueKind != JsonValueKind.Object)
                {
                    throw new InputException($"{fileName} line {line}: element {i + 1} of the array is a {elements[i].ValueKind.ToString().ToLowerInvariant()}, not an event object");
                }

                var json = JsonSerializer.Serialize(elements[i]);
                var date = elements[i].TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                events.Add(new SourceEvent(fileName, line, json, date));
            }

            return events;
        }
    }

    // The line each top-level element (or the single object) starts on, in one pass: JsonDocument keeps no positions,
    // and counting from the file's start for each element took minutes for 100,000 of them (review 19 H1). A '\n' byte
    // is never part of a longer UTF-8 sequence, so the bytes' newlines are the text's.
    private static List<int> ElementLines(string text, bool array)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var lines = new List<int>();
        var line = 1;
        var counted = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth == (array ? 1 : 0) && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
            {
                var start = (int)reader.TokenStartIndex;
                line += bytes.AsSpan(counted, start - counted).Count((byte)'\n');
                counted = start;
                lines.Add(line);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                if (!array)
                {
                    break;
                }
            }
        }

        return lines;
    }

    private static bool FirstLineIsAnObject(string text)
    {
        var first = text.TrimStart().Split('\n', 2)[0];
        try
        {
            using var line = JsonDocument.Parse(first);
            return line.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// A header row names event members; each later row becomes one event with its empty cells omitted. Every row
    /// that cannot be read is named (up to <see cref="ProblemsNamed"/>), so a file is mended in one go, not one line a
    /// run.
    /// </summary>
    public static IReadOnlyList<SourceEvent> ReadCsv(TextReader reader, string fileName)
    {
        var text = reader.ReadToEnd();
        var separator = Separator(text, fileName);
        var events = new List<SourceEvent>();
        var problems = new List<string>();
        string[]? header = null;
        CsvHeader? named = null;
        try
        {
            foreach (var record in CsvReader.Read(new StringReader(text), fileName, separator))
            {
                if (record.Fields.Count == 1 && string.IsNullOrWhiteSpace(record.Fields[0]))
                {
                    continue;
                }

                if (header is null)
                {
                    // Set only once it is a header: a header's problem ends the file, a row's is one of many.
                    string[] names = [.. record.Fields.Select(f => f.Trim())];
                    if (OtherSeparator(names) is { } other)
                    {
                        // Not read with that separator (Separator): some column of it names no event field, so say which.
                        var unknown = names[0].Split(other.Char, StringSplitOptions.TrimEntries).Where(n => !EventParser.FieldNames.Contains(n)).Select(n => $"'{n}'").ToList();
                        var which = unknown.Count switch
                        {
                            0 => "a column is named twice",
                            1 => $"{unknown[0]} names none",
                            _ => $"{string.Join(", ", unknown)} name none",
                        };
                        throw new InputException(
                            $"{fileName} line {record.Line}: the header is one column, '{names[0]}': this file separates its columns with {other.Name}, which RiskMesh reads when each column of the header names an event field once, and {which} (mend the header, or save the file as CSV with commas)");
                    }

                    var blank = Array.FindIndex(names, h => h.Length == 0);
                    if (blank >= 0)
                    {
                        var trailing = blank == names.Length - 1 ? "; it is the last: remove the trailing comma" : "";
                        throw new InputException($"{fileName} line {record.Line}: header column {blank + 1} has no name{trailing}");
                    }

                    if (CaseShifted(names, fileName, record.Line) is { } shifted)
                    {
                        throw new InputException(shifted);
                    }

                    header = names;
                    named = new CsvHeader(record.Line, header, separator);
                    continue;
                }

                // Fewer cells as well as more: a row missing its last cell ('source') went in under source 'default'
                // and counted beside the report it was meant to be (newcomer 21b H3).
                if (record.Fields.Count != header.Length)
                {
                    var trailing = record.Fields.Count == header.Length + 1 && record.Fields[^1].Trim().Length == 0
                        ? "; the last cell is empty: remove the trailing comma"
                        : "";
                    problems.Add($"{fileName} line {record.Line}: {record.Fields.Count} cells but the header names {header.Length} columns{trailing}");
                    continue;
                }

                try
                {
                    var (json, date) = ToJson(header, record, fileName);
                    events.Add(new SourceEvent(fileName, record.Line, json, date, named));
                }
                catch (InputException ex)
                {
                    problems.Add(ex.Message);
                }
            }
        }
        catch (InputException ex) when (header is not null)
        {
            // The reader's own problem (a quoted field never closed) ends the file: said after the rows before it.
            problems.Add(ex.Message);
        }

        if (problems.Count > 0)
        {
            var more = problems.Count > ProblemsNamed ? $"\n… and {problems.Count - ProblemsNamed} more rows that cannot be read" : "";
            throw new InputException(string.Join('\n', problems.Take(ProblemsNamed)) + more);
        }

        return events;
    }

    /// <summary>
    /// Each header column that names an event field in another case ("Type" for "type"), one line each, or null. Field
    /// names are case-sensitive, as the API's are; a header all in capitals read "field 'type' is required" on every
    /// row (newcomer 21b M2), so the header is named instead, as a single such column already was ("did you mean").
    /// </summary>
    private static string? CaseShifted(string[] header, string fileName, int line)
    {
        var shifted = header
            .Select((name, i) => (Name: name, Column: i + 1, Meant: EventParser.FieldNames.FirstOrDefault(f => f != name && string.Equals(f, name, StringComparison.OrdinalIgnoreCase))))
            .Where(c => c.Meant is not null && !EventParser.FieldNames.Contains(c.Name))
            .Select((c, n) => $"{fileName} line {line}: {(n == 0 ? "field names are case-sensitive; " : "")}header column {c.Column} '{c.Name}': did you mean '{c.Meant}'?")
            .ToList();
        return shifted.Count == 0 ? null : string.Join('\n', shifted);
    }

    /// <summary>
    /// The separator to read the file with: ';' or a tab when its header is unambiguously separated by it, every
    /// column a known field name when split on it and none when split on commas (what Excel writes as CSV in most
    /// European and Russian locales, and as "Unicode text"); else ','. A header that mixes them, or names a field
    /// RiskMesh does not know, is read with commas, and so refused as one column holding another separator.
    /// </summary>
    internal static char Separator(string text, string fileName)
    {
        CsvRecord? first;
        try
        {
            first = CsvReader.Read(new StringReader(text), fileName).FirstOrDefault(r => r.Fields.Count > 1 || !string.IsNullOrWhiteSpace(r.Fields[0]));
        }
        catch (InputException)
        {
            // A quote never closed: the read that follows names it.
            return ',';
        }

        if (first is null || first.Fields.Any(f => EventParser.FieldNames.Contains(f.Trim())))
        {
            return ',';
        }

        foreach (var separator in (char[])[';', '\t'])
        {
            var names = string.Join(",", first.Fields).Split(separator, StringSplitOptions.TrimEntries);
            if (names.Length > 1 && names.All(EventParser.FieldNames.Contains) && names.Distinct(StringComparer.Ordinal).Count() == names.Length)
            {
                return separator;
            }
        }

        return ',';
    }

    // A one-column header holding ';' or a tab: an export in a locale whose CSV is not comma-separated.
    private static (string Name, char Char)? OtherSeparator(string[] header) =>
        header.Length != 1 ? null
        : header[0].Contains(';') ? ("semicolons (';')", ';')
        : header[0].Contains('\t') ? ("tabs", '\t')
        : null;

    /// <summary>Parses an <c>origins</c> cell such as <c>RU:290;MN:10</c>.</summary>
    public static IReadOnlyList<(string Country, double Count)> ParseOrigins(string cell, string where)
    {
        var origins = new List<(string, double)>();
        foreach (var part in cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':');
            if (colon <= 0
                || !double.TryParse(part[(colon + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var count))
            {
                throw new InputException($"{where}: origins '{cell}' must read like RU:290;MN:10");
            }

            origins.Add((part[..colon].Trim(), count));
        }

        return origins;
    }

    private static (string Json, string? Date) ToJson(string[] header, CsvRecord record, string fileName)
    {
        var buffer = new ArrayBufferWriter<byte>();
        string? date = null;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            for (var i = 0; i < record.Fields.Count; i++)
            {
                var name = header[i];
                var cell = record.Fields[i].Trim();
                if (cell.Length == 0)
                {
                    continue;
                }

                if (name == "date")
                {
                    date = cell;
                }

                if (name == "origins")
                {
                    writer.WriteStartObject(name);
                    foreach (var (country, count) in ParseOrigins(cell, $"{fileName} line {record.Line}"))
                    {
                        WriteNumber(writer, country, count);
                    }

                    writer.WriteEndObject();
                }
                else if (!StringFields.Contains(name) && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    WriteNumber(writer, name, number);
                }
                else
                {
                    writer.WriteString(name, cell);
                }
            }

            writer.WriteEndObject();
        }

        return (Encoding.UTF8.GetString(buffer.WrittenSpan), date);
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        // Whole numbers go out without a fraction so integer fields such as count accept them.
        if (Math.Abs(value) < 9e15 && value == Math.Floor(value))
        {
            writer.WriteNumber(name, (long)value);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }

    private static string? DateOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("date", out var date)
                && date.ValueKind == JsonValueKind.String
                ? date.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
