using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// A port's traffic for a day is the sum over its sources: several counting points (a road crossing's two lanes, a
/// border post and a health check station) may each report under a source of their own, and a revision replaces only
/// the same source's report (DESIGN.md section 3, "Revisions replace", per entity, type, date and source). A sheet
/// re-sent under another source label therefore counts twice (newcomer 23b, finding 2): the sum stands, and the ingest
/// answer says when a source reports a port's day that another source reported already.
/// Asked of the ledger as it stands before each traffic report folds (reports folded earlier in the batch are in it):
/// one scan of the port's traffic that allocates nothing unless it warns (review 23 F8: an index of every traffic day
/// was built to answer about one).
/// </summary>
public static class TrafficSources
{
    /// <summary>
    /// The warning for a traffic report about to be folded, when another source already reported the port's day and the
    /// report's own source had not (a source's revision of its own day was warned of the first time, or not at all).
    /// </summary>
    public static string? Warning(SiteLedger ledger, TrafficEvent report)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(report);
        var (day, source) = (report.Date.DayNumber, RecordKeys.Source(report.Source));
        if (ledger.Traffic is not { } traffic)
        {
            return null;
        }

        var othersReported = false;
        foreach (var (key, record) in traffic)
        {
            if (record.Day == day)
            {
                if (SourceOf(key).SequenceEqual(source))
                {
                    return null;
                }

                othersReported = true;
            }
        }

        if (!othersReported)
        {
            return null;
        }

        var others = traffic.Where(p => p.Value.Day == day).Select(p => KeyValuePair.Create(SourceOf(p.Key).ToString(), p.Value.Inbound)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var earlier = string.Join(" and ", others.Select(p => $"{Scales.Count(p.Value)} of source '{p.Key}'"));
        var first = others[0].Key;
        return $"port {report.Port} {report.Date:yyyy-MM-dd}: traffic of source '{source}' (id {report.Id}, {Scales.Count(report.Inbound)} inbound) adds to the {earlier}: " +
               $"the port's inbound that day is now {Scales.Count(report.Inbound + others.Sum(p => p.Value))} (each source is a counting point of its own, and their reports add up). " +
               // Re-sending under the first source would replace only that source's report and leave this one counted
               // (review 23 F1): what undoes it is this source's own report of the day, at zero.
               $"If it is the same count under another label, undo it by sending this day under source '{source}' again with inbound 0 and a new id " +
               $"(a report replaces only its own source's report of the day), and send the sheet under source '{first}' from then on.";
    }

    // A traffic key is "source|day" (RecordKeys.SourceDay).
    private static ReadOnlySpan<char> SourceOf(string key) => key.AsSpan(0, key.LastIndexOf('|'));
}
