using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A port tells its city which estimated traffic its score rests on (carried forward or nominal, with the figure), so
/// the city's note can say which instead of "nominal or carried forward": through the port's summary (an optional
/// member a silo of an earlier version skips) and the city's upstream window.
/// </summary>
public sealed class UpstreamEstimateTests
{
    private static readonly DateOnly Start = new(2020, 4, 1);

    [Fact]
    public void Summary_PortOnCarriedOrNominalTraffic_ReachesTheCityWithItsKindAndFigure()
    {
        var ledger = new SiteLedger();
        ledger.Apply(new TrafficEvent { Id = "t1", Source = "feed", Date = Start, Port = "p", Inbound = 60 }, 1);
        var context = new PortContext(["RU"], (code, _) => new UpstreamValue(50, RiskLevel.Moderate, 0.001), NominalInbound: 360);

        var reported = PortModel.Assess(ledger, Start.DayNumber, context, ScoringOptions.Default, explain: false);
        var carried = PortModel.Assess(ledger, Start.DayNumber + 10, context, ScoringOptions.Default, explain: false);
        var nominal = PortModel.Assess(ledger, Start.DayNumber + 40, context, ScoringOptions.Default, explain: false);

        Assert.Null(UpstreamCache.FromUpstream(UpstreamCache.ToUpstream(reported)).TrafficEstimate);
        Assert.Equal(new TrafficEstimate(60, Start.DayNumber), UpstreamCache.FromUpstream(UpstreamCache.ToUpstream(carried)).TrafficEstimate);
        Assert.Equal(new TrafficEstimate(360, null), UpstreamCache.FromUpstream(UpstreamCache.ToUpstream(nominal)).TrafficEstimate);

        // Every number handed down is the one handed down before: the estimate (and the earlier window's imported
        // cases, UpstreamEarlierImportsTests) are beside them, not instead.
        var summary = UpstreamCache.ToUpstream(carried);
        Assert.Equal(
            new UpstreamDay(carried.Day, carried.Score, RiskNames.Of(carried.Level), carried.PrevalencePerPerson, carried.MetricOrNull("importedCases14d"), carried.Ascertainment, carried.ExposureFloor, Estimated: true),
            summary with { EstimatedInbound = null, CarriedFromDay = null, EarlierImportedCases14d = null });
    }

    [Fact]
    public void Summary_NotEstimated_HandsNoEstimate_EvenWhenTheTrafficWasAFigureStandingIn()
    {
        // Nominal traffic but no origin prevalence: no modelled exposure, so not estimated, and the city never names it.
        var context = new PortContext(["RU"], (_, _) => null, NominalInbound: 360);
        var assessment = PortModel.Assess(new SiteLedger(), Start.DayNumber, context, ScoringOptions.Default, explain: false);

        Assert.NotNull(assessment.TrafficEstimate);
        Assert.False(assessment.Quality.Estimated);
        var summary = UpstreamCache.ToUpstream(assessment);
        Assert.Null(summary.EstimatedInbound);
        Assert.Null(UpstreamCache.FromUpstream(summary).TrafficEstimate);
    }

    [Fact]
    public void UpstreamWindow_KeepsTheTrafficEstimateExactly_AndSharesOnlyEqualOnes()
    {
        var value = new UpstreamValue(41.5, RiskLevel.High, null, 3, null, 37.75, Estimated: true);
        var carried = value with { TrafficEstimate = new TrafficEstimate(60.5, Start.DayNumber) };
        var nominal = value with { TrafficEstimate = new TrafficEstimate(360, null) };
        var kindDefault = value with { TrafficEstimate = new TrafficEstimate(360, null, NominalIsDefault: true) };
        var dayZero = value with { TrafficEstimate = new TrafficEstimate(0, 0) };
        var window = new UpstreamWindow();

        UpstreamValue[] values = [value, carried, nominal, kindDefault, dayZero];
        for (var day = 0; day < values.Length; day++)
        {
            window.Set(100 + day, values[day]);
        }

        for (var day = 0; day < values.Length; day++)
        {
            Assert.Equal(values[day], window.On(100 + day));
        }

        Assert.Equal(values.Length, Enumerable.Range(100, values.Length).Select(window.KeptOn).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    [Fact]
    public void UpstreamDay_OnTheWire_AnEarlierVersionReadsTheNewSummary_AndTheNewReadsAnEarlierOne()
    {
        var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(UpstreamDay).Assembly).AddAssembly(typeof(UpstreamDayBeforeEstimates).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var current = new UpstreamDay(737_900, 47, "moderate", null, 6, null, 40, Estimated: true) { EstimatedInbound = 60, CarriedFromDay = 737_880 };
        var earlier = new UpstreamDayBeforeEstimates(737_900, 47, "moderate", null, 6, null, 40, Estimated: true);

        // A silo of an earlier version skips the members it does not know and reads every one it does.
        var readByEarlier = serializer.Deserialize<UpstreamDayBeforeEstimates>(serializer.SerializeToArray(current));
        Assert.Equal(earlier, readByEarlier);

        // A summary from a silo of an earlier version reads as one that says nothing of its estimate.
        var readByCurrent = serializer.Deserialize<UpstreamDay>(serializer.SerializeToArray(earlier));
        Assert.Equal(current with { EstimatedInbound = null, CarriedFromDay = null }, readByCurrent);
        Assert.Null(UpstreamCache.FromUpstream(readByCurrent!).TrafficEstimate);

        // And the current version reads its own in full.
        Assert.Equal(current, serializer.Deserialize<UpstreamDay>(serializer.SerializeToArray(current)));
    }
}

/// <summary>The port summary as silos before the estimate's kind knew it: the same positional members, nothing else.</summary>
[GenerateSerializer, Immutable, Alias("RiskMesh.Grains.Tests.Entities.UpstreamDayBeforeEstimates")]
public sealed record UpstreamDayBeforeEstimates(
    int DayNumber,
    double? Score,
    string Level,
    double? PrevalencePerPerson,
    double? ImportedCases14d = null,
    double? Ascertainment = null,
    double? ExposureFloor = null,
    bool Estimated = false);
