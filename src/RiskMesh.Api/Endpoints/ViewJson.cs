using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// 200 with a live view's UTF-8 JSON as its entity grain wrote and keeps it (<see cref="RiskViewJson"/>): the same
/// bytes as <c>Ok(view)</c> would write, without serialising the view per request, on a silo and on an API-only node.
/// A client whose <c>Accept-Encoding</c> allows <c>br</c> gets the kept Brotli bytes as they are
/// (<c>Content-Encoding: br</c>); any other gets them decompressed. Either way the answer says it varies with
/// <c>Accept-Encoding</c>, so no cache hands one form to a client that asked for the other.
/// </summary>
public sealed class ViewJsonResult : IResult
{
    private readonly RiskViewJson _json;

    internal ViewJsonResult(RiskViewJson json) => _json = json;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        // Appended: whatever ran before (CORS, say) may already vary the answer on other headers.
        response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        if (AcceptEncoding.AllowsBrotli(httpContext.Request.Headers.AcceptEncoding))
        {
            response.Headers.ContentEncoding = "br";
            response.ContentLength = _json.Brotli.Length;
            return response.Body.WriteAsync(_json.Brotli).AsTask();
        }

        // Decompressed straight into the response's buffer: no array of its own per request.
        var length = _json.Length;
        response.ContentLength = length;
        var writer = response.BodyWriter;
        _json.DecompressTo(writer.GetSpan(length));
        writer.Advance(length);
        return writer.FlushAsync().AsTask();
    }
}

/// <summary>What a request's <c>Accept-Encoding</c> allows (RFC 9110 section 12.5.3), as ASP.NET Core parses it.</summary>
public static class AcceptEncoding
{
    /// <summary>
    /// True when the response may be Brotli-encoded: <c>br</c> is listed with a weight above zero, or <c>*</c> is and
    /// <c>br</c> is not listed at all. No header, or an empty one, allows only the identity.
    /// </summary>
    public static bool AllowsBrotli(StringValues header) => Allows(header, "br");

    /// <summary>
    /// True when the response may use <paramref name="coding"/>: it is listed with a weight above zero (listed twice,
    /// either listing may allow it), or <c>*</c> is and the coding is not listed at all. A listing the header grammar
    /// does not admit (a weight that is not a number, a parameter other than <c>q</c>) counts as absent.
    /// </summary>
    public static bool Allows(StringValues header, string coding)
    {
        // Most API clients send none: no parsing, no allocation on the hot GET path.
        if (StringValues.IsNullOrEmpty(header) || !StringWithQualityHeaderValue.TryParseList(header!, out var listed))
        {
            return false;
        }

        bool? named = null;
        var any = false;
        foreach (var item in listed)
        {
            var allowed = (item.Quality ?? 1) > 0;
            if (item.Value.Equals(coding, StringComparison.OrdinalIgnoreCase))
            {
                named = (named ?? false) || allowed;
            }
            else if (item.Value.Equals("*", StringComparison.Ordinal))
            {
                any |= allowed;
            }
        }

        return named ?? any;
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
    public async ValueTask<ViewJsonResult> LiveAsync(EntityKind kind, string id, Topology topology)
    {
        if (_local is not null && _local.TryGet(kind, id, (await _clock.TodayAsync()).DayNumber, topology, out var published))
        {
            return new ViewJsonResult(published);
        }

        return new ViewJsonResult(await Grain(kind, id).GetViewJson());
    }
}
