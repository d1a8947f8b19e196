using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using RiskMesh.Abstractions;

namespace RiskMesh.Api;

/// <summary>
/// Answers 503 with Retry-After, not 500, while the cluster cannot reach a grain (a silo died and is not yet declared
/// dead, or the gateway is gone) or the database failed transiently (a deadlock victim, an exhausted pool): the
/// request is safe to retry, ingest included, because nothing was acknowledged and duplicates are ignored. Each is
/// logged with its cause.
/// </summary>
public sealed partial class ClusterUnavailableHandler(IProblemDetailsService problems, ILogger<ClusterUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait.</summary>
    public const int RetryAfterSeconds = 2;

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var storage = exception is StorageUnavailableException;
        if (!storage && !IsClusterUnavailable(exception))
        {
            return false;
        }

        LogUnavailable(logger, exception, httpContext.Request.Method, httpContext.Request.Path);

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                // Not "briefly": a database outage may last minutes (newcomer 22b L4), and the node cannot know.
                Title = storage ? "The database is unavailable" : "The cluster is failing over",
                Detail = (storage ? "The database did not answer or failed transiently (an outage may last longer: /health/ready says whether it answers)" : "A silo could not be reached")
                    + $"; retry in {RetryAfterSeconds} s. Nothing of a refused ingest was lost: a retry counts events already stored as duplicates.",
            },
        });
    }

    /// <summary>Orleans' failures that mean "the cluster could not answer now" (GatewayTooBusyException: load shedding).</summary>
    public static bool IsClusterUnavailable(Exception exception) =>
        exception is OrleansMessageRejectionException or SiloUnavailableException or ConnectionFailedException
            or GatewayTooBusyException or TimeoutException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503 with Retry-After")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);
}
