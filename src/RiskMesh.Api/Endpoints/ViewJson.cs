using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// The HTTP JSON of live entity views, written once per view object instead of once per request.
/// </summary>
/// <remarks>
/// An entity grain keeps its current <see cref="RiskView"/> and, being an immutable message, Orleans hands that same
/// object to a caller in the same process. So the UTF-8 bytes are kept beside the object (a weak table: they live
/// exactly as long as the grain keeps that view, and a new view gets new bytes). An API node that is only an Orleans
/// client receives a fresh copy on every call, which could never be found again: there the cache is off and views
/// are serialised per request as before.
/// </remarks>
public sealed class ViewJsonCache
{
    private readonly ConditionalWeakTable<RiskView, byte[]> _bytes = new();
    private readonly JsonTypeInfo<RiskView> _type;
    private readonly ConditionalWeakTable<RiskView, byte[]>.CreateValueCallback _serialize;

    /// <summary>Creates the cache; <paramref name="enabled"/> when views come from grains in this process.</summary>
    public ViewJsonCache(IOptions<HttpJsonOptions> json, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(json);
        _type = (JsonTypeInfo<RiskView>)json.Value.SerializerOptions.GetTypeInfo(typeof(RiskView));
        _serialize = view => JsonSerializer.SerializeToUtf8Bytes(view, _type);
        Enabled = enabled;
    }

    /// <summary>True when views are shared in memory with their grains (a silo in this process).</summary>
    public bool Enabled { get; }

    /// <summary>The view's JSON, exactly as the endpoint would write it for <c>Ok(view)</c>.</summary>
    public byte[] Utf8(RiskView view) => _bytes.GetValue(view, _serialize);

    /// <summary>A 200 answer with the view's JSON from the cache.</summary>
    public ViewJsonResult Result(RiskView view) => new(Utf8(view));
}

/// <summary>200 with a view's UTF-8 JSON that is already written (<see cref="ViewJsonCache"/>).</summary>
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
