using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

public sealed class DefaultTopologyTests
{
    private static readonly string[] Neighbours = ["RU", "MN", "KP", "KZ", "KG", "TJ", "AF", "PK", "IN", "NP", "BT", "MM", "LA", "VN"];

    private static readonly string[] BorderProvinces = ["heilongjiang", "jilin", "liaoning", "inner-mongolia", "xinjiang", "tibet", "yunnan", "guangxi"];

    [Fact]
    public void Document_ParsedFromTheEmbeddedFile_HasNoValidationProblems()
    {
        var document = TopologyParser.Parse(DefaultTopology.ReadText());

        Assert.Empty(TopologyValidator.Validate(document));
        Assert.Equal(document, DefaultTopology.Document);
    }

    [Fact]
    public void Load_ReturnsOneSharedIndexedTopology()
    {
        var first = DefaultTopology.Load();

        Assert.Same(first, DefaultTopology.Load());
        Assert.Equal(DefaultTopology.Document.Ports.Length, first.Ports.Length);
    }

    [Theory]
    [InlineData("suifenhe-road", PortKind.Road, "suifenhe", "heilongjiang", "RU")]
    [InlineData("suifenhe-rail", PortKind.Rail, "suifenhe", "heilongjiang", "RU")]
    [InlineData("heihe-river", PortKind.River, "heihe", "heilongjiang", "RU")]
    [InlineData("dongning", PortKind.Road, "dongning", "heilongjiang", "RU")]
    [InlineData("fuyuan", PortKind.River, "fuyuan", "heilongjiang", "RU")]
    [InlineData("hunchun-road", PortKind.Road, "hunchun", "jilin", "RU")]
    [InlineData("quanhe", PortKind.Road, "hunchun", "jilin", "KP")]
    [InlineData("dandong-road", PortKind.Road, "dandong", "liaoning", "KP")]
    [InlineData("manzhouli-road", PortKind.Road, "manzhouli", "inner-mongolia", "RU")]
    [InlineData("manzhouli-rail", PortKind.Rail, "manzhouli", "inner-mongolia", "RU")]
    [InlineData("erenhot-road", PortKind.Road, "erenhot", "inner-mongolia", "MN")]
    [InlineData("erenhot-rail", PortKind.Rail, "erenhot", "inner-mongolia", "MN")]
    [InlineData("khorgos-road", PortKind.Road, "khorgos", "xinjiang", "KZ")]
    [InlineData("alashankou-rail", PortKind.Rail, "alashankou", "xinjiang", "KZ")]
    [InlineData("khunjerab", PortKind.Road, "tashkurgan", "xinjiang", "PK")]
    [InlineData("gyirong", PortKind.Road, "gyirong", "tibet", "NP")]
    [InlineData("ruili", PortKind.Road, "ruili", "yunnan", "MM")]
    [InlineData("wanding", PortKind.Road, "ruili", "yunnan", "MM")]
    [InlineData("houqiao", PortKind.Road, "tengchong", "yunnan", "MM")]
    [InlineData("hekou-road", PortKind.Road, "hekou", "yunnan", "VN")]
    [InlineData("hekou-rail", PortKind.Rail, "hekou", "yunnan", "VN")]
    [InlineData("tianbao", PortKind.Road, "malipo", "yunnan", "VN")]
    [InlineData("mohan-road", PortKind.Road, "mengla", "yunnan", "LA")]
    [InlineData("dongxing", PortKind.Road, "dongxing", "guangxi", "VN")]
    [InlineData("youyiguan-road", PortKind.Road, "pingxiang", "guangxi", "VN")]
    [InlineData("pingxiang-rail", PortKind.Rail, "pingxiang", "guangxi", "VN")]
    [InlineData("longbang", PortKind.Road, "jingxi", "guangxi", "VN")]
    public void Ports_NamedInTheSeedsAndDesign_ArePresentWithCityProvinceAndFacedCountry(
        string portId, PortKind kind, string cityId, string provinceId, string faces)
    {
        var topology = DefaultTopology.Load();

        Assert.True(topology.TryGetPort(portId, out var port), $"port '{portId}' is missing");
        Assert.Equal(kind, port.Kind);
        Assert.Equal(cityId, port.City);
        Assert.Contains(faces, port.Faces);
        Assert.True(topology.TryGetCity(cityId, out var city));
        Assert.Equal(provinceId, city.Province);
        Assert.Contains(port, topology.PortsFacing(faces));
        Assert.Contains(port, topology.PortsOfCity(cityId));
    }

    [Fact]
    public void Countries_IncludeEveryLandNeighbour()
    {
        var topology = DefaultTopology.Load();

        Assert.All(Neighbours, code => Assert.True(topology.TryGetCountry(code, out _), $"country {code} is missing"));
    }

    [Fact]
    public void Countries_PopulationsAgreeWithIsoCountriesWithinOnePercent()
    {
        Assert.All(DefaultTopology.Document.Countries, country =>
        {
            Assert.True(IsoCountries.TryGet(country.Code, out var iso));
            var relative = Math.Abs(country.Population - iso.Population!.Value) / (double)iso.Population.Value;
            Assert.True(relative < 0.01, $"{country.Code}: topology {country.Population}, ISO table {iso.Population}");
        });
    }

    [Fact]
    public void Provinces_AreTheEightBorderProvincesWithPopulations()
    {
        var document = DefaultTopology.Document;

        Assert.Equal(BorderProvinces.Order(), document.Provinces.Select(p => p.Id).Order());
        Assert.All(document.Provinces, p => Assert.InRange(p.Population!.Value, 1_000_000, 100_000_000));
    }

    [Fact]
    public void Cities_EachHoldsAPortAndIsSmallerThanItsProvince()
    {
        var topology = DefaultTopology.Load();

        Assert.All(topology.Cities, city =>
        {
            Assert.NotEmpty(topology.PortsOfCity(city.Id));
            Assert.True(topology.TryGetProvince(city.Province, out var province));
            Assert.True(city.Population < province.Population / 10, $"{city.Id} has {city.Population} of {province.Population}");
        });
    }

    [Fact]
    public void Provinces_EachHasAtLeastOneCity()
    {
        var topology = DefaultTopology.Load();

        Assert.All(topology.Provinces, province => Assert.NotEmpty(topology.CitiesOfProvince(province.Id)));
    }

    [Fact]
    public void Countries_EachIsFacedByAPortExceptThoseWithoutACrossing()
    {
        // China has no open land crossing with Afghanistan or Bhutan; they are listed so feeds about them still score.
        var topology = DefaultTopology.Load();

        var unfaced = topology.Countries.Where(c => topology.PortsFacing(c.Code).IsEmpty).Select(c => c.Code).Order();

        Assert.Equal(["AF", "BT"], unfaced);
    }

    [Fact]
    public void ToJson_ThenParse_RoundTripsTheDefaultDocument()
    {
        var document = DefaultTopology.Document;

        Assert.Equal(document, TopologyParser.Parse(TopologyParser.ToJson(document)));
    }
}
