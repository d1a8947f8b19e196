using System.Globalization;
using System.Text.RegularExpressions;

namespace RiskMesh.Scoring.Events;

/// <summary>
/// The rule behind an event's refusal, apart from the event's own values: a file a year long against the replay clock
/// had each day refused in its own words ("date 2020-05-02 is in the future …", "date 2020-05-03 …"), so grouping
/// refusals by their text gave one group a day and about a thousand lines (newcomer 23b, finding 5). Also the one home of
/// the future-date refusal, so that a reader can tell it and say what to do about it.
/// </summary>
public static partial class RefusalRules
{
    /// <summary>
    /// The reason with the values that vary from event to event left out as "…": every ISO date, the value after
    /// "got", and the suggestion after "did you mean". Field names and ids named as the subject of a refusal ("unknown
    /// port 'x'") stay, so two refusals share a rule only when they break the same rule of the same field.
    /// </summary>
    public static string Of(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var rule = Suggestion().Replace(reason, "did you mean …?");
        rule = GotValue().Replace(rule, "got …");
        return IsoDate().Replace(rule, "…");
    }

    /// <summary>The refusal of an event dated after the clock's day by more than <paramref name="maxFutureDays"/>.</summary>
    public static string FutureDate(DateOnly day, DateOnly today, int maxFutureDays) =>
        string.Create(CultureInfo.InvariantCulture, $"date {day:yyyy-MM-dd} is in the future (the clock says {today:yyyy-MM-dd}; at most {maxFutureDays} {(maxFutureDays == 1 ? "day" : "days")} ahead is accepted)");

    /// <summary>
    /// Whether <paramref name="reason"/> (or one of its problems) is <see cref="FutureDate"/>'s refusal, and if so the
    /// event's day, the clock's day and how many days ahead are accepted.
    /// </summary>
    public static bool IsFutureDate(string reason, out DateOnly day, out DateOnly today, out int maxFutureDays)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var match = Future().Match(reason);
        day = today = default;
        maxFutureDays = 0;
        return match.Success
            && IsoDates.TryParse(match.Groups["day"].Value, out day)
            && IsoDates.TryParse(match.Groups["today"].Value, out today)
            && int.TryParse(match.Groups["ahead"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out maxFutureDays);
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}")]
    private static partial Regex IsoDate();

    // "got '27.04.2020'", "got the string \"17,265\"; write 17265, …", "got -3", "got an array": up to the end of the problem.
    [GeneratedRegex(@"got (?:'[^']*'|the string ""(?:[^""\\]|\\.)*""(?:; write [^,;]*)?|[^;()]*)")]
    private static partial Regex GotValue();

    [GeneratedRegex(@"did you mean [^?]*\?")]
    private static partial Regex Suggestion();

    [GeneratedRegex(@"(?:^|; also )date (?<day>\d{4}-\d{2}-\d{2}) is in the future \(the clock says (?<today>\d{4}-\d{2}-\d{2}); at most (?<ahead>\d+) days? ahead is accepted\)")]
    private static partial Regex Future();
}
