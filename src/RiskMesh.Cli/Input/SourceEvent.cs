namespace RiskMesh.Cli.Input;

/// <summary>An event read from a file: where it came from (for error messages), its JSON, and its date when readable.</summary>
/// <param name="File">The file name as given.</param>
/// <param name="Line">The line it starts on, from 1.</param>
/// <param name="Json">One line of JSON, sent as is.</param>
/// <param name="Date">The event's <c>date</c> member, or null when absent or the line is not JSON.</param>
/// <param name="Header">For a CSV row, its file's header, so an error about a field can name the header's column.</param>
internal sealed record SourceEvent(string File, int Line, string Json, string? Date, CsvHeader? Header = null);

/// <summary>A CSV file's header row: the line it is on and the field each column names.</summary>
internal sealed record CsvHeader(int Line, string[] Names)
{
    /// <summary>"header column 5, line 1" for a field the header names, else null.</summary>
    public string? ColumnOf(string field) =>
        Array.IndexOf(Names, field) is var i and >= 0 ? $"header column {i + 1}, line {Line}" : null;
}
