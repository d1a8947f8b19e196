using System.Globalization;

namespace RiskMesh.Scoring.Events;

/// <summary>
/// Dates as RiskMesh reads them wherever a person types one (events, the API's query parameters and clock, the CLI):
/// ISO <c>yyyy-MM-dd</c>, and, when one is refused, words that say which way it is wrong: a text in the ISO form that
/// is no day of the calendar (2020-02-30) "is not a real date", rather than "must be an ISO date", which read as if the
/// form were wrong.
/// </summary>
public static class IsoDates
{
    /// <summary>Reads an ISO date (yyyy-MM-dd, invariant culture).</summary>
    public static bool TryParse(string? text, out DateOnly date) => TryParse(text.AsSpan(), out date);

    /// <summary>Reads an ISO date (yyyy-MM-dd, invariant culture) from characters that need not be a string.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>True when <paramref name="text"/> has the ISO form (four digits, dash, two, dash, two), real day or not.</summary>
    public static bool HasIsoForm(string? text) =>
        text is { Length: 10 } && text[4] == '-' && text[7] == '-'
        && !text.AsSpan(0, 4).ContainsAnyExceptInRange('0', '9')
        && !text.AsSpan(5, 2).ContainsAnyExceptInRange('0', '9')
        && !text.AsSpan(8, 2).ContainsAnyExceptInRange('0', '9');

    /// <summary>
    /// Why <paramref name="text"/> was refused as the date <paramref name="subject"/> names (<c>'date'</c>, <c>--from</c>):
    /// "'date': 2020-02-30 is not a real date" or "'date' must be an ISO date like 2020-04-20, got '20/04/2020'".
    /// </summary>
    public static string Refusal(string subject, string? text, string example) =>
        HasIsoForm(text)
            ? $"{subject}: {text} is not a real date"
            : $"{subject} must be an ISO date like {example}, got '{text}'";
}
