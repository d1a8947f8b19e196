using System.Collections.Immutable;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Topologies;

/// <summary>Checks a <see cref="TopologyDocument"/>'s content: keys, references, names and populations.</summary>
public static class TopologyValidator
{
    /// <summary>
    /// Returns every problem found, each a sentence naming the entity and field, e.g.
    /// <c>port 'suifenhe-rail': city 'suifenhe' is not a city in the topology</c>; empty when the document is valid.
    /// </summary>
    public static IReadOnlyList<string> Validate(TopologyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<string>();
        var countries = CheckCountries(OrEmpty(document.Countries), problems);
        var provinces = CheckProvinces(OrEmpty(document.Provinces), problems);
        var cities = CheckCities(OrEmpty(document.Cities), provinces, problems);
        CheckPorts(OrEmpty(document.Ports), cities, countries, problems);
        return problems;
    }

    private static HashSet<string> CheckCountries(ImmutableArray<CountryInfo> countries, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var country in countries)
        {
            var label = $"country '{country.Code}'";
            if (!IsoCountries.Contains(country.Code))
            {
                problems.Add($"{label}: '{country.Code}' is not an assigned ISO 3166-1 alpha-2 code (two upper-case letters, e.g. RU)");
            }
            else if (!seen.Add(country.Code))
            {
                problems.Add($"{label}: duplicate country code; each country may be listed once");
            }

            CheckName(label, country.Name, problems);
            CheckPopulation(label, country.Population, problems);
        }

        return seen;
    }

    private static HashSet<string> CheckProvinces(ImmutableArray<ProvinceInfo> provinces, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var province in provinces)
        {
            var label = $"province '{province.Id}'";
            CheckId(label, province.Id, "province", seen, problems);
            CheckName(label, province.Name, problems);
            if (province.Population is { } population)
            {
                CheckPopulation(label, population, problems);
            }
        }

        return seen;
    }

    private static HashSet<string> CheckCities(ImmutableArray<CityInfo> cities, HashSet<string> provinces, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var city in cities)
        {
            var label = $"city '{city.Id}'";
            CheckId(label, city.Id, "city", seen, problems);
            CheckName(label, city.Name, problems);
            if (!provinces.Contains(city.Province))
            {
                problems.Add($"{label}: unknown province '{city.Province}' (not a province in the topology)");
            }

            CheckPopulation(label, city.Population, problems);
            CheckCoordinates(label, city.Lat, city.Lon, problems);
        }

        return seen;
    }

    private static void CheckPorts(ImmutableArray<PortInfo> ports, HashSet<string> cities, HashSet<string> countries, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var port in ports)
        {
            var label = $"port '{port.Id}'";
            CheckId(label, port.Id, "port", seen, problems);
            CheckName(label, port.Name, problems);
            if (!Enum.IsDefined(port.Kind))
            {
                problems.Add($"{label}: kind {(int)port.Kind} is not a port kind (expected road, rail, air, sea or river)");
            }

            if (port.NominalInbound is < 0)
            {
                problems.Add($"{label}: nominalInbound {port.NominalInbound} is negative (travellers a day, 0 or more)");
            }

            if (!cities.Contains(port.City))
            {
                problems.Add($"{label}: unknown city '{port.City}' (not a city in the topology)");
            }

            CheckCoordinates(label, port.Lat, port.Lon, problems);
            var faces = OrEmpty(port.Faces);
            if (faces.IsEmpty)
            {
                problems.Add($"{label}: faces no country; list the ISO codes of the countries travellers arrive from");
            }

            var faced = new HashSet<string>(StringComparer.Ordinal);
            foreach (var code in faces)
            {
                if (!IsoCountries.Contains(code))
                {
                    problems.Add($"{label}: faces '{code}', which is not an assigned ISO 3166-1 alpha-2 code");
                }
                else if (!countries.Contains(code))
                {
                    problems.Add($"{label}: faces unknown country '{code}' (add it to the topology's countries)");
                }
                else if (!faced.Add(code))
                {
                    problems.Add($"{label}: faces '{code}' more than once");
                }
            }
        }
    }

    private static void CheckId(string label, string id, string entity, HashSet<string> seen, List<string> problems)
    {
        if (!EntityKeys.IsValidSlug(id))
        {
            problems.Add($"{label}: '{id}' is not a valid slug (lower-case letters and digits in hyphen-separated words, at most {EntityKeys.MaxSlugLength} characters)");
        }
        else if (!seen.Add(id))
        {
            problems.Add($"{label}: duplicate {entity} id; each {entity} may be listed once");
        }
    }

    private static void CheckName(string label, string name, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{label}: name is missing");
        }
    }

    private static void CheckCoordinates(string label, double? lat, double? lon, List<string> problems)
    {
        // A place is on the map with both coordinates or not at all: half a position would be drawn somewhere wrong.
        if (lat.HasValue != lon.HasValue)
        {
            problems.Add($"{label}: give both lat and lon, or neither");
        }

        if (lat is { } latitude && !(latitude is >= -90 and <= 90))
        {
            problems.Add($"{label}: lat must be between -90 and 90 degrees, but is {latitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }

        if (lon is { } longitude && !(longitude is >= -180 and <= 180))
        {
            problems.Add($"{label}: lon must be between -180 and 180 degrees, but is {longitude.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static void CheckPopulation(string label, long population, List<string> problems)
    {
        if (population <= 0)
        {
            problems.Add($"{label}: population must be greater than zero, but is {population}");
        }
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;
}
