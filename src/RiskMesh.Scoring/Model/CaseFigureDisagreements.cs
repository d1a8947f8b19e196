using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// A country-cases report whose <c>newCases</c> and <c>cumulativeCases</c> cannot both be right: more new cases than the
/// cumulative count itself, or a cumulative count below its source's latest earlier one plus the day's new cases (or,
/// the day after that report, above it). Feeds are messy, so it is accepted as sent; but only one of the two figures is
/// read, and the feed hears of the disagreement in the ingest answer (newcomer 22), as it hears of a dropped digit
/// (<see cref="CumulativeDrops"/>).
/// </summary>
public static class CaseFigureDisagreements
{
    /// <summary>
    /// The warning for a report whose two figures disagree, with each other or with its source's latest cumulative
    /// count for an earlier day, or null. Read before the report is folded in, from the ledger it is folded into.
    /// </summary>
    public static string? Warning(CountryLedger ledger, CountryCasesEvent report)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(report);
        if (report.NewCases is not { } added || report.CumulativeCases is not { } total)
        {
            return null;
        }

        var subject = $"country {report.Country}: cumulativeCases {total} for {report.Date:yyyy-MM-dd} (id {report.Id})";
        if (added > total)
        {
            return $"country {report.Country}: newCases {added} for {report.Date:yyyy-MM-dd} (id {report.Id}) is more than its cumulativeCases {total}: " +
                   $"a day's new cases are part of the cumulative count. {Tail}";
        }

        if (CumulativeDrops.LatestEarlier(ledger, report) is not { CumulativeCases: { } before } last)
        {
            return null;
        }

        var expected = before + added;
        var lastDay = $"{DateOnly.FromDayNumber(last.Day):yyyy-MM-dd}";
        var source = RecordKeys.Source(report.Source);
        if (total < expected)
        {
            return $"{subject} is less than the {before} that source '{source}' reported for {lastDay} plus this report's newCases {added} ({expected}). {Tail}";
        }

        // Days between the two reports may hold cases of their own: only the day after can be told to be exactly short.
        return total > expected && last.Day == report.Date.DayNumber - 1
            ? $"{subject} is more than the {before} that source '{source}' reported for {lastDay}, the day before, plus this report's newCases {added} ({expected}). {Tail}"
            : null;
    }

    private const string Tail =
        "Accepted as sent: RiskMesh reads a source's cumulativeCases when it gives them on at least half its reports, else its newCases. " +
        "If a figure is wrong, send the right ones under a new id for the same country, date and source: it replaces this report.";
}

/// <summary>The one warning a country-cases report gets as its country folds it: a dropped digit first, else disagreeing figures.</summary>
public static class CountryReportWarnings
{
    /// <summary>The warning for a report, or null. Read before the report is folded in.</summary>
    public static string? Of(CountryLedger ledger, CountryCasesEvent report) =>
        CumulativeDrops.Warning(ledger, report) ?? CaseFigureDisagreements.Warning(ledger, report);
}
