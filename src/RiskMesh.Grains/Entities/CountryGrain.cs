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

    // What the ports told of this country may hold of its days: a change none of them can have seen is not pushed
    // (DownstreamCopy says why). About a third of a country's changes in a cold ingest are reports of days that no
    // longer move today's 14-day window, and each was a call to every port facing it (about 20) that only forgot days
    // they never had.
    private readonly DownstreamCopy _ports = new();

    // The ports told of a change (those facing the country, then its subscribers), for the topology and the count of
    // subscribers they were found for: the array is also the identity DownstreamCopy knows them by.
    private string[]? _told;
    private Topology? _toldTopology;
    private int _toldSubscribers = -1;

    /// <inheritdoc />
    protected override EntityKind Kind => EntityKind.Country;

    /// <inheritdoc />
    public async Task Subscribe(string portId)
    {
        if ((State.Subscribers ??= new(StringComparer.Ordinal)).Add(portId))
        {
            _told = null;
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
        var ports = PortsToTell(topology);
        if (_ports.PushFrom(ports, fromDay, summary) is { } pushFrom)
        {
            _ports.Pushing(ports, pushFrom, summary);
            try
            {
                var pushes = new Task[ports.Length];
                for (var i = 0; i < ports.Length; i++)
                {
                    pushes[i] = GrainRefs.Get<IPortGrain>(GrainFactory, ports[i]).OnCountryChanged(Id, pushFrom, summary);
                }

                await PushDownstreamAsync(Task.WhenAll(pushes));
            }
            catch (Exception)
            {
                // Some ports may have heard and others not: the next push makes every one forget every day.
                _ports.Lost();
                throw;
            }
        }

        MarkRankingStale();
    }

    /// <inheritdoc />
    protected override void OnUpstreamDaysAsked(int fromDay, int toDay, int? knownOnDay)
    {
        // Whichever port asks, every port told counts as holding the days (the call does not say who asked).
        if (knownOnDay is null)
        {
            _ports.Pulled(fromDay, toDay);
        }
        else
        {
            _ports.PulledAsKnownOn();
        }
    }

    // A new array (so a new downstream for DownstreamCopy) whenever the topology or the subscribers changed. Ids, not
    // grain references: with 100,000 entities the countries face about 50,000 ports, and a reference kept for each
    // would hold some 6 MB to save making one per push.
    private string[] PortsToTell(Topology topology)
    {
        var subscribers = State.Subscribers;
        if (_told is { } told && ReferenceEquals(_toldTopology, topology) && _toldSubscribers == (subscribers?.Count ?? 0))
        {
            return told;
        }

        // Made once per topology and subscriber set, so the query's cost is not on the push path.
        string[] ports = [.. topology.PortsFacing(Id).Select(p => p.Id).Concat(subscribers ?? []).Distinct(StringComparer.Ordinal)];
        (_told, _toldTopology, _toldSubscribers) = (ports, topology, subscribers?.Count ?? 0);
        return _told;
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
