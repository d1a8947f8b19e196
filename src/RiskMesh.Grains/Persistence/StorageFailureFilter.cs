using Microsoft.Extensions.Logging;
using Npgsql;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Turns a transient database failure inside a grain call into a <see cref="StorageUnavailableException"/>, logged
/// here with its cause: the driver's exception cannot be serialized back to the caller (the API node answered 500
/// with a CodecNotFoundException), while this one is answered 503 with Retry-After.
/// </summary>
internal sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (TransientCause(ex) is { } cause)
        {
            LogTransient(logger, ex, context.InterfaceName, context.MethodName, context.TargetId.ToString());
            throw new StorageUnavailableException(
                $"The database failed transiently during {context.InterfaceName}.{context.MethodName} ({Describe(cause)}); the request was not acknowledged and is safe to retry.");
        }
    }

    /// <summary>The transient database failure in <paramref name="exception"/> or its inner exceptions, if any.</summary>
    public static NpgsqlException? TransientCause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } transient)
            {
                return transient;
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(TransientCause).FirstOrDefault(c => c is not null);
            }
        }

        return null;
    }

    private static string Describe(NpgsqlException cause) =>
        cause is PostgresException postgres ? $"PostgreSQL {postgres.SqlState}: {postgres.MessageText}" : cause.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient database failure in {Interface}.{Method} on {Grain}: answered as unavailable (retry is safe)")]
    private static partial void LogTransient(ILogger logger, Exception exception, string @interface, string method, string grain);
}
