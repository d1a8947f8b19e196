using System.Collections.Immutable;

namespace RiskMesh.Scoring.Topologies;

/// <summary>
/// The cities whose score inputs a topology replacement changed, so that they evaluate again at once instead of at their
/// next event or the daily evaluation.
/// </summary>
/// <remarks>
/// What a city's score and escalation read from the topology: its population, the set of its ports and, through each
/// port's score, the port's faced countries, its nominal daily inbound (its own figure or its kind's default) and the
/// populations of the countries it faces. Names, coordinates, a city's province and the order of entries are not read
/// by any score (names appear only in texts), so changing them re-evaluates nobody. A city new to the topology is
/// evaluated too: even a city of new ports can be high at once, since a new port facing a country in an outbreak scores
/// from that country's incidence and its own nominal traffic. A bulk install of a new world may leave new cities of new
/// ports out (<c>newCities: false</c>), so it does not activate every grain it adds; those decide at their first event
/// or the daily evaluation.
/// </remarks>
public static class TopologyChanges
{
    /// <summary>
    /// The ids of the cities of <paramref name="after"/> whose score inputs differ from <paramref name="before"/>, in
    /// document order: with <paramref name="newCities"/>, every city new to the topology; without, only a new city that
    /// takes a port of <paramref name="before"/> (that port may carry a score).
    /// </summary>
    public static ImmutableArray<string> CitiesToReevaluate(Topology before, Topology after, bool newCities = true)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var countriesChanged = CountriesWhosePopulationChanged(before, after);
        var cities = ImmutableArray.CreateBuilder<string>();
        foreach (var city in after.Cities)
        {
            var ports = after.PortsOfCity(city.Id);
            var changed = before.TryGetCity(city.Id, out var previous)
                ? previous.Population != city.Population || PortsChanged(before, after, city.Id, ports, countriesChanged)
                : newCities || ports.Any(p => before.TryGetPort(p.Id, out _));
            if (changed)
            {
                cities.Add(city.Id);
            }
        }

        return cities.ToImmutable();
    }

    private static bool PortsChanged(Topology before, Topology after, string city, ImmutableArray<PortInfo> ports, HashSet<string> countriesChanged)
    {
        var previous = before.PortsOfCity(city);
        if (previous.Length != ports.Length)
        {
            return true;
        }

        foreach (var port in ports)
        {
            if (!before.TryGetPort(port.Id, out var old)
                || old.City != port.City
                || old.NominalInboundPerDay != port.NominalInboundPerDay
                || old.NominalInboundIsDefault != port.NominalInboundIsDefault
                || !SameSet(old.Faces, port.Faces)
                || port.Faces.Any(countriesChanged.Contains))
            {
                return true;
            }
        }

        return false;
    }

    // A country's score reads its population; one added to the topology gains it. One left out needs no entry here: a
    // valid topology has no port facing a country it does not list, so every port that faced it faces otherwise now.
    private static HashSet<string> CountriesWhosePopulationChanged(Topology before, Topology after)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var country in after.Countries)
        {
            if (!before.TryGetCountry(country.Code, out var old) || old.Population != country.Population)
            {
                changed.Add(country.Code);
            }
        }

        return changed;
    }

    private static bool SameSet(ImmutableArray<string> left, ImmutableArray<string> right) =>
        left.Length == right.Length && left.ToHashSet(StringComparer.Ordinal).SetEquals(right);
}
