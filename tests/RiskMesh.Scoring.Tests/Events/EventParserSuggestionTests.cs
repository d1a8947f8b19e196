using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>An event naming an unknown port or city says which id was probably meant (newcomer 13: 'ruili-road' for 'ruili').</summary>
public sealed class EventParserSuggestionTests
{
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 20), MaxEvents: 100);

    [Theory]
    [InlineData("""{"id":"x","type":"traffic","port":"ruili-road","date":"2020-04-19","inbound":10}""", "unknown port 'ruili-road': it is not in the topology; did you mean 'ruili'?")]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-raod","date":"2020-04-19","count":1,"classification":"severe"}""", "unknown port 'suifenhe-raod': it is not in the topology; did you mean 'suifenhe-road'?")]
    [InlineData("""{"id":"x","type":"intel","subject":"city:Suifenhe","date":"2020-04-19","severity":3,"confidence":0.5,"category":"c","summary":"s"}""", "unknown city 'Suifenhe': it is not in the topology; did you mean 'suifenhe'?")]
    [InlineData("""{"id":"x","type":"case","location":"city:gotham","date":"2020-04-19","count":1,"classification":"severe"}""", "unknown city 'gotham': it is not in the topology")]
    public void Parse_UnknownEntity_ReasonSaysWhichIdWasMeant(string json, string reason)
    {
        var error = Assert.Single(Parse(new Directory(), json).Errors);

        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Parse_KnownEntities_NeverListTheTopology()
    {
        // The ids are listed only to word a refusal: a batch the parser accepts never reads them.
        var directory = new Directory();

        var batch = Parse(
            directory,
            """{"id":"a","type":"traffic","port":"ruili","date":"2020-04-19","inbound":10}""",
            """{"id":"b","type":"case","location":"city:suifenhe","date":"2020-04-19","count":1,"classification":"severe"}""");

        Assert.Empty(batch.Errors);
        Assert.Equal(0, directory.Listed);
    }

    [Theory]
    [InlineData("""{"id":"x","type":"country-cases","country":"Russia","date":"2020-04-19","cumulativeCases":1}""", "field 'country': 'Russia' is not an ISO 3166-1 alpha-2 country code; did you mean 'RU'?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"vietnam","date":"2020-04-19","cumulativeCases":1}""", "field 'country': 'vietnam' is not an ISO 3166-1 alpha-2 country code; did you mean 'VN'?")]
    [InlineData("""{"id":"x","type":"traffic","port":"ruili","date":"2020-04-19","inbound":10,"origins":{"Myanmar":10}}""", "field 'origins': 'Myanmar' is not an ISO 3166-1 alpha-2 country code; did you mean 'MM'?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"Atlantis","date":"2020-04-19","cumulativeCases":1}""", "field 'country': 'Atlantis' is not an ISO 3166-1 alpha-2 country code")]
    // Newcomer 23b, finding 7: a name misspelt by a letter, and dates in other forms that can mean one day only.
    [InlineData("""{"id":"x","type":"country-cases","country":"Rusia","date":"2020-04-19","cumulativeCases":1}""", "field 'country': 'Rusia' is not an ISO 3166-1 alpha-2 country code; did you mean 'RU'?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"Mongolai","date":"2020-04-19","cumulativeCases":1}""", "field 'country': 'Mongolai' is not an ISO 3166-1 alpha-2 country code; did you mean 'MN'?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"27.04.2020","cumulativeCases":1}""", "field 'date' must be an ISO date like 2020-04-19, got '27.04.2020'; did you mean 2020-04-27?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020/04/27","cumulativeCases":1}""", "field 'date' must be an ISO date like 2020-04-19, got '2020/04/27'; did you mean 2020-04-27?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-4-27","cumulativeCases":1}""", "field 'date' must be an ISO date like 2020-04-19, got '2020-4-27'; did you mean 2020-04-27?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-04-27T00:00:00","cumulativeCases":1}""", "field 'date' must be an ISO date like 2020-04-19, got '2020-04-27T00:00:00'; did you mean 2020-04-27?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"04/05/2020","cumulativeCases":1}""", "field 'date' must be an ISO date like 2020-04-19, got '04/05/2020'")]
    [InlineData("""{"id":"x","type":"trafic","port":"ruili","date":"2020-04-19","inbound":10}""", "unknown type 'trafic'; did you mean 'traffic'? (expected one of country-cases, case, intel, traffic, capacity)")]
    [InlineData("""{"id":"x","type":"case","location":"port:ruili","date":"2020-04-19","count":1,"classification":"imported confirmed"}""", "unknown classification 'imported confirmed'; did you mean 'imported-confirmed'? (expected imported-confirmed, imported-asymptomatic, local-confirmed, local-asymptomatic, severe or death)")]
    [InlineData("""{"id":"x","type":"case","location":"suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""", "field 'location' must be 'port:<id>' or 'city:<id>', got 'suifenhe-road'; did you mean 'port:suifenhe-road'?")]
    [InlineData("""{"id":"x","type":"intel","subject":"suifenhe","date":"2020-04-19","severity":3,"confidence":0.5,"category":"c","summary":"s"}""", "field 'subject' must be 'country:<code>', 'port:<id>' or 'city:<id>', got 'suifenhe'; did you mean 'city:suifenhe'?")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-04-19","cumulativeCases":"17,265"}""", "field 'cumulativeCases' must be a whole number, got the string \"17,265\"; write 17265, without thousands separators")]
    [InlineData("""{"id":"x","type":"capacity","subject":"city:ruili","date":"2020-04-19","testsPerDay":"1,200"}""", "field 'testsPerDay' must be a number, got the string \"1,200\"; write 1200, without thousands separators")]
    public void Parse_AValueNearlyRight_ReasonSaysWhatWasMeant(string json, string reason)
    {
        // Newcomer 21b (lows): country names, misspelt values, a location without its prefix, thousands separators.
        var error = Assert.Single(Parse(new Directory(), json).Errors);

        Assert.Equal(reason, error.Reason);
    }

    private static ParsedBatch Parse(Directory directory, params string[] events) =>
        EventParser.ParseJsonArray(Encoding.UTF8.GetBytes("[" + string.Join(",", events) + "]"), Rules, directory);

    private sealed class Directory : IEntityDirectory
    {
        private static readonly string[] Ports = ["suifenhe-road", "suifenhe-rail", "ruili", "wanding"];
        private static readonly string[] Cities = ["suifenhe", "ruili"];

        public int Listed { get; private set; }

        public bool IsKnownPort(string id) => Ports.Contains(id);

        public bool IsKnownCity(string id) => Cities.Contains(id);

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);

        public IEnumerable<string> KnownIds(EntityKind kind)
        {
            Listed++;
            return kind == EntityKind.Port ? Ports : Cities;
        }
    }
}
