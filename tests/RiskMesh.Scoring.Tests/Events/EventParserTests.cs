using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

public sealed class EventParserTests
{
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 20), MaxEvents: 100);

    [Fact]
    public void ParseJsonArray_GoodEventsOfEveryType_ParsesAll()
    {
        var batch = Array(
            """{"id":"a","type":"country-cases","country":"ru","date":"2020-04-19","cumulativeCases":10,"positivity":0.04}""",
            """{"id":"b","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":2,"classification":"imported-confirmed","origin":"RU"}""",
            """{"id":"c","type":"intel","subject":"city:suifenhe","date":"2020-04-19","severity":5,"confidence":1,"category":"outbreak","summary":"x"}""",
            """{"id":"d","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"RU":10}}""",
            """{"id":"e","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","labs":1}""");

        Assert.Empty(batch.Errors);
        Assert.Equal(5, batch.Events.Length);
        Assert.Equal("RU", ((CountryCasesEvent)batch.Events[0].Event).Country);
    }

    [Theory]
    [InlineData("""{"id":"x","type":"vaccine","date":"2020-04-19"}""", "unknown type 'vaccine'")]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe","colour":"red"}""", "unknown field 'colour'")]
    [InlineData("""{"type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""", "field 'id' is required")]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"19/04/2020","count":1,"classification":"severe"}""", "field 'date' must be an ISO date")]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2019-12-01","count":1,"classification":"severe"}""", "older than the retention horizon")]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-25","count":1,"classification":"severe"}""", "date 2020-04-25 is in the future")]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":-1,"classification":"severe"}""", "field 'count' must not be negative")]
    [InlineData("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":6,"confidence":0.5,"category":"c","summary":"s"}""", "field 'severity' must be a whole number from 1 to 5")]
    [InlineData("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":0,"confidence":0.5,"category":"c","summary":"s"}""", "field 'severity'")]
    [InlineData("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":1.5,"category":"c","summary":"s"}""", "field 'confidence' must be a number between 0 and 1")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-04-19","newCases":1,"positivity":4}""", "field 'positivity' must be a fraction")]
    [InlineData("""{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"RU":8,"MN":5}}""", "field 'origins' adds up to 13 travellers, more than 'inbound' (10)")]
    [InlineData("""{"id":"x","type":"traffic","port":"atlantis","date":"2020-04-19","inbound":10}""", "unknown port 'atlantis'")]
    [InlineData("""{"id":"x","type":"case","location":"port:atlantis","date":"2020-04-19","count":1,"classification":"severe"}""", "unknown port 'atlantis'")]
    [InlineData("""{"id":"x","type":"case","location":"city:gotham","date":"2020-04-19","count":1,"classification":"severe"}""", "unknown city 'gotham'")]
    [InlineData("""{"id":"x","type":"country-cases","country":"XX","date":"2020-04-19","newCases":1}""", "field 'country': 'XX' is not an ISO 3166-1 alpha-2 country code")]
    [InlineData("""{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"ZZZ":1}}""", "field 'origins': 'ZZZ'")]
    [InlineData("""{"id":"x","type":"capacity","subject":"city:suifenhe","date":"2020-04-19"}""", "a capacity event needs at least one of testsPerDay")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-04-19"}""", "needs 'newCases' or 'cumulativeCases'")]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1.5,"classification":"severe"}""", "field 'count' must be a whole number")]
    [InlineData("""["not","an","object"]""", "an event must be a JSON object, got array")]
    [InlineData("42", "an event must be a JSON object, got number")]
    public void ParseJsonArray_BadEvent_ReasonNamesTheProblem(string json, string expected)
    {
        var batch = Array(json);

        var error = Assert.Single(batch.Errors);
        Assert.Empty(batch.Events);
        Assert.Equal(0, error.Index);
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"case","date":"2020-04-19","count":1,"classification":"severe"}""", "fields 'id' and 'location' are required")]
    [InlineData("""{"type":"case","source":"feed"}""", "fields 'id', 'date', 'location', 'count' and 'classification' are required")]
    [InlineData("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3}""", "fields 'confidence', 'category' and 'summary' are required")]
    [InlineData("""{"id":"x","type":"traffic","date":"2020-04-19","port":null}""", "fields 'port' and 'inbound' are required")]
    public void ParseJsonArray_SeveralRequiredFieldsMissing_NamesThemAllInOneReason(string json, string expected)
    {
        // Try-out 6 F21: an event missing several fields was refused naming the first only, one round trip per field.
        var error = Assert.Single(Array(json).Errors);

        Assert.Equal(expected, error.Reason);
    }

    [Fact]
    public void ParseJsonArray_BadEvent_ErrorCarriesIndexAndId()
    {
        var batch = Array(
            """{"id":"good","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","labs":1}""",
            """{"id":"bad","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","labs":-1}""");

        var error = Assert.Single(batch.Errors);
        Assert.Equal(new ParseError(1, "bad", "field 'labs' must not be negative, got -1"), error);
        Assert.Single(batch.Events);
    }

    [Fact]
    public void ParseJsonArray_NotJson_OneWholeBatchError()
    {
        var batch = EventParser.ParseJsonArray("[{\"id\":"u8, Rules, new Directory());

        var error = Assert.Single(batch.Errors);
        Assert.Equal(-1, error.Index);
        Assert.Contains("not valid JSON", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJsonArray_ObjectInsteadOfArray_SaysArrayExpected()
    {
        var batch = EventParser.ParseJsonArray("{}"u8, Rules, new Directory());

        Assert.Contains("must be a JSON array", Assert.Single(batch.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJsonArray_MoreThanMaxEvents_ReportsLimit()
    {
        var batch = EventParser.ParseJsonArray("[1,2,3]"u8, Rules with { MaxEvents = 2 }, new Directory());

        Assert.Equal("a batch holds at most 2 events; this one has 3", batch.LimitExceeded);
    }

    [Fact]
    public void ParseNdJson_InvalidLine_NamesTheLineNumber()
    {
        var body = "{\"id\":\"a\",\"type\":\"capacity\",\"subject\":\"city:suifenhe\",\"date\":\"2020-04-19\",\"labs\":1}\n\n{\"id\": oops}\n"u8;

        var batch = EventParser.ParseNdJson(body, Rules, new Directory());

        var error = Assert.Single(batch.Errors);
        Assert.Equal(1, error.Index);
        // The column in words, not the serializer's zero-based "LineNumber: 0 | BytePositionInLine: 7".
        Assert.Equal("line 3 is not valid JSON: column 8, a value is missing or malformed", error.Reason);
        Assert.Single(batch.Events);
    }

    [Fact]
    public void ParseNdJson_ALineStoppingAtAByteThatIsNotUtf8_NamesTheByte()
    {
        // A Latin-1 line beside UTF-8 ones: "a value is missing or malformed" sent the sender looking for a JSON mistake.
        byte[] body = [.. "{\"id\":\"a\",\"type\":\"capacity\",\"subject\":\"city:suifenhe\",\"date\":\"2020-04-19\",\"labs\":1}\n{\"id\": "u8, 0xE9, .. "}\n"u8];

        var batch = EventParser.ParseNdJson(body, Rules, new Directory());

        Assert.Equal("line 2 is not valid JSON: column 8, byte 0xE9 is not UTF-8", Assert.Single(batch.Errors).Reason);
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0xE9)]
    [InlineData(0x80)]
    public void ParseNdJson_ALineWhoseFirstByteIsNotUtf8_NamesTheByte(byte first)
    {
        // The first byte of a line is where a stray byte-order mark of another encoding, or a Latin-1 word, stands.
        byte[] body = [.. "{\"id\":\"a\",\"type\":\"capacity\",\"subject\":\"city:suifenhe\",\"date\":\"2020-04-19\",\"labs\":1}\n"u8, first, .. "{\"id\":\"b\"}\n"u8];

        var batch = EventParser.ParseNdJson(body, Rules, new Directory());

        Assert.Equal($"line 2 is not valid JSON: column 1, byte 0x{first:X2} is not UTF-8", Assert.Single(batch.Errors).Reason);
    }

    [Fact]
    public void ParseNdJson_MoreThanMaxEvents_ReportsLimit()
    {
        var body = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Repeat("{}", 3)));

        var batch = EventParser.ParseNdJson(body, Rules with { MaxEvents = 2 }, new Directory());

        Assert.NotNull(batch.LimitExceeded);
        Assert.Contains("at most 2 events", batch.LimitExceeded, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCanonical_RoundTripsThroughFromCanonical()
    {
        var parsed = Assert.Single(Array("""{"id":"d","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"RU":10},"source":"customs"}""").Events);

        Assert.Equal(parsed.CanonicalJson, EventParser.ToCanonical(EventParser.FromCanonical(parsed.CanonicalJson)));
        Assert.Equal(10, Assert.IsType<TrafficEvent>(EventParser.FromCanonical(parsed.CanonicalJson)).Origins!["RU"]);
        Assert.Equal("customs", parsed.Event.Source);
    }

    [Fact]
    public void Parse_CountryCodesInAnyForm_ShareTheCodeTablesOneInstance()
    {
        // Every active entity keeps the codes it was told; one shared instance per country keeps that memory flat.
        var events = Array(
            """{"id":"a","type":"country-cases","country":"ru","date":"2020-04-19","newCases":1}""",
            """{"id":"b","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":2,"classification":"imported-confirmed","origin":"RU"}""",
            """{"id":"c","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"ru":10}}""").Events;
        Assert.True(IsoCountries.TryGet("RU", out var russia));

        Assert.Same(russia.Code, Assert.IsType<CountryCasesEvent>(events[0].Event).Country);
        Assert.Same(russia.Code, Assert.IsType<CaseEvent>(events[1].Event).Origin);
        Assert.Same(russia.Code, Assert.Single(Assert.IsType<TrafficEvent>(events[2].Event).Origins!).Key);
        Assert.True(EntityKeys.TryNormalizeCountryCode(new string(['R', 'U']), out var code));
        Assert.Same(russia.Code, code);
    }

    [Fact]
    public void ParseJsonArray_SourceInAnyCase_IsReadInLowerCase()
    {
        // Sources are identifiers: 'NC21B' and 'nc21b' are one source, so the same report cannot count twice.
        var batch = Array("""{"id":"a","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":2,"classification":"imported-confirmed","source":"NC21B"}""");

        Assert.Equal("nc21b", Assert.Single(batch.Events).Event.Source);
        Assert.Contains("\"source\":\"nc21b\"", Assert.Single(batch.Events).CanonicalJson, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJsonArray_IntelWithReplaces_KeepsTheEarlierId()
    {
        var batch = Array("""{"id":"b","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.6,"category":"c","summary":"s","replaces":"a"}""");

        Assert.Equal("a", Assert.IsType<IntelEvent>(Assert.Single(batch.Events).Event).Replaces);
    }

    [Theory]
    [InlineData("""{"id":"a","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.6,"category":"c","summary":"s","replaces":"a"}""", "field 'replaces' names the event's own id 'a'")]
    [InlineData("""{"id":"a","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe","replaces":"z"}""", "unknown field 'replaces'")]
    public void ParseJsonArray_BadReplaces_IsRefused(string json, string expected)
    {
        Assert.Contains(expected, Assert.Single(Array(json).Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.6,"category":"c","summary":"s","source":"feed|b"}""", "field 'source' contains '|'")]
    [InlineData("""{"id":"x|1","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""", "field 'id' contains '|'")]
    [InlineData("""{"id":"y","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.6,"category":"c","summary":"s","replaces":"feed|x"}""", "field 'replaces' contains '|'")]
    [InlineData("""{"id":"y","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.6,"category":"c","summary":"s","replaces":"x\u0000"}""", "field 'replaces' contains the control character U+0000")]
    [InlineData("""{"id":"a\tb","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""", "field 'id' contains the control character U+0009")]
    [InlineData("""{"id":"a","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe","source":"nc\n21"}""", "field 'source' contains the control character U+000A")]
    public void ParseJsonArray_BarOrControlCharacterInAnIdentifier_IsRefusedNamingTheField(string json, string expected)
    {
        // Ledgers key records by source and id joined with '|': source 'feed|b' could otherwise reach source 'feed's reports.
        Assert.Contains(expected, Assert.Single(Array(json).Errors).Reason, StringComparison.Ordinal);
    }

    private static ParsedBatch Array(params string[] events) =>
        EventParser.ParseJsonArray(Encoding.UTF8.GetBytes("[" + string.Join(",", events) + "]"), Rules, new Directory());

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => id is "suifenhe-road";

        public bool IsKnownCity(string id) => id is "suifenhe";

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
