using System.Collections.Immutable;
using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>
/// How the warnings of countries outside the topology name the topology's countries and sum up the rest, at the
/// limits of those lists (what <see cref="CountriesOutsideTopologyTests"/> leaves out: a topology of no country or of
/// more than 30, more than 40 countries outside it).
/// </summary>
public sealed class CountriesOutsideTopologyListsTests
{
    private static readonly Topology China = DefaultTopology.Load();

    // Assigned codes in order, none a country of the default topology.
    private static readonly ImmutableArray<string> Codes = [.. IsoCountries.All.Select(c => c.Code).Where(c => !China.TryGetCountry(c, out _))];

    [Fact]
    public void Find_ATopologyOfNoCountry_SaysItHoldsNone()
    {
        var warning = Assert.Single(CountriesOutsideTopology.Find(Cases("RU"), Topology.Create(new TopologyDocument([], [], [], []))));

        Assert.Equal(
            "country 'RU' is not in the topology (it holds no country): named by 1 event (index 0, id RU); accepted and scored, but no port of the topology faces it. If it is a typo, send the event again under a new id with the right code.",
            warning.Message);
    }

    [Theory]
    [InlineData(30, "")]
    [InlineData(31, " and 1 more (GET /api/v1/topology)")]
    public void Find_ATopologyOfManyCountries_NamesThirtyAndCountsTheRest(int countries, string rest)
    {
        var held = Codes.Take(countries).ToList();
        var topology = Topology.Create(new TopologyDocument([.. held.Select(c => new CountryInfo(c, c, 1000))], [], [], []));

        var warning = Assert.Single(CountriesOutsideTopology.Find(Cases("RU"), topology));

        Assert.Contains($"(its countries: {string.Join(", ", held.Take(30))}{rest}):", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40, "")]
    [InlineData(41, ", …")]
    public void Find_MoreThanFortyCountriesOutside_SumsUpTheRestNamingThirtyOfThem(int outside, string more)
    {
        var codes = Codes.Take(outside).ToList();
        // The first code outside is named twice, the eleventh (the first summed up) three times.
        var events = Cases([codes[0], .. codes, codes[10], codes[10]]);

        var warnings = CountriesOutsideTopology.Find(events, China);

        Assert.Equal(CountriesOutsideTopology.MaxWarnings + 1, warnings.Length);
        Assert.Equal(2, warnings[0].Events);
        var summary = warnings[^1];
        Assert.Equal((codes[10], outside - 10 + 2, 11, codes[10]), (summary.Country, summary.Events, summary.Index, summary.Id));
        Assert.Equal(
            $"{outside - 10} more countries not in the topology: {string.Join(", ", codes.Skip(10).Take(30))}{more}; accepted and scored, but no port of the topology faces them.",
            summary.Message);
    }

    [Fact]
    public void Find_ExactlyTenCountriesOutside_WarnsOfEach_AndSumsUpNone()
    {
        var codes = Codes.Take(CountriesOutsideTopology.MaxWarnings).ToArray();

        var warnings = CountriesOutsideTopology.Find(Cases(codes), China);

        Assert.Equal(codes, warnings.Select(w => w.Country));
        Assert.All(warnings, w => Assert.StartsWith($"country '{w.Country}' is not in the topology", w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        Assert.Equal("events", Assert.Throws<ArgumentNullException>(() => CountriesOutsideTopology.Find(null!, China)).ParamName);
        Assert.Equal("topology", Assert.Throws<ArgumentNullException>(() => CountriesOutsideTopology.Find(Cases("FR"), null!)).ParamName);
    }

    // One country-cases event for each code, in order, each with an id of its own (the code, then -2, -3 when repeated).
    private static List<ParsedEvent> Cases(params string[] codes)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = codes.Select(code =>
        {
            var n = seen[code] = seen.GetValueOrDefault(code) + 1;
            var id = n == 1 ? code : $"{code}-{n}";
            return $$"""{"id":"{{id}}","type":"country-cases","country":"{{code}}","date":"2020-04-19","newCases":1}""";
        });
        var batch = EventParser.ParseNdJson(Encoding.UTF8.GetBytes(string.Join('\n', lines)), new IngestRules(new DateOnly(2020, 4, 20)), new Directory());
        Assert.Empty(batch.Errors);
        return [.. batch.Events];
    }

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => false;

        public bool IsKnownCity(string id) => false;

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
