namespace RiskMesh.Scoring.Model;

/// <summary>
/// The summarised part of an entity's history: before raw records are pruned, every day they feed gets its point
/// (score, level, metrics, classifications) in the ledger's archive, and the ledger remembers from which day on its
/// points are still computed from raw records. Pruning follows the entity's latest data, never the clock.
/// </summary>
public static class HistoryArchive
{
    /// <summary>
    /// Summarises and prunes when the ledger holds raw records older than <paramref name="historyDays"/> behind its
    /// latest data day (plus the longest window); returns the range of days that must be assessed first (empty when
    /// nothing is due). Call <see cref="Summarise"/> with the same range once their upstream values are at hand.
    /// </summary>
    public static (int From, int Before)? Due(Ledger ledger, int historyDays)
    {
        if (ledger.LatestDay() is not { } latest || ledger.OldestDay() is not { } oldest)
        {
            return null;
        }

        var before = RiskDays.SummariseBefore(latest, historyDays);
        if (oldest >= RiskDays.PrunableBefore(before))
        {
            return null;
        }

        var from = Math.Max(oldest, ledger.RawFrom ?? int.MinValue);
        return (from, before);
    }

    /// <summary>
    /// Stores the point of every day in the range, drops the raw records no later point reads, and keeps archived
    /// points for <paramref name="historyDays"/> behind the first computed day.
    /// </summary>
    public static void Summarise(Ledger ledger, (int From, int Before) range, int historyDays, Func<int, Assessment> assess)
    {
        for (var day = range.From; day < range.Before; day++)
        {
            (ledger.Archive ??= [])[day] = HistoryPoint.Of(assess(day));
        }

        ledger.PruneBefore(RiskDays.PrunableBefore(range.Before));
        ledger.RawFrom = range.Before;
        ledger.Version++;
        foreach (var day in ledger.Archive?.Select(p => p.Key).Where(d => d < range.Before - historyDays).ToList() ?? [])
        {
            ledger.Archive!.Remove(day);
        }
    }

    /// <summary>
    /// The first day of a history range whose point is computed from raw records; the days before it come from the
    /// archive. Only a live read (<paramref name="live"/>: not as known on a day) uses the archive, and only when it
    /// holds every day up to the ledger's first raw day: otherwise (the clock moved back past the archive) every day
    /// is computed, from the journal when the ledger lacks the records.
    /// </summary>
    public static int FirstComputedDay(Ledger ledger, int first, bool live)
    {
        if (!live || ledger.RawFrom is not { } rawFrom || rawFrom <= first)
        {
            return first;
        }

        for (var day = first; day < rawFrom; day++)
        {
            if (ledger.Archive?.ContainsKey(day) != true)
            {
                return first;
            }
        }

        return rawFrom;
    }

    /// <summary>True when a day's point comes from the archive because raw records it reads were pruned.</summary>
    public static bool IsSummarised(Ledger ledger, int day) => ledger.RawFrom is { } from && day < from;

    /// <summary>True when reading raw records from <paramref name="readsFrom"/> on needs records the ledger pruned.</summary>
    public static bool ReadsPrunedRecords(Ledger ledger, int readsFrom) =>
        ledger.RawFrom is { } from && readsFrom < RiskDays.PrunableBefore(from);
}
