using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

public sealed class AscertainmentEventTests
{
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 20), MaxEvents: 100);

    private static ParsedBatch Parse(string json) =>
        EventParser.ParseJsonArray(Encoding.UTF8.GetBytes("[" + json + "]"), Rules, new Directory());

    [Fact]
    public void Capacity_AscertainmentFactorForACountry_IsParsedAndRoundTrips()
    {
        var batch = Parse("""{"id":"a","type":"capacity","subject":"country:ru","date":"2020-04-19","ascertainmentFactor":10}""");

        var parsed = Assert.Single(batch.Events);
        var capacity = Assert.IsType<CapacityEvent>(parsed.Event);
        Assert.Equal(10, capacity.AscertainmentFactor);
        Assert.Equal("country:RU", capacity.Subject);
        Assert.Equal(10, Assert.IsType<CapacityEvent>(EventParser.FromCanonical(parsed.CanonicalJson)).AscertainmentFactor);
    }

    [Theory]
    [InlineData("""{"id":"a","type":"capacity","subject":"city:suifenhe","date":"2020-04-19","ascertainmentFactor":10}""", "field 'ascertainmentFactor' applies to a country subject (country:XX), not 'city:suifenhe'")]
    [InlineData("""{"id":"a","type":"capacity","subject":"country:RU","date":"2020-04-19","ascertainmentFactor":0}""", "field 'ascertainmentFactor' must be above 0 and at most 1000 (official counts × factor = real infections), got 0")]
    [InlineData("""{"id":"a","type":"capacity","subject":"country:RU","date":"2020-04-19","ascertainmentFactor":1001}""", "must be above 0 and at most 1000")]
    [InlineData("""{"id":"a","type":"capacity","subject":"country:RU","date":"2020-04-19","ascertainmentFactor":"x10"}""", "field 'ascertainmentFactor' must be a number")]
    public void Capacity_BadAscertainmentFactor_IsRejectedWithTheReason(string json, string expected)
    {
        var error = Assert.Single(Parse(json).Errors);

        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
    }

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => id is "suifenhe-road";

        public bool IsKnownCity(string id) => id is "suifenhe";

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
