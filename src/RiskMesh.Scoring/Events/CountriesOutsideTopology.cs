using System.Collections.Immutable;
using System.Globalization;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Events;

/// <summary>A country a batch names that the topology does not hold: how many events name it, the first of them, and what to say.</summary>
/// <param name="Country">The ISO code as the events name it.</param>
/// <param name="Events">How many events of the batch name it.</param>
/// <param name="Index">The first such event's index in the batch.</param>
/// <param name="Id">The first such event's id.</param>
/// <param name="Message">The warning, naming the topology's countries.</param>
public sealed record CountryOutsideTopology(string Country, int Events, int Index, string Id, string Message);

/// <summary>
/// The countries an accepted batch names (a <c>country-cases</c> event's country, a <c>country:</c> subject, a case's
/// origin, a traffic event's origins) that the topology does not hold. Any assigned ISO code is accepted and scored: a
/// feed may report any country and travellers come from anywhere (the replays name topology countries only, but tests
/// and benchmarks report others). No port of the topology faces such a country, though, so a typo (FR for RU) landed
/// in silence (newcomer 19, M5): the ingest answer warns of each, naming the topology's countries.
/// </summary>
public static class CountriesOutsideTopology
{
    /// <summary>Countries named at most, one warning each; the rest are summed up in one more.</summary>
    public const int MaxWarnings = 10;

    private const int MaxCodesNamed = 30;

    /// <summary>The warnings for <paramref name="events"/>, in order of first mention; empty when every country is in the topology.</summary>
    public static ImmutableArray<CountryOutsideTopology> Find(IReadOnlyList<ParsedEvent> events, Topology topology)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(topology);
        Dictionary<string, (int Events, int Index, string Id)>? found = null;
        List<string>? order = null;
        foreach (var parsed in events)
        {
            foreach (var code in Named(parsed.Event))
            {
                if (topology.TryGetCountry(code, out _))
                {
                    continue;
                }

                found ??= new(StringComparer.Ordinal);
                order ??= [];
                if (found.TryGetValue(code, out var seen))
                {
                    found[code] = seen with { Events = seen.Events + 1 };
                }
                else
                {
                    found[code] = (1, parsed.Index, parsed.Event.Id);
                    order.Add(code);
                }
            }
        }

        if (found is null || order is null)
        {
            return [];
        }

        var known = topology.Countries.Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
        var listed = known.Count <= MaxCodesNamed
            ? string.Join(", ", known)
            : $"{string.Join(", ", known.Take(MaxCodesNamed))} and {known.Count - MaxCodesNamed} more (GET /api/v1/topology)";
        var its = known.Count == 0 ? "it holds no country" : $"its countries: {listed}";
        var warnings = ImmutableArray.CreateBuilder<CountryOutsideTopology>(Math.Min(order.Count, MaxWarnings + 1));
        foreach (var code in order.Take(MaxWarnings))
        {
            var (count, index, id) = found[code];
            var named = count == 1
                ? $"named by 1 event (index {index}, id {id})"
                : $"named by {count.ToString(CultureInfo.InvariantCulture)} events (the first: index {index}, id {id})";
            warnings.Add(new CountryOutsideTopology(
                code,
                count,
                index,
                id,
                $"country '{code}' is not in the topology ({its}): {named}; accepted and scored, but no port of the topology faces it. If it is a typo, send the event again under a new id with the right code."));
        }

        if (order.Count > MaxWarnings)
        {
            var rest = order.Skip(MaxWarnings).ToList();
            var (_, index, id) = found[rest[0]];
            warnings.Add(new CountryOutsideTopology(
                rest[0],
                rest.Sum(c => found[c].Events),
                index,
                id,
                $"{rest.Count} more countries not in the topology: {string.Join(", ", rest.Take(MaxCodesNamed))}{(rest.Count > MaxCodesNamed ? ", …" : "")}; accepted and scored, but no port of the topology faces them."));
        }

        return warnings.ToImmutable();
    }

    private static IEnumerable<string> Named(RiskEvent risk)
    {
        switch (risk)
        {
            case CountryCasesEvent cases:
                yield return cases.Country;
                break;
            case CaseEvent { Origin: { } origin }:
                yield return origin;
                break;
            case TrafficEvent { Origins: { } origins }:
                foreach (var code in origins.Keys)
                {
                    yield return code;
                }

                break;
            case IntelEvent or CapacityEvent when risk.Entity is { Kind: EntityKind.Country } subject:
                yield return subject.Id;
                break;
        }
    }
}
