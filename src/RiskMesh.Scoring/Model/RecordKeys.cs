using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// The composite keys ledgers file their records under, one string for each distinct key as far as a small table
/// remembers. The same (source, day, classification, origin) recurs in every entity that was told of it: each record
/// kept a copy of its own (about 90 bytes, 10 MB with 100,000 entities active). The table is lossy (a key that meets
/// another in its slot replaces it), so it never grows; a key it forgot is made anew, equal to the one before.
/// </summary>
public static class RecordKeys
{
    // 16,384 slots: 128 KB of references, and at most as many remembered keys, whatever the feed.
    private const int Slots = 1 << 14;

    // Longer keys (an unusually long source name) are made without the table.
    private const int MaxKeyLength = 256;

    private static readonly string?[] Remembered = new string?[Slots];

    /// <summary>
    /// A source as keys hold it: lower case. The parser stores sources in lower case; journal rows written before it did
    /// keep the case they were sent in, and must fold to the same record as the same report sent now.
    /// </summary>
    public static string Source(string source) => source.ToLowerInvariant();

    /// <summary>The key of an intelligence report by source and id.</summary>
    public static string Intel(string source, string id) => $"{Source(source)}|{id}";

    /// <summary>Fields after the source in a <see cref="SourceDay"/> key: the day.</summary>
    public const int FieldsAfterSourceInSourceDay = 1;

    /// <summary>Fields after the source in a <see cref="Cases"/> key: day, classification, origin (none holds a '|').</summary>
    public const int FieldsAfterSourceInCases = 3;

    /// <summary>
    /// A stored key (source, '|', then a known number of fields) with its source in lower case; the same string when it
    /// already is. The source ends at the '|' before the last fields, not at the first '|': sources could hold one once.
    /// </summary>
    public static string WithLowerSource(string key, int fieldsAfterSource)
    {
        // Read at every activation for every key: a key already in lower case (all but the oldest) allocates nothing.
        var end = key.Length;
        for (var field = 0; field < fieldsAfterSource && end > 0; field++)
        {
            end = key.AsSpan(0, end).LastIndexOf('|');
        }

        var source = key.AsSpan(0, Math.Max(0, end));
        foreach (var c in source)
        {
            if (char.ToLowerInvariant(c) != c)
            {
                return Source(source.ToString()) + key[source.Length..];
            }
        }

        return key;
    }

    /// <summary>The key of a report by source and day (capacity, traffic, a country's cases).</summary>
    public static string SourceDay(string source, int day)
    {
        source = Source(source);
        Span<char> key = stackalloc char[MaxKeyLength];
        return key.TryWrite($"{source}|{day}", out var length) ? Shared(key[..length]) : $"{source}|{day}";
    }

    /// <summary>The key of cases by source, day, classification and origin (empty when unknown).</summary>
    public static string Cases(string source, int day, CaseClassification classification, string? origin)
    {
        source = Source(source);
        Span<char> key = stackalloc char[MaxKeyLength];
        return key.TryWrite($"{source}|{day}|{classification}|{origin}", out var length)
            ? Shared(key[..length])
            : $"{source}|{day}|{classification}|{origin}";
    }

    private static string Shared(ReadOnlySpan<char> key)
    {
        ref var slot = ref Remembered[(uint)string.GetHashCode(key) % Slots];
        var remembered = Volatile.Read(ref slot);
        if (remembered is not null && key.SequenceEqual(remembered))
        {
            return remembered;
        }

        var made = new string(key);
        Volatile.Write(ref slot, made);
        return made;
    }
}
