using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

public sealed class NominalTrafficTests
{
    private const string Json = """
        {
          "countries": [ { "code": "RU", "name": "Russia", "population": 145934462 } ],
          "provinces": [ { "id": "heilongjiang", "name": "Heilongjiang" } ],
          "cities": [ { "id": "suifenhe", "name": "Suifenhe", "province": "heilongjiang", "population": 100000 } ],
          "ports": [
            { "id": "suifenhe-road", "name": "Suifenhe road port", "kind": "road", "city": "suifenhe", "faces": ["RU"], "nominalInbound": 1100 },
            { "id": "suifenhe-rail", "name": "Suifenhe railway port", "kind": "rail", "city": "suifenhe", "faces": ["RU"] }
          ]
        }
        """;

    [Fact]
    public void Parse_NominalInbound_IsReadAndOptional()
    {
        var document = TopologyParser.Parse(Json);

        Assert.Equal(1100, document.Ports[0].NominalInbound);
        Assert.Equal(1100, document.Ports[0].NominalInboundPerDay);
        Assert.False(document.Ports[0].NominalInboundIsDefault);
        Assert.Null(document.Ports[1].NominalInbound);
        Assert.Equal(NominalTraffic.Rail, document.Ports[1].NominalInboundPerDay);
        Assert.True(document.Ports[1].NominalInboundIsDefault);
        Assert.Empty(TopologyValidator.Validate(document));
    }

    [Fact]
    public void Validate_NegativeNominalInbound_IsNamed()
    {
        var document = TopologyParser.Parse(Json.Replace("1100", "-5", StringComparison.Ordinal));

        Assert.Contains("port 'suifenhe-road': nominalInbound -5 is negative (travellers a day, 0 or more)", TopologyValidator.Validate(document));
    }

    [Fact]
    public void Parse_NominalInboundNotANumber_IsReported()
    {
        var ex = Assert.Throws<TopologyException>(() => TopologyParser.Parse(Json.Replace("1100", "\"many\"", StringComparison.Ordinal)));

        Assert.Contains(ex.Problems, p => p.StartsWith("ports[0] ('suifenhe-road').nominalInbound", StringComparison.Ordinal));
    }

    [Fact]
    public void PortEquality_IncludesNominalInbound()
    {
        var document = TopologyParser.Parse(Json);
        var port = document.Ports[0];

        Assert.NotEqual(port, port with { NominalInbound = 1200 });
        Assert.Equal(port, port with { });
        Assert.Equal(port.GetHashCode(), (port with { }).GetHashCode());
    }

    [Theory]
    [InlineData(PortKind.Road, NominalTraffic.Road)]
    [InlineData(PortKind.Rail, NominalTraffic.Rail)]
    [InlineData(PortKind.River, NominalTraffic.River)]
    [InlineData(PortKind.Air, NominalTraffic.Air)]
    [InlineData(PortKind.Sea, NominalTraffic.Sea)]
    public void DefaultInbound_ByKind(PortKind kind, long expected) => Assert.Equal(expected, NominalTraffic.DefaultInbound(kind));

    [Theory]
    [InlineData("suifenhe-road", 1100)]
    [InlineData("manzhouli-road", 2000)]
    [InlineData("erenhot-road", 1500)]
    [InlineData("heihe-river", 940)]
    [InlineData("khorgos-road", 6150)]
    public void DefaultTopology_CarriesDocumentedFigures(string port, long inbound)
    {
        Assert.True(DefaultTopology.Load().TryGetPort(port, out var info));
        Assert.Equal(inbound, info.NominalInbound);
    }

    [Fact]
    public void DefaultTopology_EveryPortHasANominalInbound() =>
        Assert.All(DefaultTopology.Load().Ports, p => Assert.True(p.NominalInboundPerDay > 0, p.Id));
}
