using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A port hands its city, with each day's value, its imported cases of the 14 days ending CitySevereAfterImportDays
/// earlier, so a city with severe cases reads them on the day itself and holds none of the port's earlier days: through
/// the port's summary (an optional member a silo of an earlier version skips) and the city's upstream window.
/// </summary>
public sealed class UpstreamEarlierImportsTests
{
    private static readonly DateOnly Start = new(2020, 4, 1);

    [Fact]
    public void Summary_OfAPort_CarriesItsImportedCasesOfTheEarlierWindow_AsItsCountOfThatDay()
    {
        var ledger = new SiteLedger();
        ledger.Apply(new CaseEvent { Id = "c1", Source = "feed", Date = Start, Location = "port:p", Count = 35, Classification = CaseClassification.ImportedConfirmed, Origin = "RU" }, 1);
        var context = new PortContext(["RU"], (_, _) => new UpstreamValue(50, RiskLevel.Moderate, 0.001), NominalInbound: 360);
        var options = ScoringOptions.Default;

        // 19 days later the cases have left the port's 14 days, not the 14 days ending 7 days earlier.
        var day = Start.DayNumber + 19;
        var value = UpstreamCache.FromUpstream(UpstreamCache.ToUpstream(day, PortModel.Upstream(ledger, day, context, options)));
        var assessed = UpstreamCache.FromUpstream(UpstreamCache.ToUpstream(PortModel.Assess(ledger, day, context, options, explain: false)));

        Assert.Equal(0, value.ImportedCases14d);
        Assert.Equal(35, value.EarlierImportedCases14d);
        Assert.Equal(PortModel.Upstream(ledger, day - options.CitySevereAfterImportDays, context, options).ImportedCases14d, value.EarlierImportedCases14d);
        Assert.Equal(value, assessed);
    }

    [Fact]
    public void UpstreamWindow_KeepsTheEarlierImportsExactly_UnknownApartFromNone()
    {
        var value = new UpstreamValue(41.5, RiskLevel.High, null, 3, null, 37.75);
        UpstreamValue[] values = [value, value with { EarlierImportedCases14d = 0 }, value with { EarlierImportedCases14d = 35 }, value with { EarlierImportedCases14d = -0.0 }];
        var window = new UpstreamWindow();
        for (var day = 0; day < values.Length; day++)
        {
            window.Set(200 + day, values[day]);
        }

        for (var day = 0; day < values.Length; day++)
        {
            Assert.Equal(values[day], window.On(200 + day));
            Assert.Equal(BitConverter.DoubleToInt64Bits(values[day].EarlierImportedCases14d ?? 1), BitConverter.DoubleToInt64Bits(window.On(200 + day)!.Value.EarlierImportedCases14d ?? 1));
        }

        Assert.Equal(values.Length, Enumerable.Range(200, values.Length).Select(window.KeptOn).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public void UpstreamDay_OnTheWire_AnEarlierVersionReadsTheNewSummary_AndTheNewReadsAnEarlierOneAsUnknown()
    {
        var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(UpstreamDay).Assembly).AddAssembly(typeof(UpstreamDayBeforeEarlierImports).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var current = new UpstreamDay(737_900, 47, "moderate", null, 6, null, 40, Estimated: true) { EstimatedInbound = 60, CarriedFromDay = 737_880, EarlierImportedCases14d = 35 };
        var earlier = new UpstreamDayBeforeEarlierImports(737_900, 47, "moderate", null, 6, null, 40, Estimated: true) { EstimatedInbound = 60, CarriedFromDay = 737_880 };

        // A silo of an earlier version skips the member it does not know and reads every one it does.
        Assert.Equal(earlier, serializer.Deserialize<UpstreamDayBeforeEarlierImports>(serializer.SerializeToArray(current)));

        // A summary from a silo of an earlier version reads as one that does not know the earlier window (not as none
        // found): the city then counts none of that port's imports in it (CityModel.ImportedBehindSevere).
        var readByCurrent = serializer.Deserialize<UpstreamDay>(serializer.SerializeToArray(earlier));
        Assert.Equal(current with { EarlierImportedCases14d = null }, readByCurrent);
        Assert.Null(UpstreamCache.FromUpstream(readByCurrent!).EarlierImportedCases14d);

        Assert.Equal(current, serializer.Deserialize<UpstreamDay>(serializer.SerializeToArray(current)));
    }
}

/// <summary>The port summary as silos before the earlier window's imported cases knew it.</summary>
[GenerateSerializer, Immutable, Alias("RiskMesh.Grains.Tests.Entities.UpstreamDayBeforeEarlierImports")]
public sealed record UpstreamDayBeforeEarlierImports(
    int DayNumber,
    double? Score,
    string Level,
    double? PrevalencePerPerson,
    double? ImportedCases14d = null,
    double? Ascertainment = null,
    double? ExposureFloor = null,
    bool Estimated = false)
{
    /// <summary>As <see cref="UpstreamDay.EstimatedInbound"/>.</summary>
    [Id(100)]
    public double? EstimatedInbound { get; init; }

    /// <summary>As <see cref="UpstreamDay.CarriedFromDay"/>.</summary>
    [Id(101)]
    public int? CarriedFromDay { get; init; }

    /// <summary>As <see cref="UpstreamDay.NominalIsDefault"/>.</summary>
    [Id(102)]
    public bool NominalIsDefault { get; init; }
}
