using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Topologies;
using RiskMesh.Scoring.Assistance;

namespace RiskMesh.Grains.Assistance;

/// <summary>
/// The nation, stateless: asks every province for its ranked cities in parallel and re-ranks them all with the same
/// order, so national expert teams and equipment go to the greatest need first.
/// </summary>
internal sealed class NationalGrain(TopologyCatalog topology) : Grain, INationalGrain
{
    /// <inheritdoc />
    public async Task<ImmutableArray<AssistanceRecommendation>> GetAssistance(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var map = await topology.CurrentAsync();
        var provinces = await Task.WhenAll(map.Provinces.Select(p => GrainFactory.GetGrain<IProvinceGrain>(p.Id).GetView()));
        var names = provinces.ToDictionary(p => p.Id, p => p.Name, StringComparer.Ordinal);
        var ranked = AssistanceModel.Rank(provinces.SelectMany(p => p.Cities).Select(AssistanceReader.FromView));
        return [.. ranked.Take(limit).Select(c => AssistanceReader.ToView(c, names.GetValueOrDefault(c.ProvinceId, c.ProvinceId)))];
    }
}
