using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// A country's cumulative count far below what its source last reported (42,853 then 4,712: a dropped digit) is a
/// revision and is accepted, as the design says; but the feed hears of it in the ingest answer, not days later in an
/// explanation (newcomer 21b M5).
/// </summary>
public static class CumulativeDrops
{
    /// <summary>
    /// The warning for a report whose cumulative count is less than half the same source's latest cumulative count
    /// for an earlier day, or null. Read before the report is folded in, from the ledger it is folded into.
    /// </summary>
    public static string? Warning(CountryLedger ledger, CountryCasesEvent report)
    {
        if (report.CumulativeCases is not { } now)
        {
            return null;
        }

        var source = RecordKeys.Source(report.Source);
        var last = LatestEarlier(ledger, report);
        return last?.CumulativeCases is { } before && now * 2 < before
            ? $"country {report.Country}: cumulativeCases {now} for {report.Date:yyyy-MM-dd} (id {report.Id}) is less than half the {before} " +
              $"that source '{source}' reported for {DateOnly.FromDayNumber(last.Day):yyyy-MM-dd}; accepted as a downward revision, which lowers the incidence. " +
              "If it is a typo, send the right figure under a new id for the same country, date and source: it replaces this report."
            : null;
    }

    /// <summary>The report's source's latest report with a cumulative count for a day before the report's, or null.</summary>
    public static CountryReportRecord? LatestEarlier(CountryLedger ledger, CountryCasesEvent report)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(report);
        var source = RecordKeys.Source(report.Source);
        var day = report.Date.DayNumber;
        CountryReportRecord? last = null;
        foreach (var record in ledger.Reports.ValuesOrEmpty())
        {
            if (record.CumulativeCases is not null && record.Day < day && (last is null || record.Day > last.Day)
                && string.Equals(record.Source, source, StringComparison.Ordinal))
            {
                last = record;
            }
        }

        return last;
    }
}
