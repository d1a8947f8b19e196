using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>
/// How JSON and YAML values are read before the topology's rules apply: which YAML scalars are null, which are text,
/// what a wrong value is called in a problem, and which entry a problem names.
/// </summary>
public sealed class TopologyNodeTests
{
    private const string Cities = """
        cities:
          - { id: suifenhe, name: Suifenhe, province: heilongjiang, population: 100000 }
        ports:
          - { id: suifenhe-road, name: Suifenhe road port, kind: road, city: suifenhe, faces: [RU] }
        """;

    private const string Russia = "{ code: RU, name: Russia, population: 145934462 }";

    private static string YamlWithGuangxiPopulation(string population) => $"""
        countries: [{Russia}]
        provinces:
          - id: heilongjiang
            name: Heilongjiang
            population: 31850088
          - id: guangxi
            name: Guangxi
            population: {population}
        {Cities}
        """;

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    [InlineData("")]
    public void ParseYaml_EachPlainSpellingOfNull_ReadsAsNoValue(string spelling)
    {
        var document = TopologyParser.ParseYaml(YamlWithGuangxiPopulation(spelling));

        Assert.Null(document.Provinces[1].Population);
        Assert.Equal(31850088, document.Provinces[0].Population);
    }

    [Fact]
    public void ParseYaml_QuotedNumber_IsTextAsInJson_AndRefusedAsAPopulation()
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.ParseYaml(YamlWithGuangxiPopulation("\"125000\"")));

        Assert.Equal("provinces[1] ('guangxi').population (line 8): expected a whole number, but found '125000'", Assert.Single(ex.Problems));
    }

    [Fact]
    public void ParseYaml_QuotedNullAsAName_IsTheText()
    {
        var yaml = YamlWithGuangxiPopulation("125000").Replace("name: Guangxi", "name: \"null\"", StringComparison.Ordinal);

        Assert.Equal("null", TopologyParser.ParseYaml(yaml).Provinces[1].Name);
    }

    [Fact]
    public void ParseYaml_NameWithACharacterBeyondTheBasicPlane_IsKeptWhole()
    {
        // U+1F689 (station) is a surrogate pair in .NET strings: a valid pair, not a lone surrogate.
        var yaml = YamlWithGuangxiPopulation("125000").Replace("name: Guangxi", "name: Guangxi \U0001F689", StringComparison.Ordinal);

        Assert.Equal("Guangxi \U0001F689", TopologyParser.ParseYaml(yaml).Provinces[1].Name);
    }

    [Fact]
    public void ParseYaml_FieldNameThatIsAList_IsRefusedNamingTheEntryAndLine()
    {
        var yaml = YamlWithGuangxiPopulation("125000").Replace("    name: Guangxi", "    [a, b]: Guangxi", StringComparison.Ordinal);

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.ParseYaml(yaml));

        Assert.Contains("provinces[1] (line 7): field names must be plain text", ex.Problems);
    }

    [Fact]
    public void ParseJson_DuplicateKeyInALaterEntry_NamesThatEntry()
    {
        const string json = """
            { "countries": [
                { "code": "RU", "name": "Russia", "population": 145934462 },
                { "code": "VN", "name": "Vietnam", "code": "VN", "population": 97338579 } ],
              "provinces": [], "cities": [], "ports": [] }
            """;

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal("countries[1].code: the field is given more than once", Assert.Single(ex.Problems));
    }

    [Theory]
    [InlineData("[1]", "a list")]
    [InlineData("{}", "an object")]
    [InlineData("true", "the value true")]
    [InlineData("1.5", "the number 1.5")]
    [InlineData("\"many\"", "'many'")]
    public void ParseJson_WrongKindOfPopulation_IsNamedAsWritten(string population, string described)
    {
        var json = $$"""
            { "countries": [ { "code": "RU", "name": "Russia", "population": {{population}} } ],
              "provinces": [], "cities": [], "ports": [] }
            """;

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal($"countries[0] ('RU').population: expected a whole number, but found {described}", Assert.Single(ex.Problems));
    }

    [Fact]
    public void ParseJson_NullCountryCodeInFaces_IsNamedNull()
    {
        const string json = """
            { "countries": [ { "code": "RU", "name": "Russia", "population": 145934462 } ],
              "provinces": [ { "id": "heilongjiang", "name": "Heilongjiang", "population": 31850088 } ],
              "cities": [ { "id": "suifenhe", "name": "Suifenhe", "province": "heilongjiang", "population": 100000 } ],
              "ports": [ { "id": "suifenhe-road", "name": "Suifenhe road port", "kind": "road", "city": "suifenhe", "faces": ["RU", null] } ] }
            """;

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Equal("ports[0] ('suifenhe-road').faces[1]: expected a country code, but found null", Assert.Single(ex.Problems));
    }
}
