using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;

namespace RiskMesh.Api;

/// <summary>
/// Answers a grain call's non-transient database failure as a 500 ProblemDetails that says a storage error stopped
/// the request, with the reference the silo logged the database's own error under (and the request's trace id), not
/// as an anonymous 500.
/// </summary>
public sealed partial class StorageFailureHandler(IProblemDetailsService problems, ILogger<StorageFailureHandler> logger) : IExceptionHandler
{
    /// <summary>The ProblemDetails title of a storage failure.</summary>
    public const string Title = "A storage error stopped the request";

    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not StorageFailedException failed)
        {
            return false;
        }

        LogFailed(logger, httpContext.Request.Method, httpContext.Request.Path, failed.Reference, failed.Message);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = Title,
            Detail = failed.Message,
        };
        problem.Extensions["reference"] = failed.Reference;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} answered 500: storage error (reference {Reference}): {Detail}")]
    private static partial void LogFailed(ILogger logger, string method, string path, string reference, string detail);
}
