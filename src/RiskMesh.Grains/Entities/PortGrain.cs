using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;

namespace RiskMesh.Grains.Entities;

/// <summary>A port of entry: folds imported cases, traffic, capacity and intelligence; reads its origin countries; tells its city.</summary>
internal sealed class PortGrain(
    [PersistentState("port", RiskMeshStorage.Name)] IPersistentState<EntityState<SiteLedger>> state,
    EntityServices services) : RiskEntityGrain<SiteLedger>(state, services), IPortGrain
{
    private readonly HashSet<string> _subscribedTo = new(StringComparer.Ordinal);

    /// <inheritdoc />
    protected override EntityKind Kind => EntityKind.Port;

    /// <inheritdoc />
    public Task<RiskView> GetViewInterleaved() => GetView();

    /// <inheritdoc />
    public Task<Standing> GetStandingInterleaved() => StandingAsync();

    /// <inheritdoc />
    public Task OnCountryChanged(string countryCode, int fromDay, UpstreamDay today) => OnUpstreamChangedAsync(countryCode, fromDay, today);

    /// <inheritdoc />
    protected override Assessment Assess(EntityReading<SiteLedger> reading, ScoringTopology topology, int day, bool explain) =>
        PortModel.Assess(reading.Ledger, day, ContextOf(reading, topology), Model, explain);

    /// <inheritdoc />
    protected override (Assessment Assessment, Trend Trend) AssessWithTrend(EntityReading<SiteLedger> reading, ScoringTopology topology, int day) =>
        PortModel.AssessWithTrend(reading.Ledger, day, ContextOf(reading, topology), Model);

    /// <inheritdoc />
    protected override string NameOf(ScoringTopology topology) => topology.TryGetPort(Id, out var port) ? port.Name : Id;

    /// <inheritdoc />
    protected override IEnumerable<string> UpstreamSources(SiteLedger ledger, ScoringTopology topology) =>
        PortModel.OriginCountries(ledger, FacesOf(topology));

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
            await PushDownstreamAsync(GrainRefs.Get<ICityGrain>(GrainFactory, port.City).OnPortChanged(Id, fromDay, summary));
        }

        MarkRankingStale();
    }

    /// <inheritdoc />
    protected override async Task OnPastChangedAsync(int fromDay)
    {
        // The city caches this port's earlier days too (for its trend, history and escalation): it must forget them
        // even when today's value is unchanged, or it keeps answering with days computed before the change.
        var (_, summary, topology) = await TodaySummaryAsync();
        if (topology.TryGetPort(Id, out var port))
        {
            await PushDownstreamAsync(GrainRefs.Get<ICityGrain>(GrainFactory, port.City).OnPortChanged(Id, fromDay, summary));
        }
    }

    // Countries push to the ports that face them; a port that receives travellers from elsewhere asks to be told too.
    private async Task SubscribeToNewOriginsAsync(ScoringTopology topology)
    {
        var faces = FacesOf(topology);
        foreach (var origin in PortModel.OriginCountries(Ledger, faces))
        {
            if (!faces.Contains(origin) && _subscribedTo.Add(origin))
            {
                await GrainRefs.Get<ICountryGrain>(GrainFactory, origin).Subscribe(Id);
            }
        }
    }

    private static ImmutableArray<string> FacesOf(ScoringTopology topology, string id) =>
        topology.TryGetPort(id, out var port) ? port.Faces : [];

    private ImmutableArray<string> FacesOf(ScoringTopology topology) => FacesOf(topology, Id);

    private PortContext ContextOf(EntityReading<SiteLedger> reading, ScoringTopology topology) =>
        topology.TryGetPort(Id, out var port)
            ? new(port.Faces, reading.Upstream.On, port.NominalInboundPerDay, port.NominalInboundIsDefault)
            : new(FacesOf(topology), reading.Upstream.On);
}
