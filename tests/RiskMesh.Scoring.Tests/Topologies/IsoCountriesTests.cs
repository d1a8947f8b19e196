using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Topologies;

public sealed class IsoCountriesTests
{
    [Fact]
    public void All_CoversEveryOfficiallyAssignedCode()
    {
        // ISO 3166-1 has 249 officially assigned alpha-2 codes; fewer means the data file lost rows.
        Assert.Equal(249, IsoCountries.All.Length);
    }

    [Fact]
    public void All_CodesAreUniqueUpperCasePairsInOrder()
    {
        var codes = IsoCountries.All.Select(c => c.Code).ToList();

        Assert.All(codes, code => Assert.Matches("^[A-Z]{2}$", code));
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), codes);
    }

    [Fact]
    public void All_EveryEntryHasANameAndAPositiveOrAbsentPopulation()
    {
        Assert.All(IsoCountries.All, country =>
        {
            Assert.False(string.IsNullOrWhiteSpace(country.Name));
            Assert.True(country.Population is null or > 0, $"{country.Code} has population {country.Population}");
        });
    }

    [Fact]
    public void All_WorldTotalIsAboutSevenPointEightBillion()
    {
        // UN WPP puts the mid-2020 world population near 7.8 billion; a typo of a few digits would show here.
        var total = IsoCountries.All.Sum(c => c.Population ?? 0);

        Assert.InRange(total, 7_600_000_000, 8_000_000_000);
    }

    [Fact]
    public void TryGet_Russia_ReturnsIsoNameAndPopulation()
    {
        Assert.True(IsoCountries.TryGet("RU", out var russia));
        Assert.Equal("Russian Federation", russia.Name);
        Assert.InRange(russia.Population!.Value, 140_000_000, 150_000_000);
    }

    [Fact]
    public void TryGet_LowerCaseInput_FindsTheCountry()
    {
        Assert.True(IsoCountries.TryGet(" vn", out var vietnam));
        Assert.Equal("VN", vietnam.Code);
    }

    [Fact]
    public void TryGet_Antarctica_HasNoPopulation()
    {
        Assert.True(IsoCountries.TryGet("AQ", out var antarctica));
        Assert.Null(antarctica.Population);
    }

    [Theory]
    [InlineData("XK")]
    [InlineData("UK")]
    [InlineData("ZZ")]
    [InlineData("")]
    public void TryGet_UnassignedCode_Fails(string code)
    {
        Assert.False(IsoCountries.TryGet(code, out _));
        Assert.False(IsoCountries.Contains(code));
    }

    [Theory]
    [InlineData("RU")]
    [InlineData("MN")]
    [InlineData("KP")]
    [InlineData("KZ")]
    [InlineData("KG")]
    [InlineData("TJ")]
    [InlineData("AF")]
    [InlineData("PK")]
    [InlineData("IN")]
    [InlineData("NP")]
    [InlineData("BT")]
    [InlineData("MM")]
    [InlineData("LA")]
    [InlineData("VN")]
    public void TryGet_EveryLandNeighbourOfChina_HasAPopulation(string code)
    {
        Assert.True(IsoCountries.TryGet(code, out var country));
        Assert.True(country.Population > 0);
    }
}
