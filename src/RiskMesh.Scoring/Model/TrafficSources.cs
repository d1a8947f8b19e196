using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// A port's traffic for a day is the sum over its sources: several counting points (a road crossing's two lanes, a
/// border post and a health check station) may each report under a source of their own, and a revision replaces only
/// the same source's report (DESIGN.md section 3, "Revisions replace", per entity, type, date and source). A sheet
/// re-sent under another source label therefore counts twice (newcomer 23b, finding 2): the sum stands, and the ingest
/// answer says when a source reports a port's day that another source reported already.
/// Made once per fold of a port's rows: the day index is built at the first traffic report and kept up to date as
/// reports fold, so a batch of many days costs one pass over the port's traffic, not one per report.
/// </summary>
public sealed class TrafficSources
{
    // Each day's reports by source; built lazily from the ledger.
    private Dictionary<int, Dictionary<string, long>>? _byDay;

    /// <summary>
    /// The warning for a traffic report about to be folded, when another source already reported the port's day and the
    /// report's own source had not (a source's revision of its own day was warned of the first time, or not at all).
    /// </summary>
    public string? Warning(SiteLedger ledger, TrafficEvent report)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(report);
        var day = DayOf(ledger, report.Date.DayNumber);
        var source = RecordKeys.Source(report.Source);
        if (day is null || day.ContainsKey(source))
        {
            return null;
        }

        var others = day.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var earlier = string.Join(" and ", others.Select(p => $"{Scales.Count(p.Value)} of source '{p.Key}'"));
        var first = others[0].Key;
        return $"port {report.Port} {report.Date:yyyy-MM-dd}: traffic of source '{source}' (id {report.Id}, {Scales.Count(report.Inbound)} inbound) adds to the {earlier}: " +
               $"the port's inbound that day is now {Scales.Count(report.Inbound + others.Sum(p => p.Value))} (each source is a counting point of its own, and their reports add up). " +
               // Re-sending under the first source would replace only that source's report and leave this one counted
               // (review 23 F1): what undoes it is this source's own report of the day, at zero.
               $"If it is the same count under another label, undo it by sending this day under source '{source}' again with inbound 0 and a new id " +
               $"(a report replaces only its own source's report of the day), and send the sheet under source '{first}' from then on.";
    }

    /// <summary>Notes a traffic report folded into the ledger (its day's figure for its source).</summary>
    public void Folded(TrafficEvent report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (_byDay is not null)
        {
            var day = report.Date.DayNumber;
            (_byDay.TryGetValue(day, out var sources) ? sources : _byDay[day] = new(StringComparer.Ordinal))[RecordKeys.Source(report.Source)] = report.Inbound;
        }
    }

    private Dictionary<string, long>? DayOf(SiteLedger ledger, int day)
    {
        if (_byDay is null)
        {
            _byDay = [];
            foreach (var (key, record) in ledger.Traffic ?? [])
            {
                // A traffic key is "source|day" (RecordKeys.SourceDay).
                var source = key[..key.LastIndexOf('|')];
                (_byDay.TryGetValue(record.Day, out var sources) ? sources : _byDay[record.Day] = new(StringComparer.Ordinal))[source] = record.Inbound;
            }
        }

        return _byDay.TryGetValue(day, out var reported) ? reported : null;
    }
}
