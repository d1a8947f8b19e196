using System.Text;

namespace RiskMesh.Cli.Input;

/// <summary>One CSV record and the line of the file it starts on.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// An RFC 4180 CSV reader: commas (or another separator), double-quoted fields with <c>""</c> escapes and line breaks
/// inside quotes.
/// </summary>
internal static class CsvReader
{
    /// <summary>Reads every record; blank lines are skipped; an unterminated quote names its line.</summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string fileName, char separator = ',')
    {
        var line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var recordLine = 1;
        var quoteLine = 0;
        var fieldStarted = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    quoteLine = line;
                    break;
                case var _ when ch == separator:
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (fieldStarted || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(recordLine, fields);
                        fields = [];
                        field.Clear();
                    }

                    fieldStarted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }

        if (inQuotes)
        {
            throw new InputException($"{fileName} line {quoteLine}: a quoted field is never closed");
        }

        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields);
        }
    }
}
