using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

public sealed class TopologyIndexTests
{
    private readonly Topology _topology = Topology.Create(TopologySamples.Valid());

    [Fact]
    public void Create_InvalidDocument_ThrowsListingEveryProblem()
    {
        var document = TopologySamples.Valid();
        document = document with
        {
            Cities = document.Cities.SetItem(0, document.Cities[0] with { Province = "nowhere" }),
            Ports = document.Ports.SetItem(0, document.Ports[0] with { Faces = ["XX"] }),
        };

        var ex = Assert.Throws<TopologyException>(() => Topology.Create(document));

        Assert.Equal(2, ex.Problems.Count);
        Assert.StartsWith("The topology is not valid (2 problems):", ex.Message, StringComparison.Ordinal);
        Assert.Contains("city 'suifenhe': unknown province 'nowhere'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValidText_BuildsTheIndex()
    {
        var topology = Topology.Parse(TopologyParser.ToJson(TopologySamples.Valid()));

        Assert.Equal(TopologySamples.Valid(), topology.Document);
    }

    [Fact]
    public void Parse_TextWithContentProblems_ThrowsValidationProblems()
    {
        var json = TopologyParser.ToJson(TopologySamples.WithCity(0, c => c with { Population = 0 }));

        var ex = Assert.Throws<TopologyException>(() => Topology.Parse(json));

        Assert.Equal("city 'suifenhe': population must be greater than zero, but is 0", Assert.Single(ex.Problems));
    }

    [Theory]
    [InlineData("RU")]
    [InlineData("ru")]
    [InlineData(" Ru ")]
    public void TryGetCountry_AnyCase_FindsTheCountry(string code)
    {
        Assert.True(_topology.TryGetCountry(code, out var country));
        Assert.Equal("Russia", country.Name);
    }

    [Theory]
    [InlineData("KZ")]
    [InlineData("XX")]
    [InlineData("")]
    [InlineData(null)]
    public void TryGetCountry_NotInTopology_ReturnsFalse(string? code)
    {
        Assert.False(_topology.TryGetCountry(code, out _));
    }

    [Fact]
    public void TryGetPort_KnownAndUnknownIds_AnswerAccordingly()
    {
        Assert.True(_topology.TryGetPort("suifenhe-rail", out var port));
        Assert.Equal(PortKind.Rail, port.Kind);
        Assert.False(_topology.TryGetPort("Suifenhe-Rail", out _));
        Assert.False(_topology.TryGetPort(null, out _));
    }

    [Fact]
    public void TryGetCity_KnownAndUnknownIds_AnswerAccordingly()
    {
        Assert.True(_topology.TryGetCity("pingxiang", out var city));
        Assert.Equal("guangxi", city.Province);
        Assert.False(_topology.TryGetCity("youyiguan-road", out _));
    }

    [Fact]
    public void TryGetProvince_KnownAndUnknownIds_AnswerAccordingly()
    {
        Assert.True(_topology.TryGetProvince("guangxi", out var province));
        Assert.Null(province.Population);
        Assert.False(_topology.TryGetProvince("yunnan", out _));
    }

    [Fact]
    public void PortsFacing_Country_ReturnsItsPortsInDocumentOrder()
    {
        Assert.Equal(["suifenhe-road", "suifenhe-rail", "dongning"], _topology.PortsFacing("RU").Select(p => p.Id));
        Assert.Equal(["youyiguan-road"], _topology.PortsFacing("vn").Select(p => p.Id));
    }

    [Theory]
    [InlineData("KZ")]
    [InlineData("XX")]
    [InlineData(null)]
    public void PortsFacing_CountryWithoutPorts_IsEmpty(string? code)
    {
        Assert.Empty(_topology.PortsFacing(code));
    }

    [Fact]
    public void PortsOfCity_CityWithSeveralPorts_ReturnsEach()
    {
        Assert.Equal(["suifenhe-road", "suifenhe-rail"], _topology.PortsOfCity("suifenhe").Select(p => p.Id));
        Assert.Empty(_topology.PortsOfCity("harbin"));
        Assert.Empty(_topology.PortsOfCity(null));
    }

    [Fact]
    public void CitiesOfProvince_Province_ReturnsItsCities()
    {
        Assert.Equal(["suifenhe", "dongning"], _topology.CitiesOfProvince("heilongjiang").Select(c => c.Id));
        Assert.Empty(_topology.CitiesOfProvince("yunnan"));
    }

    [Fact]
    public void Lists_FollowDocumentOrder()
    {
        var document = TopologySamples.Valid();

        // ImmutableArray's own Equals compares array references, so compare contents.
        Assert.Equal(document.Countries.ToArray(), _topology.Countries.ToArray());
        Assert.Equal(document.Provinces.ToArray(), _topology.Provinces.ToArray());
        Assert.Equal(document.Cities.ToArray(), _topology.Cities.ToArray());
        Assert.Equal(document.Ports.ToArray(), _topology.Ports.ToArray());
    }

    [Fact]
    public void Parse_EachReferenceToAnEntryIsTheEntrysOwnString_AndTheDocumentIsUnchanged()
    {
        // Parsed, a port's city, its faced countries and a city's province were each a string of their own, copies of
        // ids held as long as the topology is in force (about 7 MB at 100,000 entities).
        var json = TopologyParser.ToJson(TopologySamples.Valid());
        var topology = Topology.Parse(json);

        Assert.All(topology.Ports, port =>
        {
            Assert.Same(topology.Cities.Single(c => c.Id == port.City).Id, port.City);
            Assert.All(port.Faces, code => Assert.Same(topology.Countries.Single(c => c.Code == code).Code, code));
        });
        Assert.All(topology.Cities, city => Assert.Same(topology.Provinces.Single(p => p.Id == city.Province).Id, city.Province));
        Assert.Equal(TopologyParser.Parse(json), topology.Document);
        Assert.Equal(json, TopologyParser.ToJson(topology.Document));
    }

    [Fact]
    public void Create_DefaultArrays_BuildsAnEmptyTopology()
    {
        var topology = Topology.Create(new TopologyDocument(default, default, default, default));

        Assert.Empty(topology.Ports);
        Assert.Empty(topology.PortsFacing("RU"));
        Assert.Equal(TopologyDocument.Empty, topology.Document);
    }
}
