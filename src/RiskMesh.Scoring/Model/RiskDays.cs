namespace RiskMesh.Scoring.Model;

/// <summary>
/// The day arithmetic of views, history and retention, in day numbers (<see cref="DateOnly.DayNumber"/>), so that
/// grains only ask and never count days themselves.
/// </summary>
public static class RiskDays
{
    /// <summary>The longest window any model reads behind the day it assesses (28-day incidence).</summary>
    public const int LongestWindow = 28;

    /// <summary>Days before the assessed one that a trend reads (a week of scores).</summary>
    public const int TrendDays = 6;

    /// <summary>The first day whose raw records a view of <paramref name="day"/> (with its trend) reads.</summary>
    public static int ViewReadsFrom(int day) => day - TrendDays - LongestWindow;

    /// <summary>The first day whose raw records an assessment of <paramref name="day"/> reads.</summary>
    public static int AssessmentReadsFrom(int day) => day - LongestWindow;

    /// <summary>
    /// The days a history request answers: from <paramref name="from"/> to <paramref name="to"/>, but never after
    /// <paramref name="today"/> (the clock's day, or the day asked as known on) nor more than
    /// <paramref name="historyDays"/> before it; null when nothing is left.
    /// </summary>
    public static (int First, int Last)? HistoryRange(DateOnly from, DateOnly to, int today, int historyDays)
    {
        var first = Math.Max(from.DayNumber, today - historyDays);
        var last = Math.Min(to.DayNumber, today);
        return first > last ? null : (first, last);
    }

    /// <summary>
    /// The first day whose point must stay computable from raw records: <paramref name="historyDays"/> behind the
    /// latest day the entity has data for. The clock plays no part, so moving it never makes raw records prunable.
    /// </summary>
    public static int SummariseBefore(int latestDataDay, int historyDays) => latestDataDay - historyDays;

    /// <summary>Raw records before this day feed no point from <paramref name="firstRawPoint"/> on.</summary>
    public static int PrunableBefore(int firstRawPoint) => firstRawPoint - LongestWindow;
}
