using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>
/// Written after mutation testing (nineteenth session): what an analyst reads when a feed's line is refused names the
/// line, the field and the value as sent; blank lines of a file written on Windows are no events; the limits named in
/// the messages are the limits applied.
/// </summary>
public sealed class EventParserWordingTests
{
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 20), MaxEvents: 10);

    private const string Case = """{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""";

    [Fact]
    public void ParseNdJson_ALineCutShort_SaysTheLineEndsTooEarly()
    {
        var error = Assert.Single(Nd(Case + "\n" + """{"id":"y","type":"case""" + "\n").Errors);

        Assert.Equal(1, error.Index);
        Assert.StartsWith("line 2 is not valid JSON: column ", error.Reason, StringComparison.Ordinal);
        Assert.EndsWith(", the line ends too early", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseNdJson_BlankLinesOfSpacesTabsAndCarriageReturns_AreNoEvents()
    {
        // A file saved with Windows line ends has "\r" on each line, and on its blank ones alone.
        var batch = Nd(Case + "\r\n\r\n \t \r\n\t\n" + Case.Replace("\"x\"", "\"y\"", StringComparison.Ordinal) + "\r\n");

        Assert.Empty(batch.Errors);
        Assert.Equal(2, batch.Events.Length);
    }

    [Fact]
    public void ParseJsonArray_ACategoryLongerThanTheLimit_IsRefusedNamingCategory()
    {
        var intel = $$"""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.5,"category":"{{new string('c', 2001)}}","summary":"s"}""";

        Assert.Equal("field 'category' is longer than 2000 characters", Assert.Single(Array(intel).Errors).Reason);
    }

    [Fact]
    public void ParseJsonArray_AStringGivenForANumber_IsQuotedUpTo40Characters()
    {
        var forty = new string('a', 40);
        Assert.Equal($"field 'count' must be a whole number, got the string \"{forty}\"", Assert.Single(Array(Case.Replace("\"count\":1", $"\"count\":\"{forty}\"", StringComparison.Ordinal)).Errors).Reason);
        Assert.Equal($"field 'count' must be a whole number, got the string \"{forty}...\"", Assert.Single(Array(Case.Replace("\"count\":1", $"\"count\":\"{forty}b\"", StringComparison.Ordinal)).Errors).Reason);
    }

    [Theory]
    [InlineData("""[1]""", "field 'origins' must be an object of country code to travellers, got an array")]
    [InlineData("""{"RU":{}}""", "field 'origins.RU' must be a whole number of travellers from 0 to 1000000000000, got an object")]
    [InlineData("""{"RU":null}""", "field 'origins.RU' must be a whole number of travellers from 0 to 1000000000000, got null")]
    [InlineData("""{"RU":1,"ru":2}""", "field 'origins' names RU twice")]
    public void ParseJsonArray_OriginsNotAnObjectOfCountsOrACountryTwice_IsRefusedSayingWhatWasSent(string origins, string reason)
    {
        var traffic = $$"""{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":5,"origins":{{origins}}}""";

        Assert.Equal(reason, Assert.Single(Array(traffic).Errors).Reason);
    }

    [Fact]
    public void ParseJsonArray_OriginsOfExactlyTheMaximumCount_AreAccepted()
    {
        var traffic = """{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":1000000000000,"origins":{"RU":1000000000000}}""";

        var batch = Array(traffic);

        Assert.Empty(batch.Errors);
        Assert.Equal(1_000_000_000_000, Assert.IsType<TrafficEvent>(Assert.Single(batch.Events).Event).Origins!["RU"]);
    }

    [Theory]
    [InlineData("5", "field 'origin' must be a string, got 5")]
    [InlineData("\"  \"", "field 'origin' must not be empty")]
    public void ParseJsonArray_ACasesOriginThatIsNoText_IsRefusedNamingIt(string origin, string reason)
    {
        var json = Case.Replace("\"severe\"", $"\"imported-confirmed\",\"origin\":{origin}", StringComparison.Ordinal);

        Assert.Equal(reason, Assert.Single(Array(json).Errors).Reason);
    }

    [Fact]
    public void ParseJsonArray_ABodyNestedPast16_IsRefusedNamingTheLimit_16IsRead()
    {
        // The events are objects in one array: 16 levels are far more than any event needs, and a body built to nest
        // deeper is refused before it is read.
        var error = Assert.Single(EventParser.ParseJsonArray(Encoding.UTF8.GetBytes(new string('[', 17) + new string(']', 17)), Rules, new Directory()).Errors);
        Assert.Equal(-1, error.Index);
        Assert.StartsWith("the body nests arrays and objects more than 16 deep", error.Reason, StringComparison.Ordinal);

        var read = EventParser.ParseJsonArray(Encoding.UTF8.GetBytes(new string('[', 16) + new string(']', 16)), Rules, new Directory());
        Assert.DoesNotContain(read.Errors, e => e.Reason.Contains("deep", StringComparison.Ordinal));
    }

    private static ParsedBatch Array(params string[] events) =>
        EventParser.ParseJsonArray(Encoding.UTF8.GetBytes("[" + string.Join(",", events) + "]"), Rules, new Directory());

    private static ParsedBatch Nd(string body) => EventParser.ParseNdJson(Encoding.UTF8.GetBytes(body), Rules, new Directory());

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => id is "suifenhe-road";

        public bool IsKnownCity(string id) => id is "suifenhe";

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
