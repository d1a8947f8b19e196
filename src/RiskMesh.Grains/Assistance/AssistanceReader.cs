using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topology;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;

namespace RiskMesh.Grains.Assistance;

/// <summary>Reads cities' and ports' current views into the pure assistance model's inputs, and maps its answers to the contracts.</summary>
public static class AssistanceReader
{
    /// <summary>The configuration section of <see cref="AssistanceOptions"/>.</summary>
    public const string Section = "RiskMesh:Assistance";

    /// <summary>The assistance thresholds from configuration, or the defaults; throws naming the section when they make no sense.</summary>
    public static AssistanceOptions OptionsFrom(IConfiguration? configuration)
    {
        var options = configuration?.GetSection(Section).Get<AssistanceOptions>() ?? AssistanceOptions.Default;
        var result = new AssistanceOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new InvalidOperationException(result.FailureMessage);
        }

        return options;
    }

    /// <summary>Reads one city's view and its ports' views, in parallel; as known on a day when one is given.</summary>
    public static async Task<CityNeedInput> ReadCityAsync(IGrainFactory grains, ScoringTopology topology, CityInfo city, DateOnly? knownOn = null)
    {
        static Task<RiskView> Read(IRiskEntityGrain grain, DateOnly? knownOn) => knownOn is { } day ? grain.GetViewAsKnownOn(day) : grain.GetView();
        var cityView = Read(grains.GetGrain<ICityGrain>(city.Id), knownOn);
        var portViews = await Task.WhenAll(topology.PortsOfCity(city.Id).Select(p => Read(grains.GetGrain<IPortGrain>(p.Id), knownOn)));
        return ToInput(city, await cityView, portViews);
    }

    /// <summary>The model's input from a city's view and its ports' views.</summary>
    public static CityNeedInput ToInput(CityInfo city, RiskView view, IEnumerable<RiskView> ports)
    {
        var level = RiskNames.ParseLevel(view.Level);
        return new CityNeedInput
        {
            CityId = city.Id,
            CityName = city.Name,
            ProvinceId = city.Province,
            Population = city.Population > 0 ? city.Population : (long?)Metric(view, "population"),
            Score = level == RiskLevel.InsufficientData ? null : view.Score,
            Level = level,
            CapacityGap = Metric(view, "capacityGap"),
            Labs = Metric(view, "labs"),
            Technicians = Metric(view, "technicians"),
            IsolationBeds = Metric(view, "isolationBeds"),
            TestKits = Metric(view, "testKits"),
            LocalCases14d = Metric(view, "localCases14d") ?? 0,
            Asymptomatic14d = Metric(view, "asymptomatic14d") ?? 0,
            Severe14d = Metric(view, "severe14d") ?? 0,
            DaysSinceLastReport = view.DataQuality.DaysSinceLastReport,
            Ports = [.. ports.Select(p => new PortNeedInput(p.Id, Metric(p, "dailyInbound"), Metric(p, "capacityGap"), Metric(p, "testsPerDay")))],
        };
    }

    /// <summary>The contract of a ranked city.</summary>
    public static AssistanceRecommendation ToView(CityAssistance city) => new(
        city.CityId,
        city.CityName,
        city.ProvinceId,
        city.Score,
        RiskNames.Of(city.Level),
        city.CapacityGap,
        city.Need,
        city.Rank,
        [.. city.Actions.Select(a => new AssistanceAction(a.Action, a.Reason, a.Scope))],
        city.DailyInbound,
        AssistanceModel.ExplainNeed(city));

    /// <summary>Back from the contract, so the nation can rank provinces' answers with the same order.</summary>
    public static CityAssistance FromView(AssistanceRecommendation view) => new(
        view.CityId,
        view.CityName,
        view.Province,
        view.Score,
        RiskNames.ParseLevel(view.Level),
        view.CapacityGap,
        view.Need,
        view.DailyInbound,
        view.Rank,
        [.. view.Recommendations.Select(a => new RecommendedAction(a.Scope, a.Action, a.Reason))]);

    private static double? Metric(RiskView view, string name) =>
        view.Metrics.TryGetValue(name, out var value) ? value : null;
}
