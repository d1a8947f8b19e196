using System.Collections.Immutable;
using Microsoft.Extensions.Configuration;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

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
    public static async Task<CityNeedInput> ReadCityAsync(IGrainFactory grains, Topology topology, CityInfo city, DateOnly? knownOn = null)
    {
        static Task<RiskView> Read(IRiskEntityGrain grain, DateOnly? knownOn) => knownOn is { } day ? grain.GetViewAsKnownOn(day) : grain.GetView();
        var cityView = Read(grains.GetGrain<ICityGrain>(city.Id), knownOn);
        var portViews = await Task.WhenAll(topology.PortsOfCity(city.Id).Select(p => Read(grains.GetGrain<IPortGrain>(p.Id), knownOn)));
        return ToInput(city, await cityView, portViews);
    }

    /// <summary>The model's input from a city's view and its ports' views.</summary>
    public static CityNeedInput ToInput(CityInfo city, RiskView view, IEnumerable<RiskView> ports) =>
        ToInput(city, view.Score, view.Level, view.Metrics, view.DataQuality.DaysSinceLastReport, ports.Select(p => (p.Id, p.Metrics))) with
        {
            ResponseLevel = view.Response?.Level,
            ResponseSince = view.Response?.Since,
            ResponseStepDownFrom = view.Response?.DwellUntil,
            ResponseActions = view.Response?.Actions ?? [],
        };

    /// <summary>
    /// The model's input from a city's day of history and its ports' (a day missing from a history counts as
    /// insufficient data); history points carry no data quality, so the days since the last report are unknown. The
    /// response level in force that day comes from the city's escalation timeline, as its view of that day gives it.
    /// </summary>
    public static CityNeedInput ToInput(CityInfo city, HistoryPointView? point, IEnumerable<(string PortId, HistoryPointView? Point)> ports, int? responseLevel = null) =>
        ToInput(
            city,
            point?.Score,
            point?.Level ?? RiskNames.Of(RiskLevel.InsufficientData),
            point?.Metrics ?? ImmutableDictionary<string, double?>.Empty,
            null,
            ports.Select(p => (p.PortId, (IReadOnlyDictionary<string, double?>?)p.Point?.Metrics ?? ImmutableDictionary<string, double?>.Empty))) with
        {
            ResponseLevel = responseLevel,
        };

    private static CityNeedInput ToInput(
        CityInfo city, double? score, string levelName, IReadOnlyDictionary<string, double?> metrics, int? daysSinceLastReport, IEnumerable<(string Id, IReadOnlyDictionary<string, double?> Metrics)> ports)
    {
        var level = RiskNames.ParseLevel(levelName);
        return new CityNeedInput
        {
            CityId = city.Id,
            CityName = city.Name,
            ProvinceId = city.Province,
            Population = city.Population > 0 ? city.Population : (long?)Metric(metrics, CityMetricKeys.Population),
            Score = level == RiskLevel.InsufficientData ? null : score,
            Level = level,
            CapacityGap = Metric(metrics, CityMetricKeys.CapacityGap),
            Labs = Metric(metrics, CityMetricKeys.Labs),
            Technicians = Metric(metrics, CityMetricKeys.Technicians),
            IsolationBeds = Metric(metrics, CityMetricKeys.IsolationBeds),
            TestKits = Metric(metrics, CityMetricKeys.TestKits),
            LocalCases14d = Metric(metrics, CityMetricKeys.LocalCases14d) ?? 0,
            Asymptomatic14d = Metric(metrics, CityMetricKeys.Asymptomatic14d) ?? 0,
            ImportedHosted14d = Metric(metrics, CityMetricKeys.ImportedHosted14d) ?? 0,
            Severe14d = Metric(metrics, CityMetricKeys.Severe14d) ?? 0,
            DaysSinceLastReport = daysSinceLastReport,
            Ports = [.. ports.Select(p => new PortNeedInput(p.Id, Metric(p.Metrics, "dailyInbound"), Metric(p.Metrics, "capacityGap"), Metric(p.Metrics, "testsPerDay")))],
        };
    }

    /// <summary>The contract of a ranked city, with its province's name and its group.</summary>
    public static AssistanceRecommendation ToView(CityAssistance city, string provinceName) => new(
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
        AssistanceModel.ExplainNeed(city),
        provinceName,
        AssistanceModel.GroupIdOf(city));

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
        [.. view.Recommendations.Select(a => new RecommendedAction(a.Scope, a.Action, a.Reason))]) { Explanation = view.Explanation };

    private static double? Metric(IReadOnlyDictionary<string, double?> metrics, string name) =>
        metrics.TryGetValue(name, out var value) ? value : null;
}
