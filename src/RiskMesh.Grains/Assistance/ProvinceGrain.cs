using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topologies;
using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Assistance;

/// <summary>
/// A province, stateless: on each request it reads its cities' current views (and their ports') and ranks them with
/// the pure assistance model, so its answer is never older than the cities' own.
/// </summary>
internal sealed class ProvinceGrain(
    TopologyCatalog topology,
    RiskClock clock,
    IOptions<RiskMeshGrainOptions> options,
    AssistanceOptions assistance) : Grain, IProvinceGrain
{
    /// <summary>The <c>kind</c> of a province view.</summary>
    public const string Kind = "province";

    private readonly AssistanceOptions _assistance = assistance;

    /// <inheritdoc />
    public async Task<ProvinceView> GetView() => await ViewAsync(await clock.TodayAsync(), null);

    /// <inheritdoc />
    public Task<ProvinceView> GetViewAsKnownOn(DateOnly knownOn) => ViewAsync(knownOn, knownOn);

    /// <inheritdoc />
    public async Task<ImmutableArray<ProvinceHistoryPoint>> GetHistory(DateOnly from, DateOnly to, DateOnly? knownOn)
    {
        var today = knownOn ?? await clock.TodayAsync();
        if (RiskDays.HistoryRange(from, to, today.DayNumber, options.Value.Scoring.HistoryDays) is not var (first, last))
        {
            return [];
        }

        // The same reading as the view, a day at a time: each city's and port's point of the day (as known on the day
        // asked, like their own histories), ranked by the same model, so the point of today is today's view.
        var id = this.GetPrimaryKeyString();
        var map = await topology.CurrentAsync();
        var (start, end) = (DateOnly.FromDayNumber(first), DateOnly.FromDayNumber(last));
        Task<ImmutableArray<HistoryPointView>> Read(IRiskEntityGrain grain) => knownOn is { } day ? grain.GetHistoryAsKnownOn(start, end, day) : grain.GetHistory(start, end);
        static Dictionary<DateOnly, HistoryPointView> ByDate(ImmutableArray<HistoryPointView> points) => points.ToDictionary(p => p.Date);
        var cities = await Task.WhenAll(map.CitiesOfProvince(id).Select(async city =>
        {
            var own = Read(GrainFactory.GetGrain<ICityGrain>(city.Id));
            var response = GrainFactory.GetGrain<ICityResponseGrain>(city.Id).GetResponseLevels(start, end);
            var ports = await Task.WhenAll(map.PortsOfCity(city.Id).Select(async p => (p.Id, Points: ByDate(await Read(GrainFactory.GetGrain<IPortGrain>(p.Id))))));
            return (City: city, Points: ByDate(await own), Ports: ports, Response: await response);
        }));

        var points = ImmutableArray.CreateBuilder<ProvinceHistoryPoint>(last - first + 1);
        for (var day = start; day <= end; day = day.AddDays(1))
        {
            var index = day.DayNumber - start.DayNumber;
            var inputs = cities.Select(c => AssistanceReader.ToInput(c.City, c.Points.GetValueOrDefault(day), c.Ports.Select(p => (p.Id, p.Points.GetValueOrDefault(day))), c.Response[index]));
            var ranked = AssistanceModel.Recommend(inputs, _assistance, options.Value.Scoring);
            var (score, level, metrics) = ProvinceDay.Summarise(ranked);
            points.Add(new ProvinceHistoryPoint(
                day,
                score,
                RiskNames.Of(level),
                metrics,
                [.. ranked.Select(c => new ProvinceHistoryCity(c.CityId, c.Score, RiskNames.Of(c.Level), c.CapacityGap, c.Need, c.Rank))]));
        }

        return points.ToImmutable();
    }

    /// <inheritdoc />
    public async Task<CityCapacityView> GetCityCapacity(string cityId)
    {
        var map = await topology.CurrentAsync();
        var today = await clock.TodayAsync();
        if (!map.TryGetCity(cityId, out var city))
        {
            return new CityCapacityView(cityId, today, null, []);
        }

        // The city alone and its own ports: its team may read these, and nothing of the other cities it is ranked with.
        var view = GrainFactory.GetGrain<ICityGrain>(city.Id).GetView();
        var ports = await Task.WhenAll(map.PortsOfCity(city.Id).Select(p => GrainFactory.GetGrain<IPortGrain>(p.Id).GetView()));
        var cityView = await view;
        var scoring = options.Value.Scoring;
        var assessed = AssistanceModel.Assess(AssistanceReader.ToInput(city, cityView, ports), _assistance, scoring);
        return new CityCapacityView(
            city.Id,
            cityView.AsOf,
            TestingCapacity.OfCity(cityView, _assistance, scoring),
            [.. assessed.Actions.Select(a => new AssistanceAction(a.Action, a.Reason, a.Scope))]);
    }

    private async Task<ProvinceView> ViewAsync(DateOnly today, DateOnly? knownOn)
    {
        var id = this.GetPrimaryKeyString();
        var map = await topology.CurrentAsync();
        var name = map.TryGetProvince(id, out var province) ? province.Name : id;
        var inputs = await Task.WhenAll(map.CitiesOfProvince(id).Select(c => AssistanceReader.ReadCityAsync(GrainFactory, map, c, knownOn)));
        var ranked = AssistanceModel.Recommend(inputs, _assistance, options.Value.Scoring);
        return new ProvinceView(id, Kind, name, today, [.. ranked.Select(c => AssistanceReader.ToView(c, name))]);
    }
}
