using System.Globalization;
using System.Text.Json;

namespace RiskMesh.Cli.Input;

/// <summary>Says where and why a JSON text is broken, in words, without the serializer's internal wording.</summary>
internal static class JsonError
{
    /// <summary>"line 3, column 12: a value has the wrong type at $.levels[0].enterAt", say.</summary>
    public static string Describe(JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var where = error.LineNumber is { } line
            ? $"line {(line + 1).ToString(CultureInfo.InvariantCulture)}{(error.BytePositionInLine is { } column ? $", column {(column + 1).ToString(CultureInfo.InvariantCulture)}" : "")}"
            : "somewhere";
        var message = error.Message;
        var why = message.Contains("could not be converted", StringComparison.Ordinal) ? "a value has the wrong type"
            : message.Contains("end of data", StringComparison.OrdinalIgnoreCase) || message.Contains("incomplete", StringComparison.OrdinalIgnoreCase) ? "the text ends too early"
            : message.Contains("invalid start of a value", StringComparison.Ordinal) ? "a value is missing or malformed"
            : message.Contains("after a single JSON value", StringComparison.Ordinal) ? "there is text after the JSON value"
            : message.Contains("expected", StringComparison.OrdinalIgnoreCase) ? "a comma, colon, quote or bracket is missing"
            : "the text is not valid JSON";
        var path = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? "" : $" at {error.Path}";
        return $"{where}: {why}{path}";
    }
}
