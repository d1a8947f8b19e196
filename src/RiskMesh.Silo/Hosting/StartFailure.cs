using System.Net.Sockets;
using Npgsql;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Start-up failures that are the environment's, not a bug: the database does not answer, or the cluster still lists
/// an earlier silo at this silo's address. Each is said in one line with what to do and ends the host with its own
/// exit code, instead of an unhandled exception, a page of stack trace and SIGABRT (newcomer 22b H2).
/// </summary>
public static class StartFailure
{
    /// <summary>How long a starting host waits for a PostgreSQL that does not answer before it gives up.</summary>
    public static readonly TimeSpan DatabaseWaitLimit = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DatabaseRetryPeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Waits until PostgreSQL answers <c>SELECT 1</c>, up to <paramref name="limit"/>, saying once on
    /// <paramref name="log"/> that it waits; throws <see cref="DatabaseUnavailableException"/> after that. A database
    /// that comes back within the limit (a restart of PostgreSQL, a failover) costs the start only the wait.
    /// </summary>
    public static void WaitForDatabase(DatabaseSettings database, TimeSpan limit, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(log);
        if (!database.IsPostgres)
        {
            return;
        }

        var started = DateTime.UtcNow;
        var said = false;
        while (true)
        {
            var probe = Readiness.ProbeDatabaseAsync(database, CancellationToken.None).GetAwaiter().GetResult();
            if (probe.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
            {
                if (said)
                {
                    log.WriteLine($"riskmesh-silo: the database at {Endpoint(database)} answers now, after {(DateTime.UtcNow - started).TotalSeconds:0} s; starting");
                }

                return;
            }

            var reason = probe.Exception?.Message ?? probe.Description ?? "no answer";
            // A database that answers but refuses (unknown database, wrong password) will not change by waiting.
            if (probe.Exception is not null && !IsUnreachable(probe.Exception))
            {
                throw new DatabaseUnavailableException(database, reason, waited: null);
            }

            var waited = DateTime.UtcNow - started;
            if (waited >= limit)
            {
                throw new DatabaseUnavailableException(database, reason, waited);
            }

            if (!said)
            {
                log.WriteLine($"riskmesh-silo: the database at {Endpoint(database)} does not answer ({reason}); waiting up to {limit.TotalSeconds:0} s for it");
                said = true;
            }

            Thread.Sleep(DatabaseRetryPeriod);
        }
    }

    /// <summary>The PostgreSQL failure anywhere in <paramref name="exception"/>'s chain, if any.</summary>
    public static NpgsqlException? Database(Exception exception) => Chain(exception).OfType<NpgsqlException>().FirstOrDefault();

    /// <summary>
    /// True when a silo could not join because the cluster still counts an earlier silo at its address (one killed a
    /// moment ago) as active: Orleans rejects the messages addressed to it ("The target silo is no longer active")
    /// until the others declare it dead, seconds later. Starting again then succeeds.
    /// </summary>
    public static bool IsEarlierSiloNotYetDead(Exception exception) =>
        Chain(exception).Any(e => e is Orleans.Runtime.OrleansMessageRejectionException
            && e.Message.Contains("no longer active", StringComparison.OrdinalIgnoreCase));

    /// <summary>"127.0.0.1:5432 (database riskmesh)", from a PostgreSQL connection string; never its password.</summary>
    public static string Endpoint(DatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            return $"{builder.Host}:{builder.Port} (database {builder.Database})";
        }
        catch (ArgumentException)
        {
            return "RiskMesh:Database:ConnectionString";
        }
    }

    private static bool IsUnreachable(Exception exception) =>
        Chain(exception).Any(e => e is SocketException or TimeoutException or OperationCanceledException
            || (e is NpgsqlException npgsql && npgsql.IsTransient));

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}

/// <summary>PostgreSQL did not answer (or refused) while the host started; the host exits with code 69.</summary>
public sealed class DatabaseUnavailableException(DatabaseSettings database, string reason, TimeSpan? waited)
    : Exception(waited is { } w
        ? $"the database at {StartFailure.Endpoint(database)} does not answer after {w.TotalSeconds:0} s of trying: {reason}"
        : $"the database at {StartFailure.Endpoint(database)} refused RiskMesh: {reason}");
