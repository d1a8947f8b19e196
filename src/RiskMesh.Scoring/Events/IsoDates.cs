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

    /// <summary>
    /// <see cref="Refusal"/> with "; did you mean 2020-04-27?" when the text can mean one day only (<see cref="Meant"/>):
    /// for an event's date, where a feed's whole column is in one form.
    /// </summary>
    public static string RefusalWithGuess(string subject, string? text, string example) =>
        Refusal(subject, text, example) + (Meant(text) is { } meant ? string.Create(CultureInfo.InvariantCulture, $"; did you mean {meant:yyyy-MM-dd}?") : "");

    /// <summary>
    /// The day a date in another common form can only mean, or null: year first with '/', '.' or '-' and months or days
    /// of one digit (2020/04/27, 2020-4-27), an ISO date and time (2020-04-27T00:00:00, 2020-04-27 08:30), the day first
    /// with dots as Europe writes it (27.04.2020), and the day or month first with '/' only when one of them is above 12
    /// (27/04/2020, 04/27/2020; 04/05/2020 is either). Words a refusal; nothing is read in these forms (newcomer 23b, finding 7).
    /// </summary>
    public static DateOnly? Meant(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length > 10 && trimmed[10] is 'T' or ' ' && TryParse(trimmed.AsSpan(0, 10), out var day)
            && DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out _))
        {
            return day;
        }

        var parts = trimmed.Split(['-', '/', '.']);
        if (parts.Length != 3 || parts.Any(p => p.Length is 0 or > 4 || !p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        var separator = trimmed[parts[0].Length];
        var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (parts[0].Length, parts[2].Length, separator) switch
        {
            (4, <= 2, _) => Day(n[0], n[1], n[2]),
            (<= 2, 4, '.') => Day(n[2], n[1], n[0]),
            (<= 2, 4, '/') when n[0] > 12 => Day(n[2], n[1], n[0]),
            (<= 2, 4, '/') when n[1] > 12 || n[0] == n[1] => Day(n[2], n[0], n[1]),
            _ => null,
        };

        static DateOnly? Day(int year, int month, int day) =>
            year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }
}
