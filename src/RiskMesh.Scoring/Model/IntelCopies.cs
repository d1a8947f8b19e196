using System.Globalization;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// An intelligence report re-sent under a new id, word for word the same as one already counted (same subject, date,
/// source, severity, confidence, category and summary: a spreadsheet re-exported with fresh row ids), is accepted and
/// counted, since ids are the feed's and two posts can report the same thing in the same words; but the ingest answer
/// warns naming the earlier id and how to withdraw the copy, and the explanation says that identical reports are
/// counted (newcomer 23b, finding 3: the pressure doubled from 0.53 to 1.05 and nothing said why).
/// </summary>
public static class IntelCopies
{
    /// <summary>
    /// The warning for an intel report about to be folded when a counted report of the entity is identical to it under
    /// another id; null otherwise (corrections name what they replace and are not copies). Given the
    /// <paramref name="contents"/> of the reports held, a report whose content is not among them is answered by one
    /// lookup: only a possible copy pays for reading which reports count.
    /// </summary>
    public static string? Warning(Dictionary<string, IntelRecord>? intel, IntelEvent report, IntelContents? contents = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (intel is null || report.Replaces is not null || contents?.Holds(report) == false)
        {
            return null;
        }

        var source = RecordKeys.Source(report.Source);
        var earlier = IntelChains.Counted(intel)
            .Where(r => r.Id != report.Id && string.Equals(r.Source, source, StringComparison.Ordinal) && r.Day == report.Date.DayNumber
                && r.Severity == report.Severity && r.Confidence.Equals(report.Confidence)
                && string.Equals(r.Category, report.Category, StringComparison.Ordinal) && string.Equals(r.Summary, report.Summary, StringComparison.Ordinal))
            .Select(r => r.Id)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        return earlier is null
            ? null
            : $"intel {report.Subject} {report.Date:yyyy-MM-dd}: report {report.Id} of source '{source}' is identical to report {earlier} " +
              "(the same date, severity, confidence, category and summary), and both are counted: the intelligence pressure counts it twice. " +
              $"If it is the same report re-sent under a new id, withdraw this copy: send a report with replaces '{report.Id}' and confidence 0 " +
              "under a new id, the same subject and source.";
    }

    /// <summary>
    /// Beside the pressure, identical reports counted on the day ("; 2 identical reports counted (source nc23b, ids k-1
    /// and k-1-resent, 2020-04-28)"), the first group named and the rest counted; empty when there are none.
    /// </summary>
    public static string Beside(IEnumerable<IntelRecord> counted, int day)
    {
        var groups = counted
            .Where(r => r.Day <= day && r.Severity * r.Confidence > 0)
            .GroupBy(r => (r.Source, r.Day, r.Severity, r.Confidence, r.Category, r.Summary))
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key.Day)
            .ThenBy(g => g.Key.Source, StringComparer.Ordinal)
            .ToList();
        if (groups.Count == 0)
        {
            return "";
        }

        var first = groups[0];
        var ids = first.Select(r => r.Id ?? "unknown").Order(StringComparer.Ordinal).ToList();
        var idText = ids.Count == 2 ? $"{ids[0]} and {ids[1]}" : $"{string.Join(", ", ids.Take(ids.Count - 1))} and {ids[^1]}";
        var more = groups.Count > 1 ? $"; and {groups.Count - 1} more group{(groups.Count == 2 ? "" : "s")} of identical reports" : "";
        var date = DateOnly.FromDayNumber(first.Key.Day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"; {ids.Count} identical reports counted (source {first.Key.Source}, ids {idText}, {date}: the same severity, confidence, category and summary){more}";
    }
}

/// <summary>
/// The contents (source, date, severity, confidence, category and summary) of the intel reports a ledger held when a
/// fold began and of every report checked since. Built once per fold, it lets <see cref="IntelCopies.Warning"/> answer
/// a report with no identical content by one lookup instead of sorting every report of the entity (review 24 M1: a
/// 1,000-report batch into a country holding 13,000 took 5 s, and the journal's replay on activation paid it again).
/// It may hold contents no longer held (a pruned or overwritten report): those only send the check to the full reading.
/// </summary>
public sealed class IntelContents
{
    private readonly HashSet<(string Source, int Day, int Severity, double Confidence, string Category, string Summary)> _seen = [];

    /// <summary>The contents of the reports held.</summary>
    public IntelContents(Dictionary<string, IntelRecord>? intel)
    {
        foreach (var (key, record) in intel ?? [])
        {
            _seen.Add((IntelChains.SourceOf(key, record), record.Day, record.Severity, record.Confidence, record.Category, record.Summary));
        }
    }

    /// <summary>True when a report of the same content may be held.</summary>
    public bool Holds(IntelEvent report) => _seen.Contains(Of(report));

    /// <summary>Remembers a report's content, before or after it is folded.</summary>
    public void Add(IntelEvent report) => _seen.Add(Of(report));

    private static (string, int, int, double, string, string) Of(IntelEvent report) =>
        (RecordKeys.Source(report.Source), report.Date.DayNumber, report.Severity, report.Confidence, report.Category, report.Summary);
}
