using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>
/// A topology replacement re-evaluates exactly the cities whose score inputs it changed: their population, their ports,
/// their ports' faced countries and nominal traffic, and those countries' populations; never for names or places.
/// </summary>
public sealed class TopologyChangesTests
{
    private static string[] Changed(TopologyDocument after, bool newCities = true) =>
        [.. TopologyChanges.CitiesToReevaluate(Topology.Create(TopologySamples.Valid()), Topology.Create(after), newCities)];

    [Fact]
    public void SameTopology_ReevaluatesNobody() => Assert.Empty(Changed(TopologySamples.Valid()));

    [Fact]
    public void PortMovedToAnotherCity_ReevaluatesTheCityItLeftAndTheCityItJoined_Only()
    {
        // suifenhe-rail leaves Suifenhe for Dongning; Pingxiang is untouched.
        Assert.Equal(["suifenhe", "dongning"], Changed(TopologySamples.WithPort(1, p => p with { City = "dongning" })));
    }

    [Fact]
    public void PortFacingAnotherCountry_ReevaluatesItsCity() =>
        Assert.Equal(["suifenhe"], Changed(TopologySamples.WithPort(0, p => p with { Faces = ["RU", "VN"] })));

    [Fact]
    public void PortFacingTheSameCountriesInAnotherOrder_ReevaluatesNobody()
    {
        var before = TopologySamples.WithPort(0, p => p with { Faces = ["RU", "VN"] });
        var after = TopologySamples.WithPort(0, p => p with { Faces = ["VN", "RU"] });

        Assert.Empty(TopologyChanges.CitiesToReevaluate(Topology.Create(before), Topology.Create(after)));
    }

    [Fact]
    public void PortWithItsOwnNominalInbound_ReevaluatesItsCity() =>
        Assert.Equal(["pingxiang"], Changed(TopologySamples.WithPort(3, p => p with { NominalInbound = 12_000 })));

    [Fact]
    public void PortOfAnotherKind_WithoutItsOwnNominalInbound_ReevaluatesItsCity_AsItsDefaultTrafficMoves() =>
        Assert.Equal(["dongning"], Changed(TopologySamples.WithPort(2, p => p with { Kind = PortKind.Air })));

    [Fact]
    public void CityPopulation_ReevaluatesThatCity() =>
        Assert.Equal(["pingxiang"], Changed(TopologySamples.WithCity(2, c => c with { Population = 130_000 })));

    [Fact]
    public void CountryPopulation_ReevaluatesTheCitiesOfThePortsFacingIt() =>
        Assert.Equal(["pingxiang"], Changed(TopologySamples.WithCountry(1, c => c with { Population = 98_000_000 })));

    [Fact]
    public void NamesPlacesAndProvince_ReevaluateNobody()
    {
        var document = TopologySamples.Valid();
        var after = document with
        {
            Countries = document.Countries.SetItem(0, document.Countries[0] with { Name = "Russian Federation" }),
            Cities = document.Cities.SetItem(0, document.Cities[0] with { Name = "Suifenhe City", Province = "guangxi", Lat = 44.4, Lon = 131.2 }),
            Ports = document.Ports.SetItem(0, document.Ports[0] with { Name = "Suifenhe road crossing", Lat = 44.4, Lon = 131.2 }),
        };

        Assert.Empty(Changed(after));
    }

    [Fact]
    public void NewCity_TakingAPortOfTheTopologyInForce_IsReevaluated_WithTheCityThePortLeft()
    {
        var document = TopologySamples.Valid();
        var after = document with
        {
            Cities = document.Cities.Add(new CityInfo("hunchun", "Hunchun", "heilongjiang", 230_000)),
            Ports = document.Ports.SetItem(2, document.Ports[2] with { City = "hunchun" }),
        };

        Assert.Equal(["dongning", "hunchun"], Changed(after));
    }

    [Fact]
    public void NewCityOfNewPorts_IsReevaluated_AsIsAnExistingCityGivenANewPort()
    {
        // A new port facing Russia scores from Russia's incidence at once: its new city may be high on its first day.
        Assert.Equal(["suifenhe", "hunchun"], Changed(WithHunchunOfNewPortsAndASuifenheAirport()));
    }

    [Fact]
    public void NewCityOfNewPorts_LeftOutOnRequest_ButAnExistingCityGivenANewPortIsNot()
    {
        // As a bulk install of a new world asks, so that it does not activate every grain it adds.
        Assert.Equal(["suifenhe"], Changed(WithHunchunOfNewPortsAndASuifenheAirport(), newCities: false));
    }

    private static TopologyDocument WithHunchunOfNewPortsAndASuifenheAirport()
    {
        var document = TopologySamples.Valid();
        return document with
        {
            Cities = document.Cities.Add(new CityInfo("hunchun", "Hunchun", "heilongjiang", 230_000)),
            Ports = document.Ports
                .Add(new PortInfo("hunchun-road", "Hunchun road port", PortKind.Road, "hunchun", ["RU"]))
                .Add(new PortInfo("suifenhe-air", "Suifenhe airport", PortKind.Air, "suifenhe", ["RU"])),
        };
    }

    [Fact]
    public void PortFacingADifferentCountryOfTheSameCount_ReevaluatesItsCity() =>
        Assert.Equal(["suifenhe"], Changed(TopologySamples.WithPort(0, p => p with { Faces = ["VN"] })));

    [Fact]
    public void OnePortSwappedForANewOne_TheCitysPortCountUnchanged_ReevaluatesThatCity()
    {
        // Suifenhe keeps two ports: its railway port is left out, an airport is added.
        var document = TopologySamples.Valid();
        var after = document with
        {
            Ports = document.Ports.SetItem(1, new PortInfo("suifenhe-air", "Suifenhe airport", PortKind.Air, "suifenhe", ["RU"])),
        };

        Assert.Equal(["suifenhe"], Changed(after));
    }

    [Fact]
    public void PopulationOfOneOfTwoCountriesAPortFaces_ReevaluatesItsCity()
    {
        var before = TopologySamples.WithPort(0, p => p with { Faces = ["RU", "VN"] });
        var after = before with { Countries = before.Countries.SetItem(1, before.Countries[1] with { Population = 98_000_000 }) };

        Assert.Equal<string>(["suifenhe", "pingxiang"], TopologyChanges.CitiesToReevaluate(Topology.Create(before), Topology.Create(after)));
    }

    [Fact]
    public void NewCityTakingAnOldPortBesideANewOne_IsReevaluated_EvenWhenNewCitiesAreLeftOut()
    {
        var document = TopologySamples.Valid();
        var after = document with
        {
            Cities = document.Cities.Add(new CityInfo("hunchun", "Hunchun", "heilongjiang", 230_000)),
            Ports = document.Ports
                .SetItem(2, document.Ports[2] with { City = "hunchun" })
                .Add(new PortInfo("hunchun-road", "Hunchun road port", PortKind.Road, "hunchun", ["RU"])),
        };

        Assert.Equal(["dongning", "hunchun"], Changed(after, newCities: false));
    }

    [Fact]
    public void CountryLeftOutOfTheTopology_ReevaluatesTheCitiesOfThePortsThatFacedIt()
    {
        // A port may face only listed countries, so leaving Mongolia out means Dongning's port faces Russia alone now.
        var document = TopologySamples.Valid();
        var before = TopologySamples.WithPort(2, p => p with { Faces = ["RU", "MN"] }) with { Countries = document.Countries.Add(new CountryInfo("MN", "Mongolia", 3_000_000)) };

        Assert.Equal<string>(["dongning"], TopologyChanges.CitiesToReevaluate(Topology.Create(before), Topology.Create(document)));
    }
}
