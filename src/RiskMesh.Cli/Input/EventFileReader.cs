using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RiskMesh.Cli.Arguments;

namespace RiskMesh.Cli.Input;

/// <summary>Reads event files: NDJSON (<c>.ndjson</c>, <c>.jsonl</c>) as they are, CSV (<c>.csv</c>) converted row by row to JSON events.</summary>
internal static class EventFileReader
{
    // Members the API expects as strings; every other CSV cell that reads as a number is sent as one.
    private static readonly HashSet<string> StringFields = new(StringComparer.Ordinal)
    {
        "id", "type", "source", "country", "date", "location", "classification", "origin", "subject", "category", "summary", "port",
    };

    /// <summary>Reads a file by its extension; an unknown extension or unreadable file is a usage error.</summary>
    public static IReadOnlyList<SourceEvent> Read(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".ndjson" or ".jsonl" or ".csv"))
        {
            throw new UsageException($"{path}: unknown file type '{extension}'; use .ndjson, .jsonl or .csv");
        }

        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return extension == ".csv" ? ReadCsv(reader, path) : ReadNdJson(reader, path);
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

    /// <summary>A header row names event members; each later row becomes one event with its empty cells omitted.</summary>
    public static IReadOnlyList<SourceEvent> ReadCsv(TextReader reader, string fileName)
    {
        var events = new List<SourceEvent>();
        string[]? header = null;
        CsvHeader? named = null;
        foreach (var record in CsvReader.Read(reader, fileName))
        {
            if (record.Fields.Count == 1 && string.IsNullOrWhiteSpace(record.Fields[0]))
            {
                continue;
            }

            if (header is null)
            {
                header = [.. record.Fields.Select(f => f.Trim())];
                var blank = Array.FindIndex(header, h => h.Length == 0);
                if (blank >= 0)
                {
                    throw new InputException($"{fileName} line {record.Line}: header column {blank + 1} has no name");
                }

                named = new CsvHeader(record.Line, header);
                continue;
            }

            if (record.Fields.Count > header.Length)
            {
                throw new InputException($"{fileName} line {record.Line}: {record.Fields.Count} cells but the header names {header.Length} columns");
            }

            var (json, date) = ToJson(header, record, fileName);
            events.Add(new SourceEvent(fileName, record.Line, json, date, named));
        }

        return events;
    }

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
