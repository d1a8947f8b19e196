namespace RiskMesh.Cli.Output;

/// <summary>A plain text table: columns padded to their widest cell, numeric columns right-aligned.</summary>
internal sealed class Table(params string[] headers)
{
    /// <summary>
    /// The heading of a score's band in every table: "level" alone names a response level ("level 4"), which sits beside
    /// the band in some of them (newcomer 14 read "level moderate" beside Suifenhe's level 4 in force).
    /// </summary>
    public const string ScoreBand = "score band";

    private readonly List<string[]> _rows = [];

    /// <summary>Columns to align right (numbers).</summary>
    public HashSet<int> RightAligned { get; } = [];

    /// <summary>Adds a row; missing cells are empty.</summary>
    public Table Add(params string?[] cells)
    {
        _rows.Add([.. Enumerable.Range(0, headers.Length).Select(i => i < cells.Length ? cells[i] ?? "" : "")]);
        return this;
    }

    /// <summary>Writes the header and rows.</summary>
    public void Write(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        WriteRow(writer, headers, widths);
        foreach (var row in _rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private void WriteRow(TextWriter writer, IReadOnlyList<string> cells, int[] widths)
    {
        var parts = cells.Select((c, i) => RightAligned.Contains(i) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]));
        writer.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
