using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>
/// Newcomer 7 F12: a bad event named only its first problem unless fields were missing, so a feed fixed one field per
/// round trip; and a date in the ISO form that is no day of the calendar was called "not an ISO date".
/// </summary>
public sealed class EventParserEveryProblemTests
{
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 20));

    [Fact]
    public void ParseJsonArray_BadCountAndBadClassification_BothNamedInOneReason()
    {
        var batch = Array("""{"id":"x","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":-3,"classification":"imported"}""");

        Assert.Equal(
            "field 'count' must not be negative, got -3; also unknown classification 'imported'; expected imported-confirmed, imported-asymptomatic, local-confirmed, local-asymptomatic, severe or death",
            Assert.Single(batch.Errors).Reason);
        Assert.Empty(batch.Events);
    }

    [Fact]
    public void ParseJsonArray_MissingFieldsBesideBadOnes_AllNamed_MissingFirst()
    {
        var batch = Array("""{"id":"x","type":"case","location":"port:atlantis","date":"2020-04-25","origin":"ZZ"}""");

        var reason = Assert.Single(batch.Errors).Reason;
        Assert.StartsWith("fields 'count' and 'classification' are required; also ", reason, StringComparison.Ordinal);
        Assert.Contains("date 2020-04-25 is in the future", reason, StringComparison.Ordinal);
        Assert.Contains("unknown port 'atlantis'", reason, StringComparison.Ordinal);
        Assert.Contains("field 'origin': 'ZZ' is not an ISO 3166-1 alpha-2 country code", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJsonArray_ABadCommonFieldBesideABadTypeField_BothNamed()
    {
        var batch = Array("""{"id":"x","type":"intel","subject":"country:RU","date":"2020-13-01","severity":9,"confidence":0.5,"category":"c","summary":"s"}""");

        Assert.Equal(
            "field 'date': 2020-13-01 is not a real date; also field 'severity' must be a whole number from 1 to 5, got 9",
            Assert.Single(batch.Errors).Reason);
    }

    [Theory]
    [InlineData(
        """{"id":"x","type":"intel","subject":"port:atlantis","date":"2020-04-19","severity":0,"confidence":2,"summary":"s"}""",
        "field 'category' is required; also unknown port 'atlantis': it is not in the topology; also field 'severity' must be a whole number from 1 to 5, got 0; also field 'confidence' must be a number between 0 and 1, got 2")]
    [InlineData(
        """{"id":"x","type":"traffic","port":"atlantis","date":"2020-04-19","inbound":-1,"origins":{"ZZ":1}}""",
        "unknown port 'atlantis': it is not in the topology; also field 'inbound' must not be negative, got -1; also field 'origins': 'ZZ' is not an ISO 3166-1 alpha-2 country code")]
    [InlineData(
        """{"id":"x","type":"country-cases","country":"ZZ","date":"2020-04-19","newCases":-1,"positivity":4}""",
        "field 'country': 'ZZ' is not an ISO 3166-1 alpha-2 country code; also field 'newCases' must not be negative, got -1; also field 'positivity' must be a fraction between 0 and 1 (0.04 for 4%), got 4")]
    public void ParseJsonArray_EveryTypesFields_AllProblemsNamed(string json, string reason)
    {
        Assert.Equal(reason, Assert.Single(Array(json).Errors).Reason);
    }

    [Theory]
    // Review 8 F6: a capacity event named only its first bad figure, and a country-cases event without either count said
    // that alone, so a feed fixed one figure per round trip.
    [InlineData(
        """{"id":"x","type":"capacity","subject":"port:atlantis","date":"2020-04-19","labs":-1,"technicians":"four","testKits":2000000000000,"testTurnaroundHours":-0.5}""",
        "unknown port 'atlantis': it is not in the topology; also field 'labs' must not be negative, got -1; also field 'technicians' must be a number, got the string \"four\"; also field 'testKits' must be at most 1000000000000, got 2000000000000; also field 'testTurnaroundHours' must not be negative, got -0.5")]
    [InlineData(
        """{"id":"x","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","testsPerDay":-10,"isolationBeds":-2,"ascertainmentFactor":10}""",
        "field 'testsPerDay' must not be negative, got -10; also field 'isolationBeds' must not be negative, got -2; also field 'ascertainmentFactor' applies to a country subject (country:XX), not 'city:suifenhe'")]
    [InlineData(
        """{"id":"x","type":"capacity","subject":"country:ZZ","date":"2020-04-19","labs":-1,"ascertainmentFactor":0}""",
        "field 'subject': 'ZZ' is not an ISO 3166-1 alpha-2 country code; also field 'labs' must not be negative, got -1; also field 'ascertainmentFactor' must be above 0 and at most 1000 (official counts × factor = real infections), got 0")]
    [InlineData(
        """{"id":"x","type":"capacity","subject":"region:north","date":"2020-04-30"}""",
        "date 2020-04-30 is in the future (the clock says 2020-04-20; at most 1 day ahead is accepted); also field 'subject' must be 'country:<code>', 'port:<id>' or 'city:<id>', got 'region:north'; also a capacity event needs at least one of testsPerDay, labs, technicians, testKits, isolationBeds, testTurnaroundHours, ascertainmentFactor")]
    [InlineData(
        """{"id":"x","type":"country-cases","country":"RU","date":"2020-04-19","tests":-5,"positivity":4,"newDeaths":-1}""",
        "a country-cases event needs 'newCases' or 'cumulativeCases'; also field 'newDeaths' must not be negative, got -1; also field 'tests' must not be negative, got -5; also field 'positivity' must be a fraction between 0 and 1 (0.04 for 4%), got 4")]
    public void ParseJsonArray_CapacityAndCountryCasesFigures_EveryBadOneNamedWithItsField(string json, string reason)
    {
        Assert.Equal(reason, Assert.Single(Array(json).Errors).Reason);
        Assert.Empty(Array(json).Events);
    }

    [Fact]
    public void ParseJsonArray_CapacityWithOneBadFigure_ReadsAsBefore_AndAGoodOneIsKeptWhole()
    {
        var batch = Array(
            """{"id":"bad","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","labs":-1,"technicians":4}""",
            """{"id":"good","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","labs":2,"technicians":4,"testKits":0,"testTurnaroundHours":6.5}""",
            """{"id":"ru","type":"capacity","subject":"country:ru","date":"2020-04-19","ascertainmentFactor":8}""");

        Assert.Equal("field 'labs' must not be negative, got -1", Assert.Single(batch.Errors).Reason);
        Assert.Collection(
            batch.Events,
            good => Assert.Equal(
                ("city:suifenhe", (double?)null, (double?)2, (double?)4, (double?)0, (double?)null, (double?)6.5, (double?)null),
                Figures(Assert.IsType<CapacityEvent>(good.Event))),
            ru => Assert.Equal(
                ("country:RU", (double?)null, (double?)null, (double?)null, (double?)null, (double?)null, (double?)null, (double?)8),
                Figures(Assert.IsType<CapacityEvent>(ru.Event))));
    }

    private static (string, double?, double?, double?, double?, double?, double?, double?) Figures(CapacityEvent e) =>
        (e.Subject, e.TestsPerDay, e.Labs, e.Technicians, e.TestKits, e.IsolationBeds, e.TestTurnaroundHours, e.AscertainmentFactor);

    [Theory]
    [InlineData("2020-02-30", "field 'date': 2020-02-30 is not a real date")]
    [InlineData("2021-02-29", "field 'date': 2021-02-29 is not a real date")]
    [InlineData("2020-4-19", "field 'date' must be an ISO date like 2020-04-19, got '2020-4-19'; did you mean 2020-04-19?")]
    [InlineData("19/04/2020", "field 'date' must be an ISO date like 2020-04-19, got '19/04/2020'; did you mean 2020-04-19?")]
    [InlineData("2020-04-1x", "field 'date' must be an ISO date like 2020-04-19, got '2020-04-1x'")]
    public void ParseJsonArray_ImpossibleOrMalformedDate_SaysWhichItIs(string date, string reason)
    {
        var batch = Array($$"""{"id":"x","type":"case","location":"port:suifenhe-road","date":"{{date}}","count":1,"classification":"severe"}""");

        Assert.Equal(reason, Assert.Single(batch.Errors).Reason);
    }

    [Fact]
    public void ParseJsonArray_OneProblem_ReadsAsBefore_AndAGoodEventBesideABadOneIsKept()
    {
        var batch = Array(
            """{"id":"bad","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":-3,"classification":"severe"}""",
            """{"id":"good","type":"case","location":"port:suifenhe-road","date":"2020-04-19","count":3,"classification":"severe","origin":"RU"}""");

        Assert.Equal("field 'count' must not be negative, got -3", Assert.Single(batch.Errors).Reason);
        var good = Assert.IsType<CaseEvent>(Assert.Single(batch.Events).Event);
        Assert.Equal(("good", 3, "RU"), (good.Id, good.Count, good.Origin));
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
