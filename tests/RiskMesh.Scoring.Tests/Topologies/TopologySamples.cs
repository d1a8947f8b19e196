using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>A small valid topology that tests alter one field at a time.</summary>
internal static class TopologySamples
{
    public static TopologyDocument Valid() => new(
        [
            new CountryInfo("RU", "Russia", 145_934_462),
            new CountryInfo("VN", "Vietnam", 97_338_579),
        ],
        [
            new ProvinceInfo("heilongjiang", "Heilongjiang", 31_850_088),
            new ProvinceInfo("guangxi", "Guangxi", null),
        ],
        [
            new CityInfo("suifenhe", "Suifenhe", "heilongjiang", 100_000),
            new CityInfo("dongning", "Dongning", "heilongjiang", 195_489),
            new CityInfo("pingxiang", "Pingxiang", "guangxi", 125_000),
        ],
        [
            new PortInfo("suifenhe-road", "Suifenhe road port", PortKind.Road, "suifenhe", ["RU"]),
            new PortInfo("suifenhe-rail", "Suifenhe railway port", PortKind.Rail, "suifenhe", ["RU"]),
            new PortInfo("dongning", "Dongning road port", PortKind.Road, "dongning", ["RU"]),
            new PortInfo("youyiguan-road", "Youyiguan road port", PortKind.Road, "pingxiang", ["VN"]),
        ]);

    public static TopologyDocument WithPort(int index, Func<PortInfo, PortInfo> change)
    {
        var document = Valid();
        return document with { Ports = document.Ports.SetItem(index, change(document.Ports[index])) };
    }

    public static TopologyDocument WithCity(int index, Func<CityInfo, CityInfo> change)
    {
        var document = Valid();
        return document with { Cities = document.Cities.SetItem(index, change(document.Cities[index])) };
    }

    public static TopologyDocument WithCountry(int index, Func<CountryInfo, CountryInfo> change)
    {
        var document = Valid();
        return document with { Countries = document.Countries.SetItem(index, change(document.Countries[index])) };
    }

    public static TopologyDocument WithProvince(int index, Func<ProvinceInfo, ProvinceInfo> change)
    {
        var document = Valid();
        return document with { Provinces = document.Provinces.SetItem(index, change(document.Provinces[index])) };
    }
}
