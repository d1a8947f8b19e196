using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>Coordinates of ports and cities: read from JSON and YAML, range-checked, and present for every place of the default topology.</summary>
public sealed class TopologyCoordinatesTests
{
    [Fact]
    public void Parse_PortAndCityWithLatLon_ReadsThemAndWritesThemBack()
    {
        const string json = """
            {"countries": [{"code": "RU", "name": "Russia", "population": 1}],
             "provinces": [{"id": "heilongjiang", "name": "Heilongjiang"}],
             "cities": [{"id": "suifenhe", "name": "Suifenhe", "province": "heilongjiang", "population": 1, "lat": 44.4, "lon": 131.15}],
             "ports": [{"id": "suifenhe-road", "name": "Suifenhe road", "kind": "road", "city": "suifenhe", "faces": ["RU"], "lat": 44.43, "lon": 131.21}]}
            """;

        var document = TopologyParser.Parse(json);

        Assert.Equal((44.4, 131.15), (document.Cities[0].Lat, document.Cities[0].Lon));
        Assert.Equal((44.43, 131.21), (document.Ports[0].Lat, document.Ports[0].Lon));
        Assert.Equal(document, TopologyParser.Parse(TopologyParser.ToJson(document)));
        Assert.Contains("\"lat\": 44.43", TopologyParser.ToJson(document), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_YamlCoordinates_ReadAsNumbers()
    {
        const string yaml = """
            countries: [{code: RU, name: Russia, population: 1}]
            provinces: [{id: heilongjiang, name: Heilongjiang}]
            cities: [{id: suifenhe, name: Suifenhe, province: heilongjiang, population: 1, lat: 44.4, lon: 131.15}]
            ports: []
            """;

        var city = TopologyParser.Parse(yaml).Cities[0];

        Assert.Equal((44.4, 131.15), (city.Lat, city.Lon));
    }

    [Fact]
    public void Parse_CoordinateAsText_NamesTheField()
    {
        const string json = """
            {"cities": [{"id": "suifenhe", "name": "Suifenhe", "province": "heilongjiang", "population": 1, "lat": "north", "lon": 131.15}]}
            """;

        var error = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Contains("cities[0] ('suifenhe').lat: expected a number of degrees", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90.5, 131.0, "lat must be between -90 and 90 degrees, but is 90.5")]
    [InlineData(-91.0, 131.0, "lat must be between -90 and 90 degrees, but is -91")]
    [InlineData(44.0, 180.01, "lon must be between -180 and 180 degrees, but is 180.01")]
    [InlineData(44.0, -200.0, "lon must be between -180 and 180 degrees, but is -200")]
    public void Validate_CoordinateOutOfRange_NamesThePortAndTheRange(double lat, double lon, string expected)
    {
        var document = TopologySamples.WithPort(0, p => p with { Lat = lat, Lon = lon });

        var problem = Assert.Single(TopologyValidator.Validate(document));

        Assert.StartsWith($"port '{document.Ports[0].Id}'", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CityWithLatButNoLon_AsksForBoth()
    {
        var document = TopologySamples.WithCity(0, c => c with { Lat = 44.4, Lon = null });

        var problem = Assert.Single(TopologyValidator.Validate(document));

        Assert.Contains("give both lat and lon, or neither", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoCoordinates_IsStillValid()
    {
        Assert.Empty(TopologyValidator.Validate(TopologySamples.WithPort(0, p => p with { Lat = null, Lon = null })));
    }

    [Fact]
    public void DefaultTopology_EveryPortAndCity_HasCoordinatesInsideChinasBorderRegion()
    {
        var document = DefaultTopology.Document;

        // China's land borders lie between about 18–54° N and 73–135° E.
        Assert.All(document.Cities, c => Assert.True(c.Lat is >= 18 and <= 54 && c.Lon is >= 73 and <= 135, $"city {c.Id} at {c.Lat}, {c.Lon}"));
        Assert.All(document.Ports, p => Assert.True(p.Lat is >= 18 and <= 54 && p.Lon is >= 73 and <= 135, $"port {p.Id} at {p.Lat}, {p.Lon}"));
    }

    [Fact]
    public void DefaultTopology_EveryPort_LiesNearItsCity()
    {
        var document = DefaultTopology.Document;
        var cities = document.Cities.ToDictionary(c => c.Id);

        // A port belongs to the county-level unit that holds it: a crossing far from its seat is a typo in the coordinates.
        Assert.All(document.Ports, p =>
        {
            var city = cities[p.City];
            var km = DistanceKm(p.Lat!.Value, p.Lon!.Value, city.Lat!.Value, city.Lon!.Value);
            Assert.True(km < 200, $"port {p.Id} is {km:0} km from its city {city.Id}");
        });
    }

    private static double DistanceKm(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2));
        return 6371 * 2 * Math.Asin(Math.Sqrt(a));
    }
}
