using System.Collections.Immutable;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Assistance;

/// <summary>A province's day summarised from its ranked cities: the province is as risky as its riskiest city.</summary>
public static class ProvinceDay
{
    /// <summary>The highest city score and its level (insufficient data when no city is scored), and the key counts.</summary>
    public static (double? Score, RiskLevel Level, ImmutableDictionary<string, double?> Metrics) Summarise(IReadOnlyCollection<CityAssistance> cities)
    {
        ArgumentNullException.ThrowIfNull(cities);
        var scored = cities.Where(c => c.Score is not null && c.Level != RiskLevel.InsufficientData).ToList();
        var top = ProvinceRisk.RiskiestCity(scored, c => c.Score, c => c.CityId);
        var needs = scored.Select(c => c.Need).OfType<double>().ToList();
        var metrics = ImmutableDictionary.CreateRange(new Dictionary<string, double?>
        {
            ["cities"] = cities.Count,
            ["citiesScored"] = scored.Count,
            ["citiesHighOrAbove"] = scored.Count(c => c.Level >= RiskLevel.High),
            ["highestNeed"] = needs.Count == 0 ? null : needs.Max(),
        });
        return (top?.Score, top?.Level ?? RiskLevel.InsufficientData, metrics);
    }
}
