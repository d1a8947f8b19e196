using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Entities;

/// <summary>A port of entry: folds imported cases, traffic, capacity and intelligence; reads its origin countries; tells its city.</summary>
internal sealed class PortGrain(EntityServices services) : RiskEntityGrain<SiteLedger>("port", services), IPortGrain
{
    // Made when the port first hears of travellers from a country it does not face (most ports never do).
    private HashSet<string>? _subscribedTo;

    // What the city may hold of this port's days: a change it cannot have seen is not pushed (DownstreamCopy says why).
    private readonly DownstreamCopy _city = new();
    private Topology? _cityTopology;

    // The live ledger's origin countries, for the ledger version and topology they were found for: a port's change asks
    // for them twice (its subscriptions, then its upstream values), and each answer is a pass over every traffic and
    // case record the port holds.
    private long _originsVersion = -1;
    private Topology? _originsTopology;
    private ImmutableArray<string> _origins;

    /// <inheritdoc />
    protected override EntityKind Kind => EntityKind.Port;

    /// <inheritdoc />
    public Task<RiskView> GetViewInterleaved() => GetView();

    /// <inheritdoc />
    public Task<Standing> GetStandingInterleaved() => StandingAsync();

    /// <inheritdoc />
    public Task OnCountryChanged(string countryCode, int fromDay, UpstreamDay today) => OnUpstreamChangedAsync(countryCode, fromDay, today);

    /// <inheritdoc />
    protected override Assessment Assess(EntityReading<SiteLedger> reading, Topology topology, int day, bool explain) =>
        PortModel.Assess(reading.Ledger, day, ContextOf(reading, topology), Model, explain);

    /// <inheritdoc />
    /// <remarks>Without an assessment: its city reads the numbers alone, of every day it pulls and on every change (PortModel.Upstream).</remarks>
    protected override UpstreamDay UpstreamOf(EntityReading<SiteLedger> reading, Topology topology, int day) =>
        UpstreamCache.ToUpstream(day, PortModel.Upstream(reading.Ledger, day, ContextOf(reading, topology), Model));

    /// <inheritdoc />
    protected override (Assessment Assessment, Trend Trend) AssessWithTrend(EntityReading<SiteLedger> reading, Topology topology, int day) =>
        PortModel.AssessWithTrend(reading.Ledger, day, ContextOf(reading, topology), Model);

    /// <inheritdoc />
    protected override string NameOf(Topology topology) => topology.TryGetPort(Id, out var port) ? port.Name : Id;

    /// <inheritdoc />
    protected override IEnumerable<string> UpstreamSources(SiteLedger ledger, Topology topology) =>
        OriginsOf(ledger, topology);

    /// <inheritdoc />
    protected override Task<ImmutableArray<UpstreamDay>> PullUpstreamAsync(string source, int fromDay, int toDay, int? knownOnDay) =>
        knownOnDay is { } known
            ? GrainRefs.Get<ICountryGrain>(GrainFactory, source).GetUpstreamDaysAsKnownOn(fromDay, toDay, known)
            : GrainRefs.Get<ICountryGrain>(GrainFactory, source).GetUpstreamDays(fromDay, toDay);

    /// <inheritdoc />
    protected override async Task OnChangedAsync(int fromDay)
    {
        var (_, summary, topology) = await TodaySummaryAsync();
        await SubscribeToNewOriginsAsync(topology);
        if (topology.TryGetPort(Id, out var port))
        {
            await TellCityAsync(topology, port.City, fromDay, summary);
        }
        else
        {
            // Not in the topology: nobody is told, so whichever city it joins later is told to forget every day.
            _city.Lost();
        }

        MarkRankingStale();
    }

    /// <inheritdoc />
    protected override async Task OnPastChangedAsync(int fromDay)
    {
        // The city caches this port's earlier days too (for its trend, history and escalation): when it holds any the
        // change moved, it must forget them even though today's value is unchanged, or it keeps answering with days
        // computed before the change.
        var (_, summary, topology) = await TodaySummaryAsync();
        if (topology.TryGetPort(Id, out var port))
        {
            await TellCityAsync(topology, port.City, fromDay, summary);
        }
        else
        {
            _city.Lost();
        }
    }

    /// <inheritdoc />
    protected override void OnUpstreamDaysAsked(int fromDay, int toDay, int? knownOnDay)
    {
        if (knownOnDay is null)
        {
            _city.Pulled(fromDay, toDay);
        }
        else
        {
            _city.PulledAsKnownOn();
        }
    }

    // Pushes a change to the city unless it already has today's value and holds none of the days the change moved.
    // After a topology change the city may have dropped what it held, or this port may have left it and come back:
    // the push then makes it forget every day.
    private async Task TellCityAsync(Topology topology, string city, int fromDay, UpstreamDay today)
    {
        if (!ReferenceEquals(_cityTopology, topology))
        {
            _city.Lost();
            _cityTopology = topology;
        }

        if (_city.PushFrom(city, fromDay, today) is not { } pushFrom)
        {
            return;
        }

        _city.Pushing(city, pushFrom, today);
        try
        {
            await PushDownstreamAsync(GrainRefs.Get<ICityGrain>(GrainFactory, city).OnPortChanged(Id, pushFrom, today));
        }
        catch (Exception)
        {
            // It may or may not have arrived: the next push makes the city forget every day of this port.
            _city.Lost();
            throw;
        }
    }

    // Countries push to the ports that face them; a port that receives travellers from elsewhere asks to be told too.
    private async Task SubscribeToNewOriginsAsync(Topology topology)
    {
        var faces = FacesOf(topology);
        foreach (var origin in OriginsOf(Ledger, topology))
        {
            if (!faces.Contains(origin) && (_subscribedTo ??= new(StringComparer.Ordinal)).Add(origin))
            {
                await GrainRefs.Get<ICountryGrain>(GrainFactory, origin).Subscribe(Id);
            }
        }
    }

    // The live ledger's answer is kept until its version or the topology moves; a ledger as known on a day is asked anew.
    private ImmutableArray<string> OriginsOf(SiteLedger ledger, Topology topology)
    {
        if (!ReferenceEquals(ledger, Ledger))
        {
            return PortModel.OriginCountries(ledger, FacesOf(topology));
        }

        if (_originsVersion != ledger.Version || !ReferenceEquals(_originsTopology, topology))
        {
            _origins = PortModel.OriginCountries(ledger, FacesOf(topology));
            _originsVersion = ledger.Version;
            _originsTopology = topology;
        }

        return _origins;
    }

    private static ImmutableArray<string> FacesOf(Topology topology, string id) =>
        topology.TryGetPort(id, out var port) ? port.Faces : [];

    private ImmutableArray<string> FacesOf(Topology topology) => FacesOf(topology, Id);

    // Explanations name origin countries as people know them ("from Russia", not "from RU"); asked only when a text is written.
    private PortContext ContextOf(EntityReading<SiteLedger> reading, Topology topology) =>
        topology.TryGetPort(Id, out var port)
            ? new(port.Faces, reading.Upstream.On, port.NominalInboundPerDay, port.NominalInboundIsDefault, topology.CountryName)
            : new(FacesOf(topology), reading.Upstream.On, CountryNames: topology.CountryName);
}
