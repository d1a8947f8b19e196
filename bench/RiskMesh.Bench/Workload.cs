using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Bench;

/// <summary>A generated world (ports, cities, all ISO countries) and NDJSON batches of a realistic event mix over it.</summary>
public sealed class Workload : IEntityDirectory
{
    /// <summary>The replay date the host's clock is set to; event dates fall in the 20 days before it.</summary>
    public static readonly DateOnly Today = new(2020, 4, 20);

    private const int Provinces = 32;
    private static readonly string[] Classifications = ["imported-confirmed", "imported-asymptomatic"];
    private static readonly string[] CityClassifications = ["local-confirmed", "local-asymptomatic", "severe"];

    private readonly string[] _faced;

    private Workload(string[] countries, int ports, int cities, string[] faced)
    {
        _faced = faced;
        Countries = countries;
        Ports = new Names("bench-port-", ports);
        Cities = new Names("bench-city-", cities);
    }

    /// <summary>Every ISO country code (valid without topology).</summary>
    public string[] Countries { get; }

    /// <summary>
    /// Generated port slugs (<c>bench-port-0</c>…), each made when read: the bench measures a host in its own process,
    /// and 50,000 kept slugs with a set to look them up were about 5 MB of the host's measured memory.
    /// </summary>
    public Names Ports { get; }

    /// <summary>Generated city slugs (<c>bench-city-0</c>…), each made when read.</summary>
    public Names Cities { get; }

    /// <summary>How many distinct entities the events touch.</summary>
    public int EntityCount => Countries.Length + Ports.Count + Cities.Count;

    /// <summary>
    /// A world of about <paramref name="entities"/> entities: all countries, the rest split between ports and cities;
    /// ports face <paramref name="facedCountries"/> distinct countries in turn (0: all of them, about 20 ports each).
    /// </summary>
    public static Workload Create(int entities, int facedCountries)
    {
        var countries = IsoCountries.All.Select(c => c.Code).ToArray();
        var sites = Math.Max(2, entities - countries.Length);
        var faced = facedCountries <= 0 ? countries : countries.Take(facedCountries).ToArray();
        return new Workload(countries, sites / 2, sites - (sites / 2), faced);
    }

    /// <summary>
    /// The GET paths of every port, city and country, as <c>bench/wrk/run.sh</c> reads them from a topology; each made
    /// when read (the bench's process is the host's, so 100,000 kept paths, 8 MB, counted in the host's memory).
    /// </summary>
    public IReadOnlyList<string> GetPaths() => new Paths(this);

    /// <inheritdoc />
    public bool IsKnownPort(string id) => Ports.Contains(id);

    /// <inheritdoc />
    public bool IsKnownCity(string id) => Cities.Contains(id);

    /// <inheritdoc />
    public bool TryNormalizeCountry(string input, out string code)
    {
        code = input.ToUpperInvariant();
        return IsoCountries.Contains(code);
    }

    /// <summary>The host's topology with the generated provinces, cities and ports appended.</summary>
    public string ExtendTopology(string currentJson)
    {
        var root = JsonNode.Parse(currentJson)!.AsObject();
        var countries = root["countries"]!.AsArray();
        var known = countries.Select(c => (string?)c!["code"]).ToHashSet(StringComparer.Ordinal);
        foreach (var country in IsoCountries.All.Where(c => _faced.Contains(c.Code) && !known.Contains(c.Code)))
        {
            countries.Add(new JsonObject { ["code"] = country.Code, ["name"] = country.Name, ["population"] = country.Population ?? 1_000_000 });
        }

        var provinces = root["provinces"]!.AsArray();
        for (var p = 0; p < Provinces; p++)
        {
            provinces.Add(new JsonObject { ["id"] = $"bench-province-{p}", ["name"] = $"Bench province {p}", ["population"] = 20_000_000 });
        }

        var cities = root["cities"]!.AsArray();
        for (var c = 0; c < Cities.Count; c++)
        {
            cities.Add(new JsonObject { ["id"] = Cities[c], ["name"] = $"Bench city {c}", ["province"] = $"bench-province-{c % Provinces}", ["population"] = 50_000 + (c % 97 * 1000) });
        }

        var ports = root["ports"]!.AsArray();
        for (var p = 0; p < Ports.Count; p++)
        {
            ports.Add(new JsonObject
            {
                ["id"] = Ports[p],
                ["name"] = $"Bench port {p}",
                ["kind"] = "road",
                ["city"] = Cities[p % Cities.Count],
                ["faces"] = new JsonArray(FaceOf(p)),
            });
        }

        return root.ToJsonString();
    }

    /// <summary>
    /// NDJSON batches of <paramref name="batchSize"/> events: every entity is touched once first (so all of them are
    /// activated), then entities are drawn at random; ids carry <paramref name="idPrefix"/> so separate runs do not collide.
    /// </summary>
    public List<byte[]> Batches(int events, int batchSize, string idPrefix, int seed)
    {
        var random = new Random(seed);
        var all = Countries.Select(c => ('c', c)).Concat(Ports.Select(p => ('p', p))).Concat(Cities.Select(c => ('t', c))).ToArray();
        var batches = new List<byte[]>();
        var text = new StringBuilder();
        var inBatch = 0;
        for (var i = 0; i < events; i++)
        {
            var pick = i < all.Length ? i : random.Next(all.Length);
            var (kind, id) = all[pick];
            var origin = kind == 'p' ? FaceOf(pick - Countries.Length) : Countries[random.Next(Countries.Length)];
            AppendEvent(text, random, kind, id, origin, $"{idPrefix}-{i}");
            if (++inBatch == batchSize)
            {
                batches.Add(Encoding.UTF8.GetBytes(text.ToString()));
                text.Clear();
                inBatch = 0;
            }
        }

        if (inBatch > 0)
        {
            batches.Add(Encoding.UTF8.GetBytes(text.ToString()));
        }

        return batches;
    }

    private string FaceOf(int port) => _faced[port % _faced.Length];

    private static void AppendEvent(StringBuilder text, Random random, char kind, string entity, string origin, string id)
    {
        var date = Today.AddDays(-random.Next(20)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var roll = random.Next(10);
        var json = kind switch
        {
            'c' when roll < 8 => $$"""{"id":"{{id}}","type":"country-cases","country":"{{entity}}","date":"{{date}}","newCases":{{random.Next(5000)}},"tests":{{random.Next(100_000)}},"positivity":0.0{{random.Next(10)}},"source":"bench"}""",
            'c' => $$"""{"id":"{{id}}","type":"intel","subject":"country:{{entity}}","date":"{{date}}","severity":{{1 + random.Next(5)}},"confidence":0.{{random.Next(10)}},"category":"outbreak","summary":"cluster reported near the border"}""",
            'p' when roll < 5 => $$"""{"id":"{{id}}","type":"traffic","port":"{{entity}}","date":"{{date}}","inbound":{{1000 + random.Next(1000)}},"origins":{"{{origin}}":{{random.Next(1000)}}},"source":"bench"}""",
            'p' when roll < 9 => $$"""{"id":"{{id}}","type":"case","location":"port:{{entity}}","date":"{{date}}","count":{{random.Next(20)}},"classification":"{{Classifications[random.Next(2)]}}","origin":"{{origin}}","source":"bench"}""",
            'p' => $$"""{"id":"{{id}}","type":"capacity","subject":"port:{{entity}}","date":"{{date}}","testsPerDay":{{random.Next(5000)}},"testTurnaroundHours":{{6 + random.Next(40)}},"testKits":{{random.Next(50_000)}},"source":"bench"}""",
            _ when roll < 8 => $$"""{"id":"{{id}}","type":"case","location":"city:{{entity}}","date":"{{date}}","count":{{random.Next(30)}},"classification":"{{CityClassifications[random.Next(3)]}}","source":"bench"}""",
            _ => $$"""{"id":"{{id}}","type":"capacity","subject":"city:{{entity}}","date":"{{date}}","labs":{{random.Next(10)}},"technicians":{{random.Next(200)}},"isolationBeds":{{random.Next(2000)}},"source":"bench"}""",
        };
        text.Append(json).Append('\n');
    }

    // Ports, then cities, then countries, as the list of kept strings had them.
    private sealed class Paths(Workload world) : IReadOnlyList<string>
    {
        public int Count => world.Ports.Count + world.Cities.Count + world.Countries.Length;

        public string this[int index] => index switch
        {
            < 0 => throw new ArgumentOutOfRangeException(nameof(index)),
            var i when i < world.Ports.Count => $"/api/v1/ports/{world.Ports[i]}",
            var i when i < world.Ports.Count + world.Cities.Count => $"/api/v1/cities/{world.Cities[i - world.Ports.Count]}",
            var i => $"/api/v1/countries/{world.Countries[i - world.Ports.Count - world.Cities.Count]}",
        };

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The slugs <c>{prefix}0</c> to <c>{prefix}{count - 1}</c>, each made when read.</summary>
    public sealed class Names(string prefix, int count) : IReadOnlyList<string>
    {
        /// <inheritdoc />
        public int Count => count;

        /// <inheritdoc />
        public string this[int index] => (uint)index < (uint)count
            ? prefix + index.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(index), index, $"{count} names");

        /// <summary>True for exactly the slugs this list gives (no sign, no leading zero).</summary>
        public bool Contains(string id) =>
            id.StartsWith(prefix, StringComparison.Ordinal)
            && id.Length > prefix.Length
            && (id[prefix.Length] != '0' || id.Length == prefix.Length + 1)
            && int.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && i < count;

        /// <inheritdoc />
        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
