using System.Collections.Immutable;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>
/// The 409 an operator reads when a replacement topology would leave entities out names them exactly: each kind in
/// the right number, ids in order, the first ten named and the rest counted.
/// </summary>
public sealed class TopologyRemovalsTests
{
    private static TopologyRemovals Of(string[]? countries = null, string[]? provinces = null, string[]? cities = null, string[]? ports = null) =>
        new([.. countries ?? []], [.. provinces ?? []], [.. cities ?? []], [.. ports ?? []]);

    [Fact]
    public void Describe_EveryKind_NamesCitiesPortsProvincesThenCountries_InTheRightNumber()
    {
        var removals = Of(countries: ["KP", "MN"], provinces: ["yunnan"], cities: ["ruili"], ports: ["ruili-road", "wanding-road"]);

        Assert.Equal(
            "1 city (ruili), 2 ports (ruili-road, wanding-road), 1 province (yunnan) and 2 countries (KP, MN)",
            removals.Describe());
        Assert.False(removals.IsEmpty);
    }

    [Theory]
    [InlineData("country", "1 country (KP)")]
    [InlineData("province", "1 province (yunnan)")]
    [InlineData("city", "1 city (ruili)")]
    [InlineData("port", "1 port (ruili-road)")]
    public void Describe_OneKindAlone_IsOnePart_AndTheRemovalsAreNotEmpty(string kind, string expected)
    {
        var removals = kind switch
        {
            "country" => Of(countries: ["KP"]),
            "province" => Of(provinces: ["yunnan"]),
            "city" => Of(cities: ["ruili"]),
            _ => Of(ports: ["ruili-road"]),
        };

        Assert.Equal(expected, removals.Describe());
        Assert.False(removals.IsEmpty);
    }

    [Fact]
    public void Describe_Nothing_SaysSo()
    {
        var removals = Of();

        Assert.True(removals.IsEmpty);
        Assert.Equal("nothing", removals.Describe());
    }

    [Theory]
    [InlineData(10, "10 cities (c00, c01, c02, c03, c04, c05, c06, c07, c08, c09)")]
    [InlineData(11, "11 cities (c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, … 1 more)")]
    [InlineData(13, "13 cities (c00, c01, c02, c03, c04, c05, c06, c07, c08, c09, … 3 more)")]
    public void Describe_ManyOfAKind_NamesTheFirstTen_AndCountsTheRest(int count, string expected)
    {
        var removals = Of(cities: [.. Enumerable.Range(0, count).Select(i => $"c{i:00}")]);

        Assert.Equal(expected, removals.Describe());
    }

    [Fact]
    public void Between_NamesWhatTheNextLeavesOut_EachKindInOrder_AndNothingItKeepsOrAdds()
    {
        var current = new TopologyDocument(
            [new CountryInfo("MN", "Mongolia", 3_300_000), new CountryInfo("KP", "North Korea", 25_800_000)],
            [new ProvinceInfo("yunnan", "Yunnan", null), new ProvinceInfo("guangxi", "Guangxi", null)],
            [],
            []);
        var next = current with
        {
            Countries = [new CountryInfo("KP", "North Korea", 25_800_000), new CountryInfo("FR", "France", 67_000_000)],
            Provinces = default,
        };

        var removals = TopologyRemovals.Between(current, next);

        Assert.Equal("MN", Assert.Single(removals.Countries));
        Assert.Equal("guangxi,yunnan", string.Join(",", removals.Provinces));
        Assert.Empty(removals.Cities);
        Assert.Empty(TopologyRemovals.Between(current with { Ports = default }, current).Ports);
        Assert.Throws<ArgumentNullException>(() => TopologyRemovals.Between(null!, current));
        Assert.Throws<ArgumentNullException>(() => TopologyRemovals.Between(current, null!));
    }
}
