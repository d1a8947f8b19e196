using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>
/// What a feed may send: every field of every event type is read into the event, each classification by its name,
/// each limit accepted at the limit itself and refused one step past it, with the field named.
/// </summary>
public sealed class EventParserLimitsTests
{
    // The clock's day; with the defaults, the retention horizon is 120 days back (2019-12-22) and one day ahead is accepted (2020-04-21).
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 20), MaxEvents: 3);

    private const string Case = """{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":1,"classification":"severe"}""";

    [Fact]
    public void ParseJsonArray_EveryOptionalField_IsReadIntoTheEvent()
    {
        var batch = Array(
            """{"id":"a","type":"country-cases","country":"RU","date":"2020-04-19","source":"who","newCases":5,"cumulativeCases":100,"newDeaths":1,"cumulativeDeaths":7,"tests":2000,"positivity":0.04}""",
            """{"id":"b","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","testsPerDay":300,"labs":2,"technicians":40,"testKits":5000,"isolationBeds":600,"testTurnaroundHours":12}""",
            """{"id":"c","type":"intel","subject":"country:RU","date":"2020-04-19","severity":4,"confidence":0.5,"category":"outbreak","summary":" cluster in Primorsky "}""");

        Assert.Empty(batch.Errors);
        var cases = Assert.IsType<CountryCasesEvent>(batch.Events[0].Event);
        Assert.Equal(("who", 5L, 100L, 1L, 7L, 2000L, 0.04), (cases.Source, cases.NewCases, cases.CumulativeCases, cases.NewDeaths, cases.CumulativeDeaths, cases.Tests, cases.Positivity));
        var capacity = Assert.IsType<CapacityEvent>(batch.Events[1].Event);
        Assert.Equal(("city:suifenhe", 300.0, 2.0, 40.0, 5000.0, 600.0, 12.0), (capacity.Subject, capacity.TestsPerDay, capacity.Labs, capacity.Technicians, capacity.TestKits, capacity.IsolationBeds, capacity.TestTurnaroundHours));
        var intel = Assert.IsType<IntelEvent>(batch.Events[2].Event);
        Assert.Equal(("country:RU", 4, 0.5, "outbreak", "cluster in Primorsky"), (intel.Subject, intel.Severity, intel.Confidence, intel.Category, intel.Summary));
    }

    [Theory]
    [InlineData("imported-confirmed", CaseClassification.ImportedConfirmed)]
    [InlineData("imported-asymptomatic", CaseClassification.ImportedAsymptomatic)]
    [InlineData("local-confirmed", CaseClassification.LocalConfirmed)]
    [InlineData("local-asymptomatic", CaseClassification.LocalAsymptomatic)]
    [InlineData("severe", CaseClassification.Severe)]
    [InlineData("death", CaseClassification.Death)]
    public void ParseJsonArray_EachClassification_IsReadByItsName(string name, CaseClassification classification)
    {
        var batch = Array(Case.Replace("\"severe\"", $"\"{name}\"", StringComparison.Ordinal));

        Assert.Equal(classification, Assert.IsType<CaseEvent>(Assert.Single(batch.Events).Event).Classification);
    }

    [Theory]
    [InlineData("\"id\":\"x\"", "\"id\":\"" + Id128 + "\"")]
    [InlineData("\"id\":\"x\"", "\"id\":\"x\",\"source\":\"" + Id128 + "\"")]
    [InlineData("\"date\":\"2020-04-19\"", "\"date\":\"2019-12-22\"")]
    [InlineData("\"date\":\"2020-04-19\"", "\"date\":\"2020-04-21\"")]
    [InlineData("\"count\":1", "\"count\":0")]
    [InlineData("\"count\":1", "\"count\":2147483647")]
    public void ParseJsonArray_CaseAtALimit_IsAccepted(string field, string atLimit)
    {
        var batch = Array(Case.Replace(field, atLimit, StringComparison.Ordinal));

        Assert.Empty(batch.Errors);
        Assert.Single(batch.Events);
    }

    [Theory]
    [InlineData("\"id\":\"x\"", "\"id\":\"" + Id128 + "y\"", "field 'id' is longer than 128 characters")]
    [InlineData("\"id\":\"x\"", "\"id\":\"x\",\"source\":\"" + Id128 + "y\"", "field 'source' is longer than 128 characters")]
    [InlineData("\"date\":\"2020-04-19\"", "\"date\":\"2019-12-21\"", "date 2019-12-21 is older than the retention horizon (120 days before 2020-04-20, so 2019-12-22 at the earliest)")]
    [InlineData("\"date\":\"2020-04-19\"", "\"date\":\"2020-04-22\"", "date 2020-04-22 is in the future (the clock says 2020-04-20; at most 1 day ahead is accepted)")]
    [InlineData("\"count\":1", "\"count\":2147483648", "field 'count' must be at most 2147483647, got 2147483648")]
    [InlineData("\"location\":\"port:suifenhe-road\"", "\"location\":\"country:RU\"", "field 'location' must be 'port:<id>' or 'city:<id>', got 'country:RU'")]
    [InlineData("\"location\":\"port:suifenhe-road\"", "\"location\":\"province:heilongjiang\"", "field 'location' must be 'port:<id>' or 'city:<id>', got 'province:heilongjiang'")]
    public void ParseJsonArray_CaseOnePastALimit_IsRefusedNamingIt(string field, string pastLimit, string reason)
    {
        var batch = Array(Case.Replace(field, pastLimit, StringComparison.Ordinal));

        Assert.Equal(reason, Assert.Single(batch.Errors).Reason);
    }

    [Theory]
    [InlineData("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":1,"confidence":0,"category":"c","summary":"s"}""")]
    [InlineData("""{"id":"x","type":"intel","subject":"city:suifenhe","date":"2020-04-19","severity":5,"confidence":1,"category":"c","summary":"s"}""")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-04-19","newCases":0,"tests":0,"positivity":0}""")]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-04-19","cumulativeCases":1000000000000,"positivity":1}""")]
    [InlineData("""{"id":"x","type":"capacity","subject":"port:suifenhe-road","date":"2020-04-19","testsPerDay":0,"testKits":1000000000000}""")]
    [InlineData("""{"id":"x","type":"capacity","subject":"country:RU","date":"2020-04-19","ascertainmentFactor":1000}""")]
    [InlineData("""{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":0,"origins":{"RU":0}}""")]
    public void ParseJsonArray_OtherTypesAtTheirLimits_AreAccepted(string json)
    {
        var batch = Array(json);

        Assert.Empty(batch.Errors);
        Assert.Single(batch.Events);
    }

    [Theory]
    [InlineData("""{"id":"x","type":"country-cases","country":"RU","date":"2020-04-19","cumulativeCases":1000000000001}""", "field 'cumulativeCases' must be at most 1000000000000, got 1000000000001")]
    [InlineData("""{"id":"x","type":"capacity","subject":"port:suifenhe-road","date":"2020-04-19","testKits":1000000000001}""", "field 'testKits' must be at most 1000000000000, got 1000000000001")]
    [InlineData("""{"id":"x","type":"capacity","subject":"port:suifenhe-road","date":"2020-04-19","labs":-1}""", "field 'labs' must not be negative, got -1")]
    [InlineData("""{"id":"x","type":"capacity","subject":"country:RU","date":"2020-04-19","ascertainmentFactor":1000.5}""", "field 'ascertainmentFactor' must be above 0 and at most 1000 (official counts × factor = real infections), got 1000.5")]
    [InlineData("""{"id":"x","type":"traffic","port":"suifenhe-road","date":"2020-04-19","inbound":5,"origins":{"RU":-1}}""", "field 'origins.RU' must be a whole number of travellers from 0 to 1000000000000, got -1")]
    [InlineData("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.5,"category":"  ","summary":"s"}""", "field 'category' must not be empty")]
    [InlineData("""{"id":"x","type":"intel","subject":"province:heilongjiang","date":"2020-04-19","severity":3,"confidence":0.5,"category":"c","summary":"s"}""", "field 'subject' must be 'country:<code>', 'port:<id>' or 'city:<id>', got 'province:heilongjiang'")]
    public void ParseJsonArray_OtherTypesOnePastALimit_AreRefusedNamingTheField(string json, string reason)
    {
        var batch = Array(json);

        Assert.Equal(reason, Assert.Single(batch.Errors).Reason);
    }

    [Fact]
    public void ParseJsonArray_IntelTextOfTheMaximumLength_AcceptedAndOneCharacterMoreRefused()
    {
        var atLimit = new string('a', 2000);
        var intel = $$"""{"id":"x","type":"intel","subject":"country:RU","date":"2020-04-19","severity":3,"confidence":0.5,"category":"c","summary":"{{atLimit}}"}""";

        Assert.Equal(atLimit, Assert.IsType<IntelEvent>(Assert.Single(Array(intel).Events).Event).Summary);
        Assert.Equal("field 'summary' is longer than 2000 characters", Assert.Single(Array(intel.Replace(atLimit, atLimit + "a", StringComparison.Ordinal)).Errors).Reason);
    }

    [Fact]
    public void ParseJsonArray_BatchOfExactlyTheMaximum_IsParsed()
    {
        var batch = Array(Case, Case.Replace("\"x\"", "\"y\"", StringComparison.Ordinal), Case.Replace("\"x\"", "\"z\"", StringComparison.Ordinal));

        Assert.Null(batch.LimitExceeded);
        Assert.Equal(3, batch.Events.Length);
    }

    private const string Id128 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static ParsedBatch Array(params string[] events) =>
        EventParser.ParseJsonArray(Encoding.UTF8.GetBytes("[" + string.Join(",", events) + "]"), Rules, new Directory());

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => id is "suifenhe-road";

        public bool IsKnownCity(string id) => id is "suifenhe";

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
