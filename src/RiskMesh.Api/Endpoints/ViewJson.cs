using Microsoft.AspNetCore.Http;
using RiskMesh.Abstractions;

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
