namespace RiskMesh.Scoring.Model;

/// <summary>
/// When several sources report a country, the one with the latest report is read (<see cref="CountrySeries.SourcesByPrecedence"/>):
/// a colleague's test or back-fill sheet under a source of its own, one day ahead of the official feed, takes over the
/// country's whole series and every port facing it (newcomer 23b, finding 1: Russia 38.0 → 4.2). The rule stands;
/// a batch that changes the source read is said in the ingest answer, naming both sources, their last days and their
/// 14-day counts, so the feed hears of it at once.
/// </summary>
public static class CountrySourceChanges
{
    /// <summary>The source read for a ledger as it stands, or null when no source reports the country.</summary>
    public static SourceReported? Read(CountryLedger ledger)
    {
        var sources = CountrySeries.SourcesByPrecedence(ledger);
        return sources.IsEmpty ? null : sources[0];
    }

    /// <summary>
    /// The warning when the source read is no longer <paramref name="before"/> (read before the batch was folded into
    /// <paramref name="ledger"/>), or null when it is the same or there was none (a first source takes over nothing).
    /// </summary>
    public static string? Warning(string country, CountryLedger ledger, SourceReported? before)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var sources = CountrySeries.SourcesByPrecedence(ledger);
        if (before is null || sources.IsEmpty || string.Equals(sources[0].Source, before.Source, StringComparison.Ordinal))
        {
            return null;
        }

        var now = sources[0];
        // The earlier source as it stands after the batch (it may have reported in it too).
        var was = sources.FirstOrDefault(s => string.Equals(s.Source, before.Source, StringComparison.Ordinal)) ?? before;
        return $"country {country}: source '{now.Source}' is now read instead of '{was.Source}': {Why(now, was)} " +
               "(when several sources report a country, the one with the latest report is read). " +
               $"Its 14 days to {Date(now.LastDay)} count {Cases14(ledger, now)}, against {Cases14(ledger, was)} in the 14 days to {Date(was.LastDay)} of '{was.Source}'; " +
               // A later day is not the only way back: the same day with more reports (or as many, and a name first)
               // also wins, which is how a feed takes its country back from a sheet one day ahead (review 23 F1).
               $"the scores of {country} and of the ports facing it are read from '{now.Source}' until another source reports a later day, " +
               $"or reports {Date(now.LastDay)} too and has more reports than '{now.Source}' (or as many, and a name first in alphabetical order).";
    }

    // Why the new source wins, by the first rule that tells them apart.
    private static string Why(SourceReported now, SourceReported was) =>
        now.LastDay > was.LastDay
            ? $"its latest report, for {Date(now.LastDay)}, is later than the latest of '{was.Source}', for {Date(was.LastDay)}"
            : now.Reports > was.Reports
                ? $"its latest report, for {Date(now.LastDay)}, is as late as that of '{was.Source}', and it has more reports ({now.Reports:N0} against {was.Reports:N0})"
                : $"its latest report, for {Date(now.LastDay)}, is as late as that of '{was.Source}', with as many reports ({now.Reports:N0}), and its name comes first in alphabetical order";

    private static string Cases14(CountryLedger ledger, SourceReported source) =>
        CountrySeries.Prepare(ledger, source.Source).CasesIn(source.LastDay - 14, source.LastDay) is { } cases
            ? Scales.Counted(cases, "case", "cases")
            : "an unknown number of cases";

    private static string Date(int day) => DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
