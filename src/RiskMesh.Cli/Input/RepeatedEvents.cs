namespace RiskMesh.Cli.Input;

/// <summary>
/// Events a file gives twice word for word: the server applies such an event once and counts the repeat among the
/// duplicates, which is harmless but was said nowhere, so a row pasted twice went unnoticed (newcomer 23b, finding 7).
/// </summary>
internal static class RepeatedEvents
{
    /// <summary>How many repeats of a file are named before the rest are counted.</summary>
    internal const int Named = 3;

    /// <summary>One line per repeat, naming the line it repeats (the first few, then how many more), or none.</summary>
    public static IReadOnlyList<string> Notes(IReadOnlyList<SourceEvent> events)
    {
        var first = new Dictionary<(string File, string Json), int>();
        var notes = new List<string>();
        var more = 0;
        foreach (var item in events)
        {
            if (!first.TryAdd((item.File, item.Json), item.Line))
            {
                if (notes.Count < Named)
                {
                    notes.Add($"  {item.File} line {item.Line}: the same event as line {first[(item.File, item.Json)]}, word for word: RiskMesh takes it once and counts this line among the duplicates");
                }
                else
                {
                    more++;
                }
            }
        }

        if (more > 0)
        {
            notes.Add($"  {events[0].File}: … and {more} more {(more == 1 ? "line repeating" : "lines repeating")} an earlier one word for word");
        }

        return notes;
    }
}
