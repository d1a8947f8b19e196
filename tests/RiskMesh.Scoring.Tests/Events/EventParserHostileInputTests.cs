using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>Bodies that used to crash ingest or be read two ways: each must give a per-event reason instead.</summary>
public sealed class EventParserHostileInputTests
{
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 20), MaxEvents: 100);

    private const string Case = """{"id":"c1","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""";

    [Theory]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"\ud800"}""", "field 'classification' is not valid text")]
    [InlineData("""{"id":"\udc00x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""", "field 'id' is not valid text")]
    [InlineData("""{"id":"x","\ud800":1,"type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""", "field name 2 is not valid text")]
    [InlineData("""{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"\ud800":1}}""", "field 'origins' holds a country code that is not valid text")]
    public void ParseJsonArray_LoneSurrogate_RejectedWithReason(string json, string expected)
    {
        var batch = Parse(json);

        var error = Assert.Single(batch.Errors);
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
        Assert.Empty(batch.Events);
    }

    [Theory]
    [InlineData("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":"\ud800","classification":"severe"}""", "field 'count' must be a whole number, got a string that is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)")]
    [InlineData("""{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":1,"origins":"\udfff"}""", "field 'origins' must be an object of country code to travellers, got a string that is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)")]
    [InlineData("""{"id":"x","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","testsPerDay":"\ud800"}""", "field 'testsPerDay' must be a number, got a string that is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)")]
    public void ParseJsonArray_BrokenTextWhereAnotherKindOfValueIsExpected_IsNamedAsAString(string json, string expected)
    {
        // "got text that is not valid" sent the sender to mend the text's encoding, when no text belongs there at all.
        Assert.Equal(expected, Assert.Single(Parse(json).Errors).Reason);
    }

    [Fact]
    public void ParseNdJson_InvalidUtf8WhereANumberIsExpected_IsNamedAsAString()
    {
        var bytes = Encoding.UTF8.GetBytes(Case.Replace("\"count\":1", "\"count\":\"\u0001\"", StringComparison.Ordinal) + "\n");
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF;

        var error = Assert.Single(EventParser.ParseNdJson(bytes, Rules, new Directory()).Errors);

        Assert.Equal("field 'count' must be a whole number, got a string that is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)", error.Reason);
    }

    [Fact]
    public void ParseJsonArray_InvalidUtf8InString_RejectedWithReason()
    {
        var bytes = Encoding.UTF8.GetBytes("[" + Case.Replace("\"severe\"", "\"sev\u0001ere\"", StringComparison.Ordinal) + "]");
        var at = Array.IndexOf(bytes, (byte)1);
        bytes[at] = 0xFF;

        var batch = Parse(bytes);

        var error = Assert.Single(batch.Errors);
        Assert.True(error.Reason.Contains("not valid", StringComparison.Ordinal), error.Reason);
        Assert.Empty(batch.Events);
    }

    [Fact]
    public void ParseNdJson_InvalidUtf8InString_RejectedWithReason()
    {
        var bytes = Encoding.UTF8.GetBytes(Case.Replace("\"c1\"", "\"c\u0001\"", StringComparison.Ordinal) + "\n");
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xC3;

        var batch = EventParser.ParseNdJson(bytes, Rules, new Directory());

        Assert.Single(batch.Errors);
        Assert.Empty(batch.Events);
    }

    [Fact]
    public void ParseJsonArray_OriginsSummingPastLongMaxValue_RejectedWithReason()
    {
        var batch = Parse("""{"id":"t","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":9223372036854775807,"origins":{"RU":9223372036854775807,"MN":9223372036854775807}}""");

        var error = Assert.Single(batch.Errors);
        Assert.Contains("must be at most 1000000000000", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"t","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":9223372036854775000}""", "field 'inbound' must be at most")]
    [InlineData("""{"id":"t","type":"country-cases","country":"RU","date":"2020-04-19","newCases":9223372036854775000}""", "field 'newCases' must be at most")]
    [InlineData("""{"id":"t","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","testsPerDay":1e300}""", "field 'testsPerDay' must be at most")]
    [InlineData("""{"id":"t","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":10,"origins":{"RU":1000000000001}}""", "field 'origins.RU' must be a whole number of travellers from 0 to 1000000000000")]
    public void ParseJsonArray_NumbersNearTheLimits_RejectedWithReason(string json, string expected)
    {
        var error = Assert.Single(Parse(json).Errors);

        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJsonArray_InboundAtTheLimit_Accepted()
    {
        var batch = Parse("""{"id":"t","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":1000000000000}""");

        Assert.Empty(batch.Errors);
    }

    [Fact]
    public void ParseJsonArray_DuplicatePropertyName_RejectedWithReason()
    {
        var batch = Parse("""{"id":"d","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"count":1000,"classification":"severe"}""");

        var error = Assert.Single(batch.Errors);
        Assert.Equal("d", error.Id);
        Assert.Contains("field 'count' is given more than once", error.Reason, StringComparison.Ordinal);
        Assert.Empty(batch.Events);
    }

    [Fact]
    public void ParseNdJson_DuplicatePropertyName_RejectedWithReason()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"d","id":"e","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""");

        var error = Assert.Single(EventParser.ParseNdJson(body, Rules, new Directory()).Errors);

        Assert.Contains("field 'id' is given more than once", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJsonArray_SameIdTwiceWithDifferentContent_SecondRejectedWithReason()
    {
        var batch = Parse(Case, Case.Replace("\"count\":1", "\"count\":1000", StringComparison.Ordinal));

        var error = Assert.Single(batch.Errors);
        Assert.Equal(1, error.Index);
        Assert.Equal("c1", error.Id);
        Assert.Contains("already used by the event at index 0 of this batch with different content", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseNdJson_SameIdTwiceWithDifferentContent_SecondRejectedWithReason()
    {
        var body = Encoding.UTF8.GetBytes(Case + "\n" + Case.Replace("\"count\":1", "\"count\":2", StringComparison.Ordinal) + "\n");

        var batch = EventParser.ParseNdJson(body, Rules, new Directory());

        Assert.Equal(1, Assert.Single(batch.Errors).Index);
        // The refused event is not kept beside its error (nineteenth session's mutation test: without the parser's
        // `continue` both counts were ingested); the first one, count 1, is.
        Assert.Equal(1, Assert.IsType<CaseEvent>(Assert.Single(batch.Events).Event).Count);
    }

    [Fact]
    public void ParseJsonArray_SameIdTwiceWithIdenticalContent_BothParsedForTheJournalToCountOnce()
    {
        var batch = Parse(Case, Case.Replace("\"severe\"", " \"severe\" ", StringComparison.Ordinal));

        Assert.Empty(batch.Errors);
        Assert.Equal(2, batch.Events.Length);
    }

    [Fact]
    public void ParseJsonArray_SameIdInDifferentSources_BothAccepted()
    {
        var other = Case.Replace("\"count\":1", "\"count\":5,\"source\":\"customs\"", StringComparison.Ordinal);

        var batch = Parse(Case, other);

        Assert.Empty(batch.Errors);
        Assert.Equal(2, batch.Events.Length);
    }

    [Theory]
    [InlineData(9999, 12, 31)]
    [InlineData(1, 1, 1)]
    public void ParseJsonArray_ClockAtTheEndsOfTheCalendar_RejectsDatesInsteadOfCrashing(int year, int month, int day)
    {
        var rules = Rules with { Today = new DateOnly(year, month, day) };

        var batch = EventParser.ParseJsonArray(Encoding.UTF8.GetBytes("[" + Case + "]"), rules, new Directory());

        var reason = Assert.Single(batch.Errors).Reason;
        Assert.True(reason.Contains("older than the retention horizon", StringComparison.Ordinal) || reason.Contains("in the future", StringComparison.Ordinal), reason);
    }

    private static ParsedBatch Parse(params string[] events) =>
        Parse(Encoding.UTF8.GetBytes("[" + string.Join(",", events) + "]"));

    private static ParsedBatch Parse(byte[] body) => EventParser.ParseJsonArray(body, Rules, new Directory());

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => id is "suifenhe-road";

        public bool IsKnownCity(string id) => id is "suifenhe";

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
