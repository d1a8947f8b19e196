using System.Globalization;
using RiskMesh.Cli.Http;

namespace RiskMesh.Cli.Output;

/// <summary>
/// An entity's history as CSV for a spreadsheet (RFC 4180): one row a day with the API's own figures, not the table's
/// cut ones, so a sum or a chart in the sheet works from the score itself. The columns are those of the console's
/// "Export history CSV" (date, score, level, a city's response_level, then every metric of the days, by name), with a
/// country's two reference classifications after the level.
/// </summary>
internal static class HistoryCsv
{
    /// <summary>Writes the header and one row per point, lines ending CRLF as RFC 4180 has them.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<HistoryPointDto> points)
    {
        var classified = points.Any(p => p.Classifications is not null);
        var responded = points.Any(p => p.ResponseLevel is not null);
        // Every metric any day has, in one order (a day may lack one another has: its cell is empty).
        var metrics = points.SelectMany(p => p.Metrics?.Keys ?? Enumerable.Empty<string>()).Distinct().Order(StringComparer.Ordinal).ToList();
        string[] header = ["date", "score", "level", .. responded ? (string[])["response_level"] : [], .. classified ? (string[])["ecdc", "ecdc_grey_reason", "cdc_thn"] : [], .. metrics];
        WriteLine(writer, header);
        foreach (var point in points)
        {
            string?[] response = responded ? [point.ResponseLevel?.ToString(CultureInfo.InvariantCulture)] : [];
            string?[] classes = classified ? [point.Classifications?.Ecdc, point.Classifications?.EcdcGreyReason, point.Classifications?.CdcThn] : [];
            var values = metrics.Select(m => point.Metrics is not null && point.Metrics.TryGetValue(m, out var v) ? Number(v) : null);
            WriteLine(writer, [Format.Date(point.Date), Number(point.Score), point.Level, .. response, .. classes, .. values]);
        }
    }

    /// <summary>A field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, quotes doubled.</summary>
    internal static string Field(string? text) =>
        text is null ? ""
        : text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : text;

    // The number as the API gave it, with a decimal point whatever the machine's culture ("R": nothing lost).
    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteLine(TextWriter writer, IEnumerable<string?> fields) =>
        writer.Write(string.Join(',', fields.Select(Field)) + "\r\n");
}
