using System.Text.RegularExpressions;

namespace RiskMesh.Cli.Input;

/// <summary>
/// A ';'-separated file is what Excel writes in locales whose decimal separator is a comma, so its "1,500" in a field
/// that takes fractions (testTurnaroundHours, positivity) is most likely one and a half. The server can only read it as
/// thousands ("write 1500, without thousands separators"): followed, that stored 1,500 hours, and the port's capacity
/// gap read "bad" (review 23 F4). For a row of such a file the CLI names the decimal reading first.
/// </summary>
internal static partial class DecimalCommaHint
{
    /// <summary>
    /// The reason with "; write 1.5 if the comma is a decimal one …" for a number with one comma refused in a field
    /// taking fractions, when the row comes from a ';'-separated file; else as it was. Whole-number fields (counts) keep
    /// the server's words: a count has no fraction to misread.
    /// </summary>
    public static string Add(string reason, CsvHeader? header) =>
        header?.Separator != ';'
            ? reason
            : CommaNumber().Replace(reason, m =>
            {
                var (whole, fraction) = (m.Groups["whole"].Value, m.Groups["fraction"].Value.TrimEnd('0'));
                var decimalReading = fraction.Length == 0 ? whole : $"{whole}.{fraction}";
                // No ',' or ';' in the words: the rule of the refusal (RefusalRules.Of) leaves out the "; write …" after
                // the value up to one, so rows of different values stay one rule.
                var thousands = m.Groups["thousands"].Success ? $" or {m.Groups["thousands"].Value} if it separates thousands" : "";
                return $"{m.Groups["refused"].Value}; write {decimalReading} if the comma is a decimal one (numbers are read with a decimal point){thousands}";
            });

    [GeneratedRegex(@"(?<refused>field '[^']+' must be a number, got the string ""(?<whole>\d+),(?<fraction>\d+)"")(?:; write (?<thousands>\d+), without thousands separators)?")]
    private static partial Regex CommaNumber();
}
