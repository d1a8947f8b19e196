using System.Globalization;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// Where one source reporting a country stands as of a day, from its reports dated on or before it: how many days of
/// the day's 14-day window it reports, its latest report and how many reports it has. Each day a country is assessed
/// reads the source that stands first (<see cref="Precedes"/>), so a report dated tomorrow changes no earlier day, and a
/// test sheet covering two days of a window does not displace a feed covering all fourteen.
/// </summary>
public readonly record struct SourceStanding(string Source, int DaysCovered, int LastDay, int Reports)
{
    /// <summary>The window whose days are counted: the 14 days to the day assessed, as the incidence reads.</summary>
    public const int WindowDays = 14;

    /// <summary>The rule in words, for the explanation and the ingest warning.</summary>
    public const string Rule =
        "each day reads the source reporting most days of its 14-day window, counting only reports dated on or before that day; " +
        "on a tie, the one with the latest report, then more reports, then the first name in alphabetical order";

    /// <summary>
    /// True when <paramref name="a"/> is read before <paramref name="b"/>: more days of the window reported; then the
    /// later latest report; then more reports; then the name in ordinal order (so the choice never depends on the order
    /// reports arrived in).
    /// </summary>
    public static bool Precedes(in SourceStanding a, in SourceStanding b) =>
        a.DaysCovered != b.DaysCovered ? a.DaysCovered > b.DaysCovered
        : a.LastDay != b.LastDay ? a.LastDay > b.LastDay
        : a.Reports != b.Reports ? a.Reports > b.Reports
        : string.CompareOrdinal(a.Source, b.Source) < 0;

    /// <summary>Why <paramref name="read"/> stands before <paramref name="other"/> on <paramref name="day"/>, by the first rule that tells them apart.</summary>
    public static string Why(in SourceStanding read, in SourceStanding other, int day) =>
        read.DaysCovered != other.DaysCovered
            ? $"'{read.Source}' reports {read.DaysCovered} of the {WindowDays} days to {Date(day)}, more than the {other.DaysCovered} of '{other.Source}'"
            : read.LastDay != other.LastDay
                ? $"'{read.Source}' reports {read.DaysCovered} of the {WindowDays} days to {Date(day)}, as '{other.Source}' does, and its latest report, for {Date(read.LastDay)}, is later than that of '{other.Source}', for {Date(other.LastDay)}"
                : read.Reports != other.Reports
                    ? $"'{read.Source}' reports {read.DaysCovered} of the {WindowDays} days to {Date(day)} and its latest report is for {Date(read.LastDay)}, as '{other.Source}''s, and it has more reports ({read.Reports:N0} against {other.Reports:N0})"
                    : $"'{read.Source}' and '{other.Source}' report as many of the {WindowDays} days to {Date(day)} ({read.DaysCovered}), as late and as often, and '{read.Source}' comes first in alphabetical order";

    /// <summary>An ISO date of a day number.</summary>
    public static string Date(int day) => DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
