using System.Globalization;
using System.Text;
using System.Text.Json;
using RiskMesh.Cli.Input;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// Which event of this run replaced which. The API counts the accepted events that replaced an earlier report of the
/// same key (<c>replaced</c>) but knows no file lines; the CLI sent both, so it names them with their figures: "1
/// replaced an earlier report" left an officer who had typed two news items of one day as two rows to find out which
/// cases were lost (newcomer 21b M1). Each event is read as the server reads it and keyed by the ledgers' own rule
/// (<see cref="SameReport"/>); an intelligence report is replaced by the same source's report naming its id in
/// <c>replaces</c>, whichever of the two was sent first (the server counts both orders, <see cref="IntelChains"/>).
/// </summary>
internal sealed class ReportReplacements
{
    /// <summary>How many replacements are named; the rest are counted.</summary>
    public const int MostNamed = 20;

    private readonly Dictionary<string, Report> _latest = new(StringComparer.Ordinal);

    // Intelligence corrections sent in this run, under the key of the report each names.
    private readonly Dictionary<string, Report> _corrections = new(StringComparer.Ordinal);
    private readonly List<string> _named = [];

    /// <summary>The replacements named, each "b.csv line 3 (id) replaced line 2 (id) …: 3 → 2".</summary>
    public IReadOnlyList<string> Named => _named;

    /// <summary>Replacements within this run found beyond <see cref="MostNamed"/>.</summary>
    public int MoreNotNamed { get; private set; }

    /// <summary>
    /// Notes an accepted batch. Its replacements of an event sent earlier in this run are named when the server counted
    /// at least as many (<paramref name="replaced"/>): an event already accepted before the run is a duplicate and
    /// replaces nothing, so a pair the count does not cover cannot be told from one that is not a replacement.
    /// </summary>
    public void Accepted(IReadOnlyList<SourceEvent> batch, int replaced)
    {
        var pairs = new List<(Report Earlier, Report Later)>();
        foreach (var item in batch)
        {
            if (Report.Of(item) is not { } report)
            {
                continue;
            }

            // The same id is the same event (a duplicate, or a conflict the server names), not a later report.
            if (_latest.TryGetValue(report.Key, out var earlier) && earlier.Id != report.Id)
            {
                pairs.Add((earlier, report));
            }
            else if (report.Replaces is not null && _latest.TryGetValue(report.Replaces, out var named) && !_latest.ContainsKey(report.Key))
            {
                pairs.Add((named, report));
            }
            else if (!_latest.ContainsKey(report.Key) && _corrections.TryGetValue(report.Key, out var correction))
            {
                // The correction came first: the report it names is replaced as it arrives.
                pairs.Add((correction, report));
            }

            _latest[report.Key] = report;
            if (report.Replaces is not null)
            {
                _corrections.TryAdd(report.Replaces, report);
            }
        }

        if (pairs.Count == 0 || pairs.Count > replaced)
        {
            return;
        }

        foreach (var (earlier, later) in pairs)
        {
            if (_named.Count == MostNamed)
            {
                MoreNotNamed++;
                continue;
            }

            var where = earlier.Event.File == later.Event.File
                ? $"line {earlier.Event.Line} ({earlier.Id}), both in this file,"
                : $"{earlier.Event.File} line {earlier.Event.Line} ({earlier.Id})";
            _named.Add(later.Replaces is null && earlier.Replaces is not null
                ? $"{later.Event.File} line {later.Event.Line} ({later.Id}) was already replaced by {where} for {later.Subject}: {Figures(later, earlier)}"
                : $"{later.Event.File} line {later.Event.Line} ({later.Id}) replaced {where} for {later.Subject}: {Figures(earlier, later)}");
        }
    }

    // "3 → 2" for a case's count; else each figure that changed, "cumulativeCases 42853 → 4712"; an intelligence
    // report's correction to confidence 0 is its withdrawal, and says so.
    private static string Figures(Report earlier, Report later)
    {
        if (later.Type == "intel" && later.Figures.GetValueOrDefault("confidence") is { } confidence && double.Parse(confidence, CultureInfo.InvariantCulture) == 0)
        {
            return $"withdrawn (confidence {earlier.Figures.GetValueOrDefault("confidence", "?")} → 0)";
        }

        if (later.Type == "case")
        {
            return $"{earlier.Figures.GetValueOrDefault("count", "?")} → {later.Figures.GetValueOrDefault("count", "?")}";
        }

        var changed = earlier.Figures.Keys.Union(later.Figures.Keys)
            .Where(name => earlier.Figures.GetValueOrDefault(name) != later.Figures.GetValueOrDefault(name))
            .Select(name => $"{name} {earlier.Figures.GetValueOrDefault(name, "none")} → {later.Figures.GetValueOrDefault(name, "none")}")
            .ToList();
        return changed.Count == 0 ? "the same figures" : string.Join(", ", changed);
    }

    private sealed record Report(SourceEvent Event, string Id, string Type, string Key, string Subject, Dictionary<string, string> Figures, string? Replaces = null)
    {
        // The report an event is, read as the server reads it, or null when the parser refuses it (the server refused
        // such an event too, and a refused batch is never noted). An intelligence report is keyed by its entity, source
        // and id, and names the key of the report it replaces.
        public static Report? Of(SourceEvent item)
        {
            var parsed = AcceptedEvents.Parse(item.Json);
            if (parsed.Events is not [var one])
            {
                return null;
            }

            var intel = one.Event as IntelEvent;
            var key = intel is null ? SameReport.Key(one.Event) : $"{intel.Entity}|{SameReport.LedgerKey(intel)}";
            if (key is null)
            {
                return null;
            }

            // The canonical form names the date and classification as sent and holds the figures as the server stored them.
            using var document = JsonDocument.Parse(one.CanonicalJson);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString()!;
            var classification = root.TryGetProperty("classification", out var named) ? named.GetString() : null;
            var origin = (one.Event as CaseEvent)?.Origin;
            var figures = root.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);
            var subject = $"{one.Event.Entity} {root.GetProperty("date").GetString()} {classification ?? type}{(origin is null ? "" : $" from {origin}")}";
            var replaces = intel?.Replaces is { } earlier ? $"{intel.Entity}|{RecordKeys.Intel(intel.Source, earlier)}" : null;
            return new Report(item, one.Event.Id, type, key, subject, figures, replaces);
        }
    }
}
