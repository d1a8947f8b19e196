using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Entities;

/// <summary>A country: folds daily case reports and intelligence, and tells the ports that face it or receive its travellers.</summary>
internal sealed class CountryGrain(EntityServices services) : RiskEntityGrain<CountryLedger>("country", services), ICountryGrain
{
    private (CountryLedger Ledger, long Version, CountrySeries Series)? _series;

    /// <inheritdoc />
    protected override EntityKind Kind => EntityKind.Country;

    /// <inheritdoc />
    public async Task Subscribe(string portId)
    {
        if ((State.Subscribers ??= new(StringComparer.Ordinal)).Add(portId))
        {
            await WriteStateAsync();
        }
    }

    /// <inheritdoc />
    protected override Assessment Assess(EntityReading<CountryLedger> reading, Topology topology, int day, bool explain) =>
        CountryModel.Assess(Series(reading.Ledger), day, PopulationOf(topology), Model, explain);

    /// <inheritdoc />
    protected override (Assessment Assessment, Trend Trend) AssessWithTrend(EntityReading<CountryLedger> reading, Topology topology, int day) =>
        CountryModel.AssessWithTrend(Series(reading.Ledger), day, PopulationOf(topology), Model);

    /// <inheritdoc />
    protected override string NameOf(Topology topology) => topology.CountryName(Id);

    /// <inheritdoc />
    protected override async Task OnChangedAsync(int fromDay)
    {
        var (_, summary, topology) = await TodaySummaryAsync();
        var ports = topology.PortsFacing(Id).Select(p => p.Id).Concat(State.Subscribers ?? []).Distinct(StringComparer.Ordinal);
        await PushDownstreamAsync(Task.WhenAll(ports.Select(port => GrainRefs.Get<IPortGrain>(GrainFactory, port).OnCountryChanged(Id, fromDay, summary))));
        MarkRankingStale();
    }

    private long? PopulationOf(Topology topology) =>
        topology.TryGetCountry(Id, out var country) ? country.Population
        : IsoCountries.TryGet(Id, out var iso) ? iso.Population
        : null;

    private CountrySeries Series(CountryLedger ledger)
    {
        if (_series is { } cached && ReferenceEquals(cached.Ledger, ledger) && cached.Version == ledger.Version)
        {
            return cached.Series;
        }

        var series = CountrySeries.Prepare(ledger);
        _series = (ledger, ledger.Version, series);
        return series;
    }
}
