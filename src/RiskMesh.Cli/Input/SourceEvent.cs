namespace RiskMesh.Cli.Input;

/// <summary>An event read from a file: where it came from (for error messages), its JSON, and its date when readable.</summary>
/// <param name="File">The file name as given.</param>
/// <param name="Line">The line it starts on, from 1.</param>
/// <param name="Json">One line of JSON, sent as is.</param>
/// <param name="Date">The event's <c>date</c> member, or null when absent or the line is not JSON.</param>
/// <param name="Header">For a CSV row, its file's header, so an error about a field can name the header's column.</param>
internal sealed record SourceEvent(string File, int Line, string Json, string? Date, CsvHeader? Header = null);

/// <summary>A CSV file's header row: the line it is on, the field each column names, and the separator it was read with.</summary>
internal sealed record CsvHeader(int Line, string[] Names, char Separator = ',')
{
    /// <summary>
    /// What to say of a file not read as plain comma-separated UTF-8, or null: the separator read, which a reader of
    /// the output should not have to guess (a ';' file read without a word would hide that its numbers' decimal commas
    /// are not read as such), and the encoding when it is not UTF-8.
    /// </summary>
    public string? ReadAs(string fileName, string? encoding) =>
        (Separator, encoding) switch
        {
            (',', null) => null,
            (',', _) => $"{fileName}: read as {encoding} text",
            _ => $"{fileName}: read as {SeparatorName(Separator)}-separated CSV{(encoding is null ? "" : $" in {encoding}")}: its header names known fields when split on {Quoted(Separator)}, and none when split on commas",
        };

    private static string SeparatorName(char separator) => separator == '\t' ? "tab" : "semicolon";

    private static string Quoted(char separator) => separator == '\t' ? "tabs" : $"'{separator}'";

    /// <summary>"header column 5, line 1" for a field the header names, else null.</summary>
    public string? ColumnOf(string field) =>
        Array.IndexOf(Names, field) is var i and >= 0 ? $"header column {i + 1}, line {Line}" : null;
}
