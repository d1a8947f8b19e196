namespace RiskMesh.Cli.Input;

/// <summary>
/// Events a file gives twice word for word: the server applies such an event once and counts the repeat among the
/// duplicates, which is harmless but was said nowhere, so a row pasted twice went unnoticed (newcomer 23b, finding 7).
/// </summary>
internal static class RepeatedEvents
{
    /// <summary>How many repeats of a file are named before the rest are counted.</summary>
    internal const int Named = 3;

    /// <summary>
    /// One line per repeat, naming the line it repeats (each file's first few, then how many more of that file), or none.
    /// Said before the server answers, so conditionally: a batch refused for another row takes neither (review 24 L3).
    /// </summary>
    public static IReadOnlyList<string> Notes(IReadOnlyList<SourceEvent> events)
    {
        var notes = new List<string>();
        // Counted and named file by file: a run's other files' repeats are not this file's (review 24 L4).
        foreach (var file in events.GroupBy(e => e.File))
        {
            var first = new Dictionary<string, int>();
            var named = 0;
            var more = 0;
            foreach (var item in file)
            {
                if (first.TryAdd(item.Json, item.Line))
                {
                    continue;
                }

                if (named++ < Named)
                {
                    notes.Add($"  {file.Key} line {item.Line}: the same event as line {first[item.Json]}, word for word: if its batch is accepted, RiskMesh takes it once and counts this line among the duplicates");
                }
                else
                {
                    more++;
                }
            }

            if (more > 0)
            {
                notes.Add($"  {file.Key}: … and {more} more {(more == 1 ? "line repeating" : "lines repeating")} an earlier one word for word");
            }
        }

        return notes;
    }
}
