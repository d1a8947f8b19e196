using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topology;
using RiskMesh.Scoring.Assistance;

namespace RiskMesh.Grains.Assistance;

/// <summary>
/// A province, stateless: on each request it reads its cities' current views (and their ports') and ranks them with
/// the pure assistance model, so its answer is never older than the cities' own.
/// </summary>
public sealed class ProvinceGrain(
    TopologyCatalog topology,
    RiskClock clock,
    IOptions<RiskMeshGrainOptions> options,
    IConfiguration configuration) : Grain, IProvinceGrain
{
    /// <summary>The <c>kind</c> of a province view.</summary>
    public const string Kind = "province";

    private readonly AssistanceOptions _assistance = AssistanceReader.OptionsFrom(configuration);

    /// <inheritdoc />
    public async Task<ProvinceView> GetView() => await ViewAsync(await clock.TodayAsync(), null);

    /// <inheritdoc />
    public Task<ProvinceView> GetViewAsKnownOn(DateOnly knownOn) => ViewAsync(knownOn, knownOn);

    private async Task<ProvinceView> ViewAsync(DateOnly today, DateOnly? knownOn)
    {
        var id = this.GetPrimaryKeyString();
        var map = await topology.CurrentAsync();
        var name = map.TryGetProvince(id, out var province) ? province.Name : id;
        var inputs = await Task.WhenAll(map.CitiesOfProvince(id).Select(c => AssistanceReader.ReadCityAsync(GrainFactory, map, c, knownOn)));
        var ranked = AssistanceModel.Recommend(inputs, _assistance, options.Value.Scoring);
        return new ProvinceView(id, Kind, name, today, [.. ranked.Select(AssistanceReader.ToView)]);
    }
}
