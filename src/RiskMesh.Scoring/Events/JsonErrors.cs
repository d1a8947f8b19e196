using System.Globalization;
using System.Text.Json;

namespace RiskMesh.Scoring.Events;

/// <summary>
/// Says where and why a JSON text is broken, in words ("line 1, column 30: a value is missing or malformed at
/// $[0].url"), without the serializer's internal wording or .NET type names: one wording for the API's 400 answers
/// and the CLI's messages.
/// </summary>
public static class JsonErrors
{
    /// <summary>
    /// Describes <paramref name="error"/>; <paramref name="subject"/> names what was read where the sentence needs it
    /// ("the body" for a request, "the text" for a file).
    /// </summary>
    /// <param name="error">What the serializer threw.</param>
    /// <param name="subject">What was read.</param>
    /// <param name="fields">The fields the object being read takes, named when one it does not take was found.</param>
    public static string Describe(JsonException error, string subject = "the text", IReadOnlyCollection<string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        return $"{Where(error)}: {Reason(error, subject, fields)}";
    }

    private static string Where(JsonException error) => error.LineNumber is { } line
        ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}{(error.BytePositionInLine is { } column ? string.Create(CultureInfo.InvariantCulture, $", column {column + 1}") : "")}")
        : "somewhere";

    /// <summary>
    /// "the body is not valid JSON: line 1, column 30: …", or for valid JSON nested deeper than the reader takes, "the
    /// body nests arrays and objects more than 16 deep: line 1, column 17" (it is not broken, only too deep).
    /// </summary>
    /// <param name="error">What the reader threw.</param>
    /// <param name="subject">What was read.</param>
    public static string NotReadable(JsonException error, string subject)
    {
        ArgumentNullException.ThrowIfNull(error);
        return NestingLimit(error) is { } depth
            ? $"{subject} nests arrays and objects more than {depth} deep, more than RiskMesh reads: {Where(error)}"
            : $"{subject} is not valid JSON: {Describe(error, subject)}";
    }

    /// <summary>The reader's nesting limit when <paramref name="error"/> is valid JSON nested past it; null otherwise.</summary>
    /// <param name="error">What the reader threw.</param>
    public static int? NestingLimit(JsonException error) =>
        DepthLimit((error ?? throw new ArgumentNullException(nameof(error))).Message) is { } depth
        && int.TryParse(depth, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;

    /// <summary>
    /// "byte 0xFF is not UTF-8" when the reader stopped at a byte that starts no UTF-8 character, else null: its own words
    /// for it ("a value is missing or malformed") send the sender looking for a JSON mistake in text of another encoding.
    /// </summary>
    /// <param name="text">What was read.</param>
    /// <param name="offset">Where in it the reader stopped.</param>
    public static string? NotUtf8(ReadOnlySpan<byte> text, long offset) =>
        offset >= 0 && offset < text.Length && System.Text.Rune.DecodeFromUtf8(text[(int)offset..], out _, out _) != System.Buffers.OperationStatus.Done
            ? string.Create(CultureInfo.InvariantCulture, $"byte 0x{text[(int)offset]:X2} is not UTF-8")
            : null;

    /// <summary>Why <paramref name="error"/> happened, in words, with the JSON path when there is one; no position.</summary>
    /// <param name="error">What the serializer threw.</param>
    /// <param name="subject">What was read.</param>
    /// <param name="fields">The fields the object being read takes, named when one it does not take was found.</param>
    public static string Reason(JsonException error, string subject = "the text", IReadOnlyCollection<string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        if (Between(message, "Duplicate property '", "' encountered during deserialization") is { } repeated)
        {
            // The last of two values would win in silence: a key request {"role": "analyst", "role": "admin"} was an admin key.
            var at = ParentPath(error.Path, repeated);
            return $"field '{Shorten(repeated)}' is given more than once{(at == "$" ? "" : $" at {at}")}";
        }

        if (UnknownField(message) is { } field)
        {
            // A misspelt field must not be dropped in silence (an acknowledgement's comment, a key's label): it is
            // named with what the object takes, as the event and plan readers name theirs.
            var at = ParentPath(error.Path, field);
            var expected = fields is { Count: > 0 } ? $" (expected {string.Join(", ", fields)})" : "";
            return $"unknown field '{Shorten(field)}'{expected}{(at == "$" ? "" : $" at {at}")}";
        }

        if (DepthLimit(message) is { } depth)
        {
            // Valid JSON nested past what the reader takes (a guard against a body built to exhaust the stack) is not
            // broken text: the limit is what the sender must know.
            return $"arrays and objects nested more than {depth} deep, more than {subject} may have";
        }

        // Trailing text is checked before "end of data": its message says "Expected end of data" too.
        var why = message.Contains("could not be converted", StringComparison.Ordinal) ? "a value has the wrong type"
            : message.Contains("trailing comma", StringComparison.Ordinal) ? "a comma with nothing after it before a closing bracket or brace (JSON allows no trailing comma)"
            : message.Contains("invalid start of a property name", StringComparison.Ordinal) ? "a property name is not in double quotes"
            : message.StartsWith("''' is an invalid start of a value", StringComparison.Ordinal) ? "a string is in single quotes (JSON needs double quotes)"
            : message.Contains("after a single JSON value", StringComparison.Ordinal) ? "there is text after the JSON value"
            : message.Contains("end of data", StringComparison.OrdinalIgnoreCase) || message.Contains("incomplete", StringComparison.OrdinalIgnoreCase)
                || message.StartsWith("Expected depth to be zero", StringComparison.Ordinal) ? $"{subject} ends too early"
            : message.Contains("invalid start of a value", StringComparison.Ordinal) ? "a value is missing or malformed"
            : message.Contains("expected", StringComparison.OrdinalIgnoreCase) ? "a comma, colon, quote or bracket is missing"
            : "a character JSON does not allow here";
        var path = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? "" : $" at {error.Path}";
        return why + path;
    }

    // The reader's words for nesting past its MaxDepth ("The maximum configured depth of 256 has been exceeded"), with
    // the limit.
    private static string? DepthLimit(string message)
    {
        const string words = "maximum configured depth of ";
        var at = message.IndexOf(words, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var digits = message.AsSpan(at + words.Length);
        var length = 0;
        while (length < digits.Length && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return length > 0 ? digits[..length].ToString() : null;
    }

    // The serializer's words for a property the type has no member for (UnmappedMemberHandling.Disallow).
    private static string? UnknownField(string message) => Between(message, "The JSON property '", "' could not be mapped to any .NET member");

    // The name between the serializer's fixed words, when its message starts with them.
    private static string? Between(string message, string start, string end)
    {
        var at = message.IndexOf(end, StringComparison.Ordinal);
        return message.StartsWith(start, StringComparison.Ordinal) && at > start.Length ? message[start.Length..at] : null;
    }

    // The object holding a field, from the field's path ($[1].secret → $[1]).
    private static string ParentPath(string? path, string field) =>
        path is { } full && full.EndsWith("." + field, StringComparison.Ordinal) ? full[..^(field.Length + 1)] : "$";

    // A caller's field name, cut so that a hostile one cannot fill the answer.
    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
