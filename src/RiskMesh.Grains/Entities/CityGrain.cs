using System.Collections.Immutable;
using Orleans.Core;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Entities;

/// <summary>A border city: folds local cases, capacity and intelligence, reads its ports' scores, and escalates.</summary>
internal sealed partial class CityGrain : RiskEntityGrain<SiteLedger>, ICityGrain
{
    private readonly IStorage<CityResponseState> _response;
    private readonly TimeProvider _time;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private RiskMesh.Scoring.Escalation.ResponsePlan? _plan;

    /// <summary>Creates the grain: its ledger stored as "city", its response side as "response" (both read as it activates).</summary>
    public CityGrain(EntityServices services, TimeProvider time)
        : base("city", services)
    {
        // In RiskMesh's own tables, each notice a row of its own: a write carries only what changed (ResponseStorage).
        _response = EntityStorage.Open<CityResponseState>(GrainContext, "response", RiskMesh.Grains.Persistence.RiskMeshStorage.ResponseName);
        _time = time;
        _logger = services.Loggers.CreateLogger("RiskMesh.Grains.Entities.CityGrain");
    }

    /// <inheritdoc />
    protected override EntityKind Kind => EntityKind.City;

    /// <inheritdoc />
    protected override Task ReadStoredStateAsync() => Task.WhenAll(base.ReadStoredStateAsync(), _response.ReadStateAsync());

    /// <inheritdoc />
    public Task OnPortChanged(string portId, int fromDay, UpstreamDay today) => OnUpstreamChangedAsync(portId, fromDay, today);

    /// <inheritdoc />
    protected override Assessment Assess(EntityReading<SiteLedger> reading, Topology topology, int day, bool explain) =>
        CityModel.Assess(reading.Ledger, day, ContextOf(reading, topology), Model, explain);

    // The city's live score on a day, without an assessment's components, texts and metrics (CityModel.Score): what
    // its escalation decides with, on every change of itself or a port.
    private double? ScoreOn(Topology topology, int day) =>
        CityModel.Score(Ledger, day, ContextOf(Live, topology), Model);

    /// <inheritdoc />
    protected override (Assessment Assessment, Trend Trend) AssessWithTrend(EntityReading<SiteLedger> reading, Topology topology, int day) =>
        CityModel.AssessWithTrend(reading.Ledger, day, ContextOf(reading, topology), Model);

    /// <inheritdoc />
    protected override string NameOf(Topology topology) => topology.TryGetCity(Id, out var city) ? city.Name : Id;

    /// <inheritdoc />
    protected override IEnumerable<string> UpstreamSources(SiteLedger ledger, Topology topology) =>
        topology.PortsOfCity(Id).Select(p => p.Id);

    /// <inheritdoc />
    protected override Task<ImmutableArray<UpstreamDay>> PullUpstreamAsync(string source, int fromDay, int toDay, int? knownOnDay) =>
        knownOnDay is { } known
            ? GrainRefs.Get<IPortGrain>(GrainFactory, source).GetUpstreamDaysAsKnownOn(fromDay, toDay, known)
            : GrainRefs.Get<IPortGrain>(GrainFactory, source).GetUpstreamDays(fromDay, toDay);

    /// <inheritdoc />
    protected override Task OnChangedAsync(int fromDay)
    {
        // The evaluation's own task, not another async level around it (RiskEntityGrain.OnUpstreamChangedAsync says why).
        MarkRankingStale();
        return EvaluateToToday();
    }

    /// <summary>
    /// The city's testing capacity on an explained assessment's day, by the assistance thresholds in configuration (the
    /// rule the province's ranking uses), for its notices.
    /// </summary>
    private TestingCapacity? TestingCapacityOf(Assessment assessment) =>
        TestingCapacity.OfCity(assessment, Services.Assistance, Model);

    private CityContext ContextOf(EntityReading<SiteLedger> reading, Topology topology)
    {
        var ports = topology.PortsOfCity(Id);
        var upstream = reading.Upstream;
        return new CityContext(
            topology.TryGetCity(Id, out var city) ? city.Population : null,
            day => PortValues(ports, upstream, day),
            // Explanations name ports as notice summaries do ("Suifenhe road port"); asked only when a text is written.
            port => topology.TryGetPort(port, out var info) ? info.Name : port);
    }

    // The ports' known values on a day, in the topology's order (a plain loop: the city is assessed on every change).
    private static List<(string PortId, UpstreamValue Value)> PortValues(ImmutableArray<PortInfo> ports, UpstreamCache upstream, int day)
    {
        var values = new List<(string PortId, UpstreamValue Value)>(ports.Length);
        foreach (var port in ports)
        {
            if (upstream.On(port.Id, day) is { } value)
            {
                values.Add((port.Id, value));
            }
        }

        return values;
    }
}
