using System.Text;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>Texts that used to overflow the stack or expand without bound: each is refused with a message naming why.</summary>
public sealed class TopologyParserLimitTests
{
    [Fact]
    public void ParseYaml_SelfAlias_RefusedNamingTheAlias()
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse("countries: &a\n  - *a\n"));

        Assert.Contains("alias '*a'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseYaml_BillionLaughs_RefusedBeforeExpanding()
    {
        var yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append(level).Append(": &").Append(level).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat($"*{previous}", 9))).Append("]\n");
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(yaml.ToString()));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("anchors and aliases are not accepted", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 10 * 1024 * 1024, $"refusing allocated {allocated} bytes");
    }

    [Fact]
    public void ParseYaml_MergeKey_RefusedAsAnAlias()
    {
        const string yaml = """
            cities:
              - &base { id: a, name: A, province: p, population: 1 }
              - <<: *base
                id: b
            """;

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.ParseYaml(yaml));

        Assert.Contains("alias '*base'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseYaml_TwentyThousandNestedBrackets_RefusedNamingTheDepth()
    {
        var yaml = "countries: " + new string('[', 20_000) + new string(']', 20_000) + "\n";

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(yaml));

        Assert.Contains($"nests deeper than {TopologyParser.MaxDepth} levels", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseYaml_DeepBlockNesting_RefusedNamingTheDepth()
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < 40; i++)
        {
            yaml.Append(new string(' ', i * 2)).Append("k").Append(i).Append(":\n");
        }

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.ParseYaml(yaml.ToString()));

        Assert.Contains("nests deeper than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_TwentyThousandNestedBrackets_RefusedNamingTheDepth()
    {
        var json = "{\"countries\": " + new string('[', 20_000) + new string(']', 20_000) + "}";

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_TextOverTheLimit_RefusedNamingTheLimit()
    {
        var text = "# " + new string('x', TopologyParser.MaxTextLength) + "\ncountries: []\n";

        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(text));

        Assert.Contains($"at most {TopologyParser.MaxTextLength}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"countries\": [{\"code\": \"\\ud800\", \"name\": \"x\", \"population\": 1}]}", "countries[0].code: the text is not valid")]
    [InlineData("{\"\\udfff\": []}", "a field name is not valid text")]
    public void ParseJson_LoneSurrogate_RefusedNamingThePath(string json, string expected)
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(json));

        Assert.Contains(ex.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("countries:\n  - { code: \"\\udfff\\ud800\", name: x, population: 1 }\n")]
    [InlineData("countries:\n  - { code: \"\\ud800\", name: x, population: 1 }\n")]
    public void ParseYaml_BadSurrogateEscape_RefusedAsTopologyException(string yaml)
    {
        Assert.Throws<TopologyException>(() => TopologyParser.ParseYaml(yaml));
    }

    [Fact]
    public void Parse_DefaultTopology_StillReads()
    {
        var document = TopologyParser.Parse(DefaultTopology.ReadText());

        Assert.NotEmpty(document.Ports);
    }

    [Fact]
    public void Removals_EmptyTopology_NamesEveryCityAndPort()
    {
        var current = TopologyParser.Parse(DefaultTopology.ReadText());

        var removals = TopologyRemovals.Between(current, TopologyDocument.Empty);

        Assert.Equal(current.Cities.Length, removals.Cities.Length);
        Assert.Equal(current.Ports.Length, removals.Ports.Length);
        Assert.Contains($"{current.Cities.Length} cities (", removals.Describe(), StringComparison.Ordinal);
        Assert.Contains("more", removals.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Removals_SameTopologyWithAnAddition_IsEmpty()
    {
        var current = TopologyParser.Parse(DefaultTopology.ReadText());
        var next = current with { Countries = current.Countries.Add(new CountryInfo("FR", "France", 67_000_000)) };

        Assert.True(TopologyRemovals.Between(current, next).IsEmpty);
    }

    [Fact]
    public void Removals_OnePortLeftOut_NamesIt()
    {
        var current = TopologyParser.Parse(DefaultTopology.ReadText());
        var dropped = current.Ports[0];
        var next = current with { Ports = current.Ports.RemoveAt(0) };

        var removals = TopologyRemovals.Between(current, next);

        Assert.Equal(dropped.Id, Assert.Single(removals.Ports));
        Assert.Equal($"1 port ({dropped.Id})", removals.Describe());
    }
}
