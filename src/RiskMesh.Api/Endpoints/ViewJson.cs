using Microsoft.AspNetCore.Http;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// 200 with a live view's UTF-8 JSON as its entity grain wrote and keeps it (<see cref="RiskViewJson"/>): the same
/// bytes as <c>Ok(view)</c> would write, without serialising the view per request, on a silo and on an API-only node.
/// </summary>
public sealed class ViewJsonResult : IResult
{
    private readonly byte[] _utf8;

    internal ViewJsonResult(byte[] utf8) => _utf8 = utf8;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = _utf8.Length;
        return response.Body.WriteAsync(_utf8).AsTask();
    }
}

/// <summary>
/// Live views for the read endpoints: from the silo in this process when its grain has published the view for the
/// clock's day and the topology in force (<see cref="LocalViews"/>: no grain call), else from the entity's grain.
/// </summary>
public sealed class LiveViews
{
    private readonly EntityGrainReferences _grains;
    private readonly RiskClock _clock;
    private readonly LocalViews? _local;

    /// <summary>Creates the reader; <paramref name="local"/> is the silo's registry, null on an API-only node.</summary>
    public LiveViews(EntityGrainReferences grains, RiskClock clock, LocalViews? local)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(clock);
        _grains = grains;
        _clock = clock;
        _local = local;
    }

    /// <summary>The grain of a country, port or city.</summary>
    public IRiskEntityGrain Grain(EntityKind kind, string id) => kind switch
    {
        EntityKind.Country => _grains.Country(id),
        EntityKind.Port => _grains.Port(id),
        EntityKind.City => _grains.City(id),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only countries, ports and cities have views."),
    };

    /// <summary>The entity's live view as its JSON, for the topology in force (<paramref name="topology"/>).</summary>
    public async ValueTask<ViewJsonResult> LiveAsync(EntityKind kind, string id, ScoringTopology topology)
    {
        if (_local is not null && _local.TryGet(kind, id, (await _clock.TodayAsync()).DayNumber, topology, out var published))
        {
            return new ViewJsonResult(published.Utf8);
        }

        return new ViewJsonResult((await Grain(kind, id).GetViewJson()).Utf8);
    }
}
