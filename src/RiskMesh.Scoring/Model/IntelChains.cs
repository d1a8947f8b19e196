namespace RiskMesh.Scoring.Model;

/// <summary>
/// Intelligence reports linked by <c>replaces</c> into chains. Each report is kept under its own (source, id); a chain
/// (reports of one source joined by their <c>replaces</c>) counts once, by its head: the latest report by journal
/// sequence that no report of the chain replaces. On a day assessed, only the reports dated up to it are the chain: a
/// correction or withdrawal dated later had not been sent, and the report it names was in force that day. What counts
/// depends only on the set of reports and the day, so any arrival order,
/// a replay from the journal and a fold onto a checkpoint give the same answer: a correction sent before the report it
/// names still takes its place, and two corrections of one report still count once.
/// </summary>
public static class IntelChains
{
    /// <summary>
    /// The reports that count on a day, in the order of the keys naming their chains ((source, id) of the first report):
    /// every report when none replaces another, else each chain's head among its reports dated up to the day (a
    /// withdrawal dated after the day leaves the report it withdraws in force that day, newcomer 22). Reports dated after
    /// the day may be among them; they weigh nothing on it (<see cref="Scales.IntelPressure"/>).
    /// </summary>
    public static IReadOnlyCollection<IntelRecord> Counted(Dictionary<string, IntelRecord>? intel, int day = int.MaxValue)
    {
        if (intel is null)
        {
            return [];
        }

        if (!AnyCorrection(intel))
        {
            // Each report is a chain of its own, named by its key: in the keys' order, as below, not the order the
            // reports arrived in (a dictionary's), so the sum's last bits and the strongest of equal weights are the
            // same however they arrived (stryker 22).
            return intel.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToList();
        }

        var replaced = ReplacedKeys(intel, day);
        var heads = new Dictionary<string, (string Key, IntelRecord Record)>(StringComparer.Ordinal);
        var fallback = new Dictionary<string, (string Key, IntelRecord Record)>(StringComparer.Ordinal);
        foreach (var (key, record) in intel)
        {
            if (record.Day > day)
            {
                continue;
            }

            var root = Root(intel, key);
            Keep(replaced.Contains(key) ? fallback : heads, root, key, record);
        }

        // A chain whose every report is replaced by another is a loop (a replaces b, b replaces a): its latest report counts.
        foreach (var (root, latest) in fallback)
        {
            heads.TryAdd(root, latest);
        }

        // In the chains' order, not the order they arrived in, so the sum is the same to the last bit.
        return heads.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Value.Record).ToList();
    }

    /// <summary>
    /// The reports without those of chains wholly older than a day: a chain goes only when all its reports do, so a
    /// pruned correction never brings back the report it replaced.
    /// </summary>
    public static Dictionary<string, IntelRecord>? PruneBefore(Dictionary<string, IntelRecord> intel, int day)
    {
        var keptRoots = intel.Where(p => p.Value.Day >= day).Select(p => Root(intel, p.Key)).ToHashSet(StringComparer.Ordinal);
        foreach (var key in intel.Keys.Where(key => !keptRoots.Contains(Root(intel, key))).ToList())
        {
            intel.Remove(key);
        }

        return intel.Count > 0 ? intel : null;
    }

    /// <summary>True when a report names one that is held: its arrival replaced it, whichever came first.</summary>
    public static bool Meets(Dictionary<string, IntelRecord> intel, string key, IntelRecord record)
    {
        if (record.Replaces is { } earlier && intel.ContainsKey(RecordKeys.Intel(SourceOf(key, record), earlier)))
        {
            return true;
        }

        var source = SourceOf(key, record);
        foreach (var (otherKey, other) in intel)
        {
            if (string.Equals(other.Replaces, record.Id, StringComparison.Ordinal) && string.Equals(SourceOf(otherKey, other), source, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The source a record is held under (its key's, before the last '|', for a record stored without it).</summary>
    public static string SourceOf(string key, IntelRecord record) => record.Source ?? key[..Math.Max(0, key.LastIndexOf('|'))];

    /// <summary>True when any report names one it corrects.</summary>
    public static bool AnyCorrection(Dictionary<string, IntelRecord> intel)
    {
        foreach (var record in intel.Values)
        {
            if (record.Replaces is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The key of the report a record replaces, when it is held.</summary>
    private static string? Target(Dictionary<string, IntelRecord> intel, string key)
    {
        var record = intel[key];
        if (record.Replaces is not { } earlier)
        {
            return null;
        }

        var target = RecordKeys.Intel(SourceOf(key, record), earlier);
        return intel.ContainsKey(target) ? target : null;
    }

    // The keys of the reports replaced by a report dated up to the day.
    private static HashSet<string> ReplacedKeys(Dictionary<string, IntelRecord> intel, int day)
    {
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, record) in intel)
        {
            if (record.Day <= day && Target(intel, key) is { } target)
            {
                replaced.Add(target);
            }
        }

        return replaced;
    }

    /// <summary>
    /// The key naming the chain: its first report's, reached by following <c>replaces</c>; for a loop, its least key, so
    /// every report of the loop names the same one.
    /// </summary>
    private static string Root(Dictionary<string, IntelRecord> intel, string key)
    {
        var seen = new List<string>();
        var current = key;
        while (Target(intel, current) is { } target)
        {
            seen.Add(current);
            var loop = seen.IndexOf(target);
            if (loop >= 0)
            {
                return seen.Skip(loop).Min(StringComparer.Ordinal)!;
            }

            current = target;
        }

        // A chain whose first report is not held (not yet arrived, pruned, or gone with the state of the first
        // corrections) is named by that report: two corrections of it count once before it arrives as after.
        return intel[current].Replaces is { } earlier ? RecordKeys.Intel(SourceOf(current, intel[current]), earlier) : current;
    }

    private static void Keep(Dictionary<string, (string Key, IntelRecord Record)> latest, string root, string key, IntelRecord record)
    {
        if (!latest.TryGetValue(root, out var held) || record.Seq > held.Record.Seq
            || (record.Seq == held.Record.Seq && string.CompareOrdinal(key, held.Key) > 0))
        {
            latest[root] = (key, record);
        }
    }
}
