namespace RiskMesh.Scoring.Text;

/// <summary>
/// What a mistyped name most likely meant, among the names that exist: the one home of "did you mean" for ids
/// (ports, cities, provinces) and query parameter names. Pure and called only when something is refused, so a
/// name that is right costs nothing.
/// </summary>
public static class Suggestions
{
    /// <summary>The most edits a name may be from the one suggested (fewer for short names: one per two letters).</summary>
    public const int MaxDistance = 2;

    /// <summary>
    /// The name <paramref name="given"/> most likely meant: first one with the same letters but for case, '_' and '-'
    /// (<c>Suifenhe</c> → <c>suifenhe</c>); else the nearest within <see cref="MaxDistance"/> edits (<c>ruilli</c> →
    /// <c>ruili</c>); else the nearest whose part before its first '-' is the given name's (<c>ruili-road</c> →
    /// <c>ruili</c>, <c>suifenhe-bridge</c> → <c>suifenhe-rail</c>). Null when nothing is close; ties go to the
    /// name listed first.
    /// </summary>
    public static string? Closest(string given, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(names);
        var plain = Plain(given);
        var head = Head(given);
        string? near = null;
        var nearDistance = MaxDistance + 1;
        string? sharing = null;
        var sharingDistance = int.MaxValue;
        foreach (var name in names)
        {
            var other = Plain(name);
            if (other == plain)
            {
                return name;
            }

            // Two edits turn any short name into any other ("x" into "to"): the edits allowed grow with the names,
            // one for every two letters of the longer, at most MaxDistance (review 13 L1).
            var distance = Distance(plain, other);
            if (distance < nearDistance && Near(plain, other, distance))
            {
                (near, nearDistance) = (name, distance);
            }

            if (head.Length > 0 && string.Equals(Head(name), head, StringComparison.OrdinalIgnoreCase) && distance < sharingDistance)
            {
                (sharing, sharingDistance) = (name, distance);
            }
        }

        return near ?? sharing;
    }

    /// <summary>
    /// "; did you mean 'x'?" when a name is close (<see cref="Closest"/>), else an empty string: the end of a refusal.
    /// When the name is close only by its part before the first '-', every name sharing that part is offered, nearest
    /// first ("heihe-port": 'heihe-road' or 'heihe-river'): picking one of them was arbitrary (newcomer 23b, finding 7).
    /// </summary>
    public static string DidYouMean(string given, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var listed = names as IReadOnlyCollection<string> ?? [.. names];
        if (Closest(given, listed) is not { } meant)
        {
            return "";
        }

        var head = Head(given);
        var sharing = listed
            .Where(n => head.Length > 0 && string.Equals(Head(n), head, StringComparison.OrdinalIgnoreCase))
            .OrderBy(n => Distance(Plain(given), Plain(n)))
            .Take(MaxOffered)
            .ToList();
        var plain = Plain(given);
        var byHeadOnly = !Near(plain, Plain(meant), Distance(plain, Plain(meant)));
        return byHeadOnly && sharing.Count > 1
            ? $"; did you mean {string.Join(", ", sharing.Take(sharing.Count - 1).Select(n => $"'{n}'"))} or '{sharing[^1]}'?"
            : $"; did you mean '{meant}'?";
    }

    // How many names sharing a head are offered at most: a city's ports, seldom more than three.
    private const int MaxOffered = 4;

    // Within the edits allowed: at most MaxDistance, and one for every two letters of the longer name.
    private static bool Near(string plain, string other, int distance) =>
        distance <= MaxDistance && distance <= Math.Max(1, Math.Max(plain.Length, other.Length) / 2);

    private static string Plain(string name) => new([.. name.Where(c => c is not ('_' or '-')).Select(char.ToLowerInvariant)]);

    // The part before the first '-' ("ruili" of "ruili-road"); the whole name when it has none.
    private static string Head(string name) => name.IndexOf('-', StringComparison.Ordinal) is var dash and > 0 ? name[..dash] : name;

    // Levenshtein distance over two short names.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
