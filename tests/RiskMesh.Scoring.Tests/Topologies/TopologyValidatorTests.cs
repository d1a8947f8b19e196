using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

public sealed class TopologyValidatorTests
{
    [Fact]
    public void Validate_ValidDocument_ReportsNothing()
    {
        Assert.Empty(TopologyValidator.Validate(TopologySamples.Valid()));
    }

    [Fact]
    public void Validate_EmptyDocument_ReportsNothing()
    {
        Assert.Empty(TopologyValidator.Validate(TopologyDocument.Empty));
    }

    [Fact]
    public void Validate_DuplicatePortId_NamesThePort()
    {
        var document = TopologySamples.WithPort(1, p => p with { Id = "suifenhe-road" });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Contains("port 'suifenhe-road'", problem, StringComparison.Ordinal);
        Assert.Contains("duplicate port id", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateCityId_NamesTheCity()
    {
        var document = TopologySamples.WithCity(1, c => c with { Id = "suifenhe" });

        var problems = TopologyValidator.Validate(document);

        Assert.Contains(problems, p => p.StartsWith("city 'suifenhe'", StringComparison.Ordinal) && p.Contains("duplicate city id", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateProvinceId_NamesTheProvince()
    {
        var document = TopologySamples.WithProvince(1, p => p with { Id = "heilongjiang" });

        var problems = TopologyValidator.Validate(document);

        Assert.Contains(problems, p => p.StartsWith("province 'heilongjiang'", StringComparison.Ordinal) && p.Contains("duplicate province id", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateCountryCode_NamesTheCountry()
    {
        var document = TopologySamples.WithCountry(1, c => c with { Code = "RU" });

        var problems = TopologyValidator.Validate(document);

        Assert.Contains(problems, p => p.StartsWith("country 'RU'", StringComparison.Ordinal) && p.Contains("duplicate country code", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Suifenhe-Rail")]
    [InlineData("suifenhe_rail")]
    [InlineData("")]
    public void Validate_PortIdNotASlug_SaysSo(string id)
    {
        var document = TopologySamples.WithPort(1, p => p with { Id = id });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Contains($"'{id}' is not a valid slug", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CityIdNotASlug_SaysSo()
    {
        var document = TopologySamples.WithCity(2, c => c with { Id = "Ping Xiang" });

        var problems = TopologyValidator.Validate(document);

        Assert.Contains(problems, p => p.StartsWith("city 'Ping Xiang'", StringComparison.Ordinal) && p.Contains("not a valid slug", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("R1")]
    [InlineData("ru")]
    [InlineData("RUS")]
    public void Validate_CountryCodeNotAssignedIso_SaysSo(string code)
    {
        var document = TopologySamples.WithCountry(0, c => c with { Code = code });

        var problems = TopologyValidator.Validate(document);

        Assert.Contains(problems, p => p == $"country '{code}': '{code}' is not an assigned ISO 3166-1 alpha-2 code (two upper-case letters, e.g. RU)");
    }

    [Fact]
    public void Validate_CityInUnknownProvince_NamesCityAndProvince()
    {
        var document = TopologySamples.WithCity(0, c => c with { Province = "heilongjiang-north" });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Equal("city 'suifenhe': unknown province 'heilongjiang-north' (not a province in the topology)", problem);
    }

    [Fact]
    public void Validate_PortInUnknownCity_NamesPortAndCity()
    {
        var document = TopologySamples.WithPort(2, p => p with { City = "dongning-city" });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Equal("port 'dongning': unknown city 'dongning-city' (not a city in the topology)", problem);
    }

    [Fact]
    public void Validate_PortFacingCountryMissingFromTopology_NamesTheCountry()
    {
        var document = TopologySamples.WithPort(0, p => p with { Faces = ["RU", "KZ"] });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Equal("port 'suifenhe-road': faces unknown country 'KZ' (add it to the topology's countries)", problem);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("R1")]
    [InlineData("")]
    public void Validate_PortFacingInvalidCode_SaysItIsNotIso(string code)
    {
        var document = TopologySamples.WithPort(0, p => p with { Faces = [code] });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Equal($"port 'suifenhe-road': faces '{code}', which is not an assigned ISO 3166-1 alpha-2 code", problem);
    }

    [Fact]
    public void Validate_PortFacingNoCountry_SaysSo()
    {
        var document = TopologySamples.WithPort(3, p => p with { Faces = [] });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.StartsWith("port 'youyiguan-road': faces no country", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PortFacingSameCountryTwice_SaysSo()
    {
        var document = TopologySamples.WithPort(0, p => p with { Faces = ["RU", "RU"] });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Equal("port 'suifenhe-road': faces 'RU' more than once", problem);
    }

    [Fact]
    public void Validate_PortWithUndefinedKind_SaysSo()
    {
        var document = TopologySamples.WithPort(0, p => p with { Kind = (PortKind)42 });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Contains("kind 42 is not a port kind", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_CityPopulationNotPositive_SaysSo(long population)
    {
        var document = TopologySamples.WithCity(1, c => c with { Population = population });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Equal($"city 'dongning': population must be greater than zero, but is {population}", problem);
    }

    [Fact]
    public void Validate_CountryPopulationNotPositive_SaysSo()
    {
        var document = TopologySamples.WithCountry(1, c => c with { Population = 0 });

        var problem = Assert.Single(TopologyValidator.Validate(document));
        Assert.Equal("country 'VN': population must be greater than zero, but is 0", problem);
    }

    [Fact]
    public void Validate_ProvincePopulationNotPositive_SaysSoButAbsentIsFine()
    {
        var negative = TopologySamples.WithProvince(0, p => p with { Population = -1 });
        var absent = TopologySamples.WithProvince(0, p => p with { Population = null });

        Assert.Equal("province 'heilongjiang': population must be greater than zero, but is -1", Assert.Single(TopologyValidator.Validate(negative)));
        Assert.Empty(TopologyValidator.Validate(absent));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_MissingNames_NameEachEntity(string blank)
    {
        var document = TopologySamples.Valid();
        document = document with
        {
            Countries = document.Countries.SetItem(0, document.Countries[0] with { Name = blank }),
            Provinces = document.Provinces.SetItem(0, document.Provinces[0] with { Name = blank }),
            Cities = document.Cities.SetItem(0, document.Cities[0] with { Name = blank }),
            Ports = document.Ports.SetItem(0, document.Ports[0] with { Name = blank }),
        };

        var problems = TopologyValidator.Validate(document);

        Assert.Equal(
            [
                "country 'RU': name is missing",
                "province 'heilongjiang': name is missing",
                "city 'suifenhe': name is missing",
                "port 'suifenhe-road': name is missing",
            ],
            problems);
    }

    [Fact]
    public void Validate_DefaultArrays_AreTreatedAsEmpty()
    {
        var document = new TopologyDocument(default, default, default, default);

        Assert.Empty(TopologyValidator.Validate(document));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var document = TopologySamples.Valid();
        document = document with
        {
            Cities = document.Cities.SetItem(0, document.Cities[0] with { Population = 0 }),
            Ports = document.Ports.SetItem(3, document.Ports[3] with { City = "nowhere", Faces = ["LA"] }),
        };

        Assert.Equal(3, TopologyValidator.Validate(document).Count);
    }
}
