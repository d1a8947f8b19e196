using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Turns a database failure inside a grain call into an exception that can cross the wire, logged here with its cause:
/// the driver's exception cannot be serialized back to the caller (the API node answered 500 with a
/// CodecNotFoundException). A transient one becomes a <see cref="StorageUnavailableException"/> (503 with Retry-After),
/// any other a <see cref="StorageFailedException"/> (500 naming the storage failure and the reference logged here).
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
        catch (Exception ex) when (DatabaseCause(ex) is { } cause)
        {
            // The request's trace id (propagated from the API node) ties the caller's answer to this log line.
            var reference = Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
            LogFailed(logger, ex, context.InterfaceName, context.MethodName, context.TargetId.ToString(), reference);
            throw new StorageFailedException(
                $"The database failed during {context.InterfaceName}.{context.MethodName} ({Code(cause)}); the request was not completed. The silo logged the error under reference {reference}.",
                reference);
        }
    }

    /// <summary>The database driver's exception in <paramref name="exception"/> or its inner exceptions, if any.</summary>
    public static DbException? DatabaseCause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException database)
            {
                return database;
            }

            if (current is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(DatabaseCause).FirstOrDefault(c => c is not null);
            }
        }

        return null;
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

    // Only the error's code goes to the caller: the message text may quote stored values; the log has it all.
    private static string Code(DbException cause) => cause switch
    {
        PostgresException postgres => $"PostgreSQL error {postgres.SqlState}",
        { SqlState: { Length: > 0 } state } => $"{cause.GetType().Name} {state}",
        _ => cause.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Database failure in {Interface}.{Method} on {Grain}, reference {Reference}: answered as a storage error")]
    private static partial void LogFailed(ILogger logger, Exception exception, string @interface, string method, string grain, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient database failure in {Interface}.{Method} on {Grain}: answered as unavailable (retry is safe)")]
    private static partial void LogTransient(ILogger logger, Exception exception, string @interface, string method, string grain);
}
