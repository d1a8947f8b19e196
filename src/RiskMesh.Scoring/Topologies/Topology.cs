using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Topologies;

/// <summary>A validated topology indexed for O(1) lookups by key and by relation.</summary>
public sealed class Topology
{
    private readonly FrozenDictionary<string, CountryInfo> _countries;
    private readonly FrozenDictionary<string, ProvinceInfo> _provinces;
    private readonly FrozenDictionary<string, CityInfo> _cities;
    private readonly FrozenDictionary<string, PortInfo> _ports;
    private readonly FrozenDictionary<string, ImmutableArray<PortInfo>> _portsByFacedCountry;
    private readonly FrozenDictionary<string, ImmutableArray<PortInfo>> _portsByCity;
    private readonly FrozenDictionary<string, ImmutableArray<CityInfo>> _citiesByProvince;

    private Topology(TopologyDocument document)
    {
        Document = document;
        _countries = document.Countries.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
        _provinces = document.Provinces.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        _cities = document.Cities.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        _ports = document.Ports.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        _portsByFacedCountry = document.Ports
            .SelectMany(p => p.Faces, (port, code) => (port, code))
            .GroupBy(x => x.code, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.port).ToImmutableArray(), StringComparer.Ordinal);
        _portsByCity = document.Ports
            .GroupBy(p => p.City, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        _citiesByProvince = document.Cities
            .GroupBy(c => c.Province, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
    }

    /// <summary>The document this topology was built from.</summary>
    public TopologyDocument Document { get; }

    /// <summary>Countries in document order.</summary>
    public ImmutableArray<CountryInfo> Countries => Document.Countries;

    /// <summary>Provinces in document order.</summary>
    public ImmutableArray<ProvinceInfo> Provinces => Document.Provinces;

    /// <summary>Cities in document order.</summary>
    public ImmutableArray<CityInfo> Cities => Document.Cities;

    /// <summary>Ports in document order.</summary>
    public ImmutableArray<PortInfo> Ports => Document.Ports;

    /// <summary>Validates and indexes <paramref name="document"/>.</summary>
    /// <exception cref="TopologyException">The document has problems; the exception lists all of them.</exception>
    public static Topology Create(TopologyDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = TopologyValidator.Validate(document);
        if (problems.Count > 0)
        {
            throw new TopologyException("The topology is not valid", problems);
        }

        // Default arrays are valid input to the validator; indexing wants real (possibly empty) ones.
        var normalised = new TopologyDocument(
            OrEmpty(document.Countries),
            OrEmpty(document.Provinces),
            OrEmpty(document.Cities),
            [.. OrEmpty(document.Ports).Select(p => p.Faces.IsDefault ? p with { Faces = [] } : p)]);
        return new Topology(SharingIds(normalised));
    }

    /// <summary>Parses JSON or YAML text, validates it and indexes it.</summary>
    /// <exception cref="TopologyException">The text is malformed or the topology is not valid.</exception>
    public static Topology Parse(string text) => Create(TopologyParser.Parse(text));

    /// <summary>Finds a country by code; the code is trimmed and upper-cased first, so <c>ru</c> finds <c>RU</c>.</summary>
    public bool TryGetCountry(string? code, [MaybeNullWhen(false)] out CountryInfo country)
    {
        if (EntityKeys.TryNormalizeCountryCode(code, out var normalised))
        {
            return _countries.TryGetValue(normalised, out country);
        }

        country = null;
        return false;
    }

    /// <summary>
    /// A country as people name it: the topology's name ("Russia"), else its ISO 3166 name, else the code itself; what
    /// a country's own view is called and what explanations of the ports its travellers reach say.
    /// </summary>
    public string CountryName(string code) =>
        TryGetCountry(code, out var country) ? country.Name
        : IsoCountries.TryGet(code, out var iso) ? iso.Name
        : code;

    /// <summary>Finds a province by slug.</summary>
    public bool TryGetProvince(string? id, [MaybeNullWhen(false)] out ProvinceInfo province) =>
        TryGet(_provinces, id, out province);

    /// <summary>Finds a city by slug.</summary>
    public bool TryGetCity(string? id, [MaybeNullWhen(false)] out CityInfo city) =>
        TryGet(_cities, id, out city);

    /// <summary>Finds a port by slug.</summary>
    public bool TryGetPort(string? id, [MaybeNullWhen(false)] out PortInfo port) =>
        TryGet(_ports, id, out port);

    /// <summary>Ports that face the given country (empty if none or the code is not valid).</summary>
    public ImmutableArray<PortInfo> PortsFacing(string? countryCode) =>
        EntityKeys.TryNormalizeCountryCode(countryCode, out var code) && _portsByFacedCountry.TryGetValue(code, out var ports)
            ? ports
            : [];

    /// <summary>Ports held by the given city (empty if none or the city is unknown).</summary>
    public ImmutableArray<PortInfo> PortsOfCity(string? cityId) =>
        cityId is not null && _portsByCity.TryGetValue(cityId, out var ports) ? ports : [];

    /// <summary>Cities of the given province (empty if none or the province is unknown).</summary>
    public ImmutableArray<CityInfo> CitiesOfProvince(string? provinceId) =>
        provinceId is not null && _citiesByProvince.TryGetValue(provinceId, out var cities) ? cities : [];

    /// <summary>
    /// The document with each reference to a province, city or country (a city's province, a port's city and faced
    /// countries) the very string of the entry it names: parsed, each was a string of its own, about 7 MB of copies in
    /// a topology of 100,000 entities, held as long as the topology is in force. Equal values, so nothing else changes.
    /// </summary>
    private static TopologyDocument SharingIds(TopologyDocument document)
    {
        var provinces = Ids(document.Provinces.Select(p => p.Id));
        var countries = Ids(document.Countries.Select(c => c.Code));
        var cities = document.Cities
            .Select(c => provinces.TryGetValue(c.Province, out var id) && !ReferenceEquals(id, c.Province) ? c with { Province = id } : c)
            .ToImmutableArray();
        var cityIds = Ids(cities.Select(c => c.Id));
        var ports = document.Ports.Select(p =>
        {
            var city = cityIds.TryGetValue(p.City, out var id) ? id : p.City;
            var faces = p.Faces.Any(code => countries.TryGetValue(code, out var shared) && !ReferenceEquals(shared, code))
                ? p.Faces.Select(code => countries.TryGetValue(code, out var shared) ? shared : code).ToImmutableArray()
                : p.Faces;
            return ReferenceEquals(city, p.City) && faces == p.Faces ? p : p with { City = city, Faces = faces };
        }).ToImmutableArray();
        return document with { Cities = cities, Ports = ports };

        static Dictionary<string, string> Ids(IEnumerable<string> ids)
        {
            var byValue = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in ids)
            {
                byValue.TryAdd(id, id);
            }

            return byValue;
        }
    }

    private static bool TryGet<T>(FrozenDictionary<string, T> index, string? key, [MaybeNullWhen(false)] out T value)
    {
        if (key is null)
        {
            value = default;
            return false;
        }

        return index.TryGetValue(key, out value);
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;
}
