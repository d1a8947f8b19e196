using System.Text.Json;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

public sealed class TopologyParserTests
{
    private const string SampleJson = """
        {
          "countries": [
            { "code": "RU", "name": "Russia", "population": 145934462 },
            { "code": "VN", "name": "Vietnam", "population": 97338579 }
          ],
          "provinces": [
            { "id": "heilongjiang", "name": "Heilongjiang", "population": 31850088 },
            { "id": "guangxi", "name": "Guangxi", "population": null }
          ],
          "cities": [
            { "id": "suifenhe", "name": "Suifenhe", "province": "heilongjiang", "population": 100000 },
            { "id": "dongning", "name": "Dongning", "province": "heilongjiang", "population": 195489 },
            { "id": "pingxiang", "name": "Pingxiang", "province": "guangxi", "population": 125000 }
          ],
          "ports": [
            { "id": "suifenhe-road", "name": "Suifenhe road port", "kind": "road", "city": "suifenhe", "faces": ["RU"] },
            { "id": "suifenhe-rail", "name": "Suifenhe railway port", "kind": "rail", "city": "suifenhe", "faces": ["RU"] },
            { "id": "dongning", "name": "Dongning road port", "kind": "road", "city": "dongning", "faces": ["RU"] },
            { "id": "youyiguan-road", "name": "Youyiguan road port", "kind": "road", "city": "pingxiang", "faces": ["VN"] }
          ]
        }
        """;

    private const string SampleYaml = """
        # The same topology as SampleJson, written as an operator would by hand.
        countries:
          - code: RU
            name: Russia
            population: 145934462
          - { code: VN, name: Vietnam, population: 97338579 }
        provinces:
          - id: heilongjiang
            name: Heilongjiang
            population: 31850088
          - id: guangxi
            name: Guangxi
        cities:
          - id: suifenhe
            name: Suifenhe
            province: heilongjiang
            population: 100000
          - id: dongning
            name: Dongning
            province: heilongjiang
            population: 195489
          - id: pingxiang
            name: "Pingxiang"
            province: guangxi
            population: 125000
        ports:
          - id: suifenhe-road
            name: Suifenhe road port
            kind: road
            city: suifenhe
            faces: [RU]
          - id: suifenhe-rail
            name: Suifenhe railway port
            kind: rail
            city: suifenhe
            faces:
              - RU
          - id: dongning
            name: Dongning road port
            kind: road
            city: dongning
            faces: [RU]
          - id: youyiguan-road
            name: Youyiguan road port
            kind: road
            city: pingxiang
            faces: [VN]
        """;

    [Fact]
    public void Parse_Json_ReadsEveryField()
    {
        var document = TopologyParser.Parse(SampleJson);

        Assert.Equal(TopologySamples.Valid(), document);
    }

    [Fact]
    public void Parse_Yaml_ReadsTheSameDocumentAsJson()
    {
        var document = TopologyParser.Parse(SampleYaml);

        Assert.Equal(TopologySamples.Valid(), document);
    }

    [Fact]
    public void ToJson_ThenParse_RoundTripsTheDocument()
    {
        var original = TopologySamples.Valid();

        var json = TopologyParser.ToJson(original);

        Assert.Equal(original, TopologyParser.Parse(json));
    }

    [Fact]
    public void ToJson_WritesCamelCaseFieldsAndLowerCaseKinds()
    {
        var json = TopologyParser.ToJson(TopologySamples.Valid(), indented: false);

        Assert.Contains("\"ports\":[{\"id\":\"suifenhe-road\",\"name\":\"Suifenhe road port\",\"kind\":\"road\",\"city\":\"suifenhe\",\"faces\":[\"RU\"]}", json, StringComparison.Ordinal);
        Assert.Contains("{\"id\":\"guangxi\",\"name\":\"Guangxi\",\"population\":null}", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"rail\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSerializer_WithDefaultOptions_RoundTripsTheRecords()
    {
        var original = TopologySamples.Valid();

        var json = JsonSerializer.Serialize(original);
        var copy = JsonSerializer.Deserialize<TopologyDocument>(json);

        Assert.Equal(original, copy);
        Assert.Contains("\"countries\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_SameContentInNewArrays_IsEqualWithEqualHashCodes()
    {
        var a = TopologySamples.Valid();
        var b = TopologySamples.Valid();

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, TopologySamples.WithPort(0, p => p with { Faces = ["RU", "VN"] }));
    }

    [Fact]
    public void Parse_LowerCaseOrPaddedCountryCodes_AreNormalised()
    {
        var json = SampleJson.Replace("\"code\": \"RU\"", "\"code\": \" ru\"", StringComparison.Ordinal)
            .Replace("\"faces\": [\"VN\"]", "\"faces\": [\"vn\"]", StringComparison.Ordinal);

        var document = TopologyParser.Parse(json);

        Assert.Equal("RU", document.Countries[0].Code);
        Assert.Equal(["VN"], document.Ports[3].Faces.ToArray());
    }

    [Fact]
    public void Parse_InvalidCountryCode_IsKeptForTheValidator()
    {
        var json = SampleJson.Replace("\"code\": \"RU\"", "\"code\": \"R1\"", StringComparison.Ordinal);

        var document = TopologyParser.Parse(json);

        Assert.Equal("R1", document.Countries[0].Code);
        Assert.Contains(TopologyValidator.Validate(document), p => p.StartsWith("country 'R1'", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommasInJson_AreTolerated()
    {
        const string json = """
            {
              // Hand-edited files carry notes.
              "countries": [ { "code": "RU", "name": "Russia", "population": 1, }, ],
            }
            """;

        var document = TopologyParser.Parse(json);

        Assert.Single(document.Countries);
        Assert.Empty(document.Ports);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsTheLine()
    {
        const string json = "{\n  \"countries\": [\n    { \"code\": \"RU\" \"name\": \"Russia\" }\n  ]\n}";

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.StartsWith("The topology is not well-formed JSON at line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedYaml_ReportsTheLine()
    {
        const string yaml = "countries:\n  - code: RU\n    name: [Russia\n";

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(yaml));

        Assert.StartsWith("The topology is not well-formed YAML at line ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownPortKind_NamesThePortFieldAndAllowedValues()
    {
        var json = SampleJson.Replace("\"kind\": \"rail\"", "\"kind\": \"bus\"", StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("ports[1] ('suifenhe-rail').kind: 'bus' is not a port kind (expected road, rail, air, sea or river)", problem);
    }

    [Fact]
    public void Parse_YamlProblem_CarriesTheLine()
    {
        var yaml = SampleYaml.Replace("kind: rail", "kind: bus", StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(yaml));

        var problem = Assert.Single(ex.Problems);
        var expectedLine = yaml.Split('\n').ToList().FindIndex(l => l.Contains("kind: bus", StringComparison.Ordinal)) + 1;
        Assert.Equal($"ports[1] ('suifenhe-rail').kind (line {expectedLine}): 'bus' is not a port kind (expected road, rail, air, sea or river)", problem);
    }

    [Fact]
    public void Parse_MissingField_NamesTheEntryAndField()
    {
        var json = SampleJson.Replace("\"province\": \"guangxi\", ", string.Empty, StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal("cities[2] ('pingxiang'): missing field 'province'", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_UnknownField_IsReported()
    {
        var json = SampleJson.Replace("\"faces\": [\"VN\"]", "\"face\": [\"VN\"]", StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Contains("ports[3] ('youyiguan-road'): unknown field 'face' (expected id, name, kind, city, faces, lat, lon, nominalInbound)", ex.Problems);
        Assert.Contains("ports[3] ('youyiguan-road'): missing field 'faces'", ex.Problems);
    }

    [Fact]
    public void Parse_PopulationAsTextInJson_IsATypeError()
    {
        var json = SampleJson.Replace("\"population\": 195489", "\"population\": \"195489\"", StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal("cities[1] ('dongning').population: expected a whole number, but found '195489'", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_FractionalPopulation_IsRejected()
    {
        var json = SampleJson.Replace("\"population\": 195489", "\"population\": 1954.5", StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal("cities[1] ('dongning').population: expected a whole number, but found the number 1954.5", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOneInTheMessage()
    {
        var json = SampleJson.Replace("\"kind\": \"rail\"", "\"kind\": 3", StringComparison.Ordinal)
            .Replace("\"population\": 100000", "\"population\": true", StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal(2, ex.Problems.Count);
        Assert.All(ex.Problems, p => Assert.Contains(p, ex.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ListWhereObjectExpected_IsReported()
    {
        const string json = """{ "countries": { "code": "RU" } }""";

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal("countries: expected a list, but found an object", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Parse_RootNotAnObject_IsReported()
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse("[1, 2]"));

        Assert.StartsWith("the top level must be an object", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public void Parse_EmptyText_Throws(string text)
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(text));

        Assert.Equal("The topology text is empty.", ex.Message);
    }

    [Fact]
    public void Parse_TextStartingWithByteOrderMark_IsRead()
    {
        Assert.Equal(TopologySamples.Valid(), TopologyParser.Parse("\uFEFF" + SampleJson));
        Assert.Equal(TopologySamples.Valid(), TopologyParser.Parse("\uFEFF" + SampleYaml));
    }

    [Fact]
    public void Parse_DuplicateJsonKey_IsReported()
    {
        const string json = """{ "countries": [ { "code": "RU", "code": "KZ", "name": "Russia", "population": 1 } ] }""";

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal("countries[0].code: the field is given more than once", Assert.Single(ex.Problems));
    }
}
