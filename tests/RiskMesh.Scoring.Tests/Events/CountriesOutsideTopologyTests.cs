using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>
/// The countries an accepted batch names that the topology does not hold, each once with how many events name it and
/// the first: a typo (FR for RU) is said, naming the topology's countries, not scored in silence (newcomer 19, M5).
/// </summary>
public sealed class CountriesOutsideTopologyTests
{
    private static readonly Topology China = DefaultTopology.Load();

    [Fact]
    public void Find_EveryFieldThatNamesACountry_WarnsOfThoseOutsideTheTopology_OnceEach()
    {
        var events = Parse(
            """{"id":"fr-intel","type":"intel","subject":"country:FR","date":"2020-04-19","severity":3,"confidence":0.5,"category":"c","summary":"s"}""",
            """{"id":"ru-cases","type":"country-cases","country":"RU","date":"2020-04-19","newCases":5}""",
            """{"id":"traffic","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"RU":5,"DE":5}}""",
            """{"id":"case","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"imported-confirmed","origin":"FR"}""",
            """{"id":"uz-cases","type":"country-cases","country":"UZ","date":"2020-04-19","newCases":5}""",
            """{"id":"it-capacity","type":"capacity","subject":"country:IT","date":"2020-04-19","ascertainmentFactor":2}""");

        var warnings = CountriesOutsideTopology.Find(events, China);

        Assert.Equal(["FR", "DE", "UZ", "IT"], warnings.Select(w => w.Country));
        Assert.Equal((2, 0, "fr-intel"), (warnings[0].Events, warnings[0].Index, warnings[0].Id));
        Assert.Equal((1, 2, "traffic"), (warnings[1].Events, warnings[1].Index, warnings[1].Id));
        Assert.Equal(
            "country 'FR' is not in the topology (its countries: AF, BT, IN, KG, KP, KZ, LA, MM, MN, NP, PK, RU, TH, TJ, VN): named by 2 events (the first: index 0, id fr-intel); accepted and scored, but no port of the topology faces it. If it is a typo, send the event again under a new id with the right code.",
            warnings[0].Message);
        Assert.Contains("named by 1 event (index 2, id traffic)", warnings[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_OnlyTopologyCountries_WarnsOfNothing()
    {
        var events = Parse(
            """{"id":"ru","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.5,"category":"c","summary":"s"}""",
            """{"id":"t","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"RU":5,"MN":5}}""",
            """{"id":"c","type":"case","location":"city:suifenhe","date":"2020-04-19","count":1,"classification":"local-confirmed"}""");

        Assert.Empty(CountriesOutsideTopology.Find(events, China));
    }

    [Fact]
    public void Find_MoreCountriesThanItNames_SumsTheRestUpInOneWarning()
    {
        string[] codes = ["FR", "DE", "IT", "ES", "PT", "NL", "BE", "AT", "CH", "PL", "CZ", "SE"];
        var events = Parse([.. codes.Select(c => $$"""{"id":"{{c}}","type":"country-cases","country":"{{c}}","date":"2020-04-19","newCases":1}""")]);

        var warnings = CountriesOutsideTopology.Find(events, China);

        Assert.Equal(CountriesOutsideTopology.MaxWarnings + 1, warnings.Length);
        Assert.Equal("2 more countries not in the topology: CZ, SE; accepted and scored, but no port of the topology faces them.", warnings[^1].Message);
    }

    private static List<ParsedEvent> Parse(params string[] lines)
    {
        var batch = EventParser.ParseNdJson(Encoding.UTF8.GetBytes(string.Join('\n', lines)), new IngestRules(new DateOnly(2020, 4, 20)), new Directory());
        Assert.Empty(batch.Errors);
        return [.. batch.Events];
    }

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => China.TryGetPort(id, out _);

        public bool IsKnownCity(string id) => China.TryGetCity(id, out _);

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
