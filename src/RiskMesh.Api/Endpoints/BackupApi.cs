using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RiskMesh.Api.Security;

namespace RiskMesh.Api.Endpoints;

/// <summary><c>GET /api/v1/admin/backup</c>: a consistent copy of the embedded database, taken while the host runs (admin only).</summary>
public static partial class BackupApi
{
    /// <summary>The media type of a SQLite database file.</summary>
    public const string SqliteMediaType = "application/vnd.sqlite3";

    /// <summary>Maps the endpoint.</summary>
    public static RouteGroupBuilder MapBackupApi(this RouteGroupBuilder api)
    {
        api.MapGet("/admin/backup", GetBackupAsync).RequireAuthorization(RiskMeshPolicies.Admin).WithName("GetBackup")
            .WithSummary("A consistent snapshot of the embedded SQLite database, taken while the host runs (admin only).")
            .WithDescription("Answers the database as application/vnd.sqlite3, named riskmesh-yyyyMMdd-HHmmss.db (the time in UTC): every event acknowledged before the request began is in it, with grain state, API keys, notices and webhooks. Restore it by stopping the host and putting it in place as riskmesh.db (README, \"Backup and restore\"). On PostgreSQL, and on an API-only node, answers 501 saying what to do instead (pg_dump of the RiskMesh database).")
            .Produces(StatusCodes.Status200OK, contentType: SqliteMediaType);
        return api;
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> GetBackupAsync(
        [Microsoft.AspNetCore.Mvc.FromServices] IDatabaseBackup? backup, TimeProvider time, ILoggerFactory loggers, HttpContext http)
    {
        var unavailable = backup is null
            ? "This process holds no RiskMesh database. Ask the host that serves the embedded database (role both), or back up the cluster's PostgreSQL database with pg_dump."
            : backup.Unavailable;
        if (unavailable is not null)
        {
            return TypedResults.Problem(detail: unavailable, statusCode: StatusCodes.Status501NotImplemented, title: "No backup from this node");
        }

        var log = loggers.CreateLogger(typeof(BackupApi));
        var started = time.GetTimestamp();
        var snapshot = await backup!.SnapshotAsync(http.RequestAborted);

        // Disposed with the response too, so the temporary file goes also when the client leaves before the end.
        http.Response.RegisterForDisposeAsync(snapshot);
        var name = "riskmesh-" + time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".db";
        LogBackupTaken(log, http.User.FindFirst(RiskMeshClaimTypes.KeyId)?.Value ?? "a caller without a RiskMesh key", snapshot.Length, (long)time.GetElapsedTime(started).TotalMilliseconds);
        return TypedResults.Stream(snapshot, SqliteMediaType, name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database backup of {Bytes} bytes taken for key {KeyId} in {ElapsedMs} ms")]
    private static partial void LogBackupTaken(ILogger logger, string keyId, long bytes, long elapsedMs);
}
