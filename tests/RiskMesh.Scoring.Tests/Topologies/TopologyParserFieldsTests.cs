using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>
/// The topology's fields as an operator writes them: each port kind by its name, an unknown field of any kind of entry
/// reported, a wrong type named, and one YAML document only.
/// </summary>
public sealed class TopologyParserFieldsTests
{
    private static string Json(string country = """{ "code": "RU", "name": "Russia", "population": 145934462 }""", string province = """{ "id": "heilongjiang", "name": "Heilongjiang", "population": 31850088 }""", string city = """{ "id": "suifenhe", "name": "Suifenhe", "province": "heilongjiang", "population": 100000 }""", string port = """{ "id": "suifenhe-road", "name": "Suifenhe road port", "kind": "road", "city": "suifenhe", "faces": ["RU"] }""") =>
        $$"""{ "countries": [{{country}}], "provinces": [{{province}}], "cities": [{{city}}], "ports": [{{port}}] }""";

    [Theory]
    [InlineData("road", PortKind.Road)]
    [InlineData("rail", PortKind.Rail)]
    [InlineData("air", PortKind.Air)]
    [InlineData("sea", PortKind.Sea)]
    [InlineData("River", PortKind.River)]
    public void Parse_EachPortKind_IsReadByItsName(string name, PortKind kind)
    {
        var document = TopologyParser.Parse(Json(port: $$"""{ "id": "suifenhe-road", "name": "Suifenhe road port", "kind": "{{name}}", "city": "suifenhe", "faces": ["RU"] }"""));

        Assert.Equal(kind, Assert.Single(document.Ports).Kind);
    }

    [Fact]
    public void Parse_UnknownFieldOfACountryAProvinceOrACity_IsReportedWithTheFieldsExpected()
    {
        var json = Json(
            country: """{ "code": "RU", "name": "Russia", "population": 145934462, "capital": "Moscow" }""",
            province: """{ "id": "heilongjiang", "name": "Heilongjiang", "population": 31850088, "area": 473000 }""",
            city: """{ "id": "suifenhe", "name": "Suifenhe", "province": "heilongjiang", "population": 100000, "lng": 131.15 }""");

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal(
            [
                "countries[0] ('RU'): unknown field 'capital' (expected code, name, population)",
                "provinces[0] ('heilongjiang'): unknown field 'area' (expected id, name, population)",
                "cities[0] ('suifenhe'): unknown field 'lng' (expected id, name, province, population, lat, lon)",
            ],
            ex.Problems);
    }

    [Fact]
    public void Parse_NameThatIsANumber_IsATypeError()
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(Json(country: """{ "code": "RU", "name": 7, "population": 145934462 }""")));

        Assert.Equal("countries[0] ('RU').name: expected text, but found the number 7", Assert.Single(ex.Problems));
    }

    [Theory]
    [InlineData("\"RU\"", "ports[0] ('suifenhe-road').faces: expected a list of country codes, but found 'RU'")]
    [InlineData("[[\"RU\"]]", "ports[0] ('suifenhe-road').faces[0]: expected a country code, but found a list")]
    public void Parse_FacesNotAListOfCodes_IsATypeError(string faces, string problem)
    {
        var json = Json(port: $$"""{ "id": "suifenhe-road", "name": "Suifenhe road port", "kind": "road", "city": "suifenhe", "faces": {{faces}} }""");

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal(problem, Assert.Single(ex.Problems));
    }

    [Fact]
    public void ParseYaml_TwoDocuments_RefusedSayingOneIsExpected()
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.ParseYaml("countries: []\n---\ncountries: []\n"));

        Assert.Equal("The topology text holds 2 YAML documents; expected exactly one.", ex.Message);
    }
}
