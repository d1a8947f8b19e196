using System.Collections.Immutable;

namespace RiskMesh.Scoring.Topologies;

/// <summary>
/// What a replacement topology would leave out of the one in force: entities whose cases, scores, notices, plans and
/// webhooks would no longer be reachable. Replacing a topology with <c>{}</c> must not silently remove every city.
/// </summary>
/// <param name="Countries">Country codes left out.</param>
/// <param name="Provinces">Province ids left out.</param>
/// <param name="Cities">City ids left out.</param>
/// <param name="Ports">Port ids left out.</param>
public sealed record TopologyRemovals(
    ImmutableArray<string> Countries,
    ImmutableArray<string> Provinces,
    ImmutableArray<string> Cities,
    ImmutableArray<string> Ports)
{
    /// <summary>How many ids are named in a summary before the rest is counted.</summary>
    private const int NamedInSummary = 10;

    /// <summary>True when nothing would be left out.</summary>
    public bool IsEmpty => Countries.IsEmpty && Provinces.IsEmpty && Cities.IsEmpty && Ports.IsEmpty;

    /// <summary>The entities of <paramref name="current"/> that <paramref name="next"/> does not declare, each kind in order.</summary>
    public static TopologyRemovals Between(TopologyDocument current, TopologyDocument next)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        return new TopologyRemovals(
            Missing(current.Countries, next.Countries, c => c.Code),
            Missing(current.Provinces, next.Provinces, p => p.Id),
            Missing(current.Cities, next.Cities, c => c.Id),
            Missing(current.Ports, next.Ports, p => p.Id));
    }

    /// <summary>One sentence naming what would be left out, e.g. "2 cities (dongxing, ruili) and 5 ports (…)".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        Add(parts, Cities, "city", "cities");
        Add(parts, Ports, "port", "ports");
        Add(parts, Provinces, "province", "provinces");
        Add(parts, Countries, "country", "countries");
        return parts.Count switch
        {
            0 => "nothing",
            1 => parts[0],
            _ => $"{string.Join(", ", parts[..^1])} and {parts[^1]}",
        };
    }

    private static void Add(List<string> parts, ImmutableArray<string> ids, string one, string many)
    {
        if (ids.IsEmpty)
        {
            return;
        }

        var named = string.Join(", ", ids.Take(NamedInSummary));
        var more = ids.Length > NamedInSummary ? $", … {ids.Length - NamedInSummary} more" : string.Empty;
        parts.Add($"{ids.Length} {(ids.Length == 1 ? one : many)} ({named}{more})");
    }

    private static ImmutableArray<string> Missing<T>(ImmutableArray<T> current, ImmutableArray<T> next, Func<T, string> key)
    {
        var kept = (next.IsDefault ? [] : next).Select(key).ToHashSet(StringComparer.Ordinal);
        return [.. (current.IsDefault ? [] : current).Select(key).Where(id => !kept.Contains(id)).Order(StringComparer.Ordinal)];
    }
}
