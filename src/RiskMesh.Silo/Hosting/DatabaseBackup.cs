using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using RiskMesh.Api.Endpoints;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Snapshots of the embedded SQLite database with SQLite's online backup API: it reads one consistent version of the
/// database (in WAL mode the writer carries on meanwhile), so every transaction committed before the snapshot began,
/// every acknowledged event among them, is in the copy, and none is torn. A PostgreSQL database and an API-only node
/// answer what to do instead.
/// </summary>
internal sealed partial class DatabaseBackup(RiskMeshHostSettings settings) : IDatabaseBackup
{
    /// <inheritdoc />
    public string? Unavailable
    {
        get
        {
            if (settings.Database.IsPostgres)
            {
                var db = new NpgsqlConnectionStringBuilder(settings.Database.ConnectionString);
                return "RiskMesh keeps its state in PostgreSQL here; back up that database with PostgreSQL's own tools, from any machine that reaches it: "
                    + $"pg_dump --format=custom{Option("host", db.Host)}{Option("port", db.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}{Option("username", db.Username)} --file=riskmesh.dump {db.Database ?? db.Username ?? "riskmesh"} "
                    + "(restore with pg_restore --clean --dbname=... riskmesh.dump while every node is stopped; README, \"Backup and restore\").";
            }

            return settings.Role == HostRole.Api
                ? "This node serves the API only and holds no database; ask the host that holds the embedded database (role both) for GET /api/v1/admin/backup."
                : null;
        }
    }

    private static string Option(string name, string? value) => string.IsNullOrEmpty(value) ? "" : $" --{name}={value}";

    /// <inheritdoc />
    public async Task<Stream> SnapshotAsync(CancellationToken cancellationToken)
    {
        var database = DatabaseFileLock.DatabaseFile(settings);

        // Beside the database, so it is on the same filesystem (its free space, its permissions), owner-only as the
        // database is, and named so that no scan of riskmesh.db* meets it.
        var snapshot = Path.Combine(Path.GetDirectoryName(database)!, NewSnapshotName());
        try
        {
            PrivateFiles.EnsureFile(snapshot);
            await Task.Run(() => Copy(snapshot), cancellationToken).ConfigureAwait(false);
            return new FileStream(snapshot, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        }
        catch
        {
            File.Delete(snapshot);
            throw;
        }
    }

    private void Copy(string snapshot)
    {
        var target = new SqliteConnectionStringBuilder { DataSource = snapshot, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        using var source = new SqliteConnection(settings.Database.ConnectionString);
        using var copy = new SqliteConnection(target);
        source.Open();
        copy.Open();
        source.BackupDatabase(copy);

        // One self-contained file, with no -wal beside it to lose on the way; the host makes it WAL again when it starts.
        using var command = copy.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE;";
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Deletes the snapshots a host left beside its database when it was killed while taking or sending one (its
    /// <c>DeleteOnClose</c> never ran): only files named as a snapshot is named, <c>backup-</c>, 32
    /// hex digits, <c>.tmp</c>, and only in the database's own directory, not below it. Called at start, once this host
    /// holds the database's lock, so no other host is taking a snapshot of it meanwhile. Returns the files removed; a
    /// file that cannot be deleted is logged and left, and the host starts anyway.
    /// </summary>
    internal static IReadOnlyList<string> RemoveLeftovers(RiskMeshHostSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var directory = Path.GetDirectoryName(DatabaseFileLock.DatabaseFile(settings))!;
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "backup-*.tmp", SearchOption.TopDirectoryOnly))
        {
            if (!SnapshotName().IsMatch(Path.GetFileName(file)))
            {
                continue;
            }

            try
            {
                var bytes = new FileInfo(file).Length;
                File.Delete(file);
                removed.Add(file);
                LogLeftoverRemoved(logger, file, bytes);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogLeftoverKept(logger, file, ex.Message);
            }
        }

        return removed;
    }

    private static string NewSnapshotName() => $"backup-{Guid.NewGuid():N}.tmp";

    // Exactly the names NewSnapshotName gives: an operator's own backup-something.tmp beside the database is not ours.
    [GeneratedRegex("^backup-[0-9a-f]{32}\\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotName();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {File} ({Bytes} bytes), a database snapshot left by a host stopped while it took or sent a backup")]
    private static partial void LogLeftoverRemoved(ILogger logger, string file, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {File}, a database snapshot left by a host stopped while it took or sent a backup: {Reason}; delete it by hand")]
    private static partial void LogLeftoverKept(ILogger logger, string file, string reason);

    /// <summary>Removes leftover snapshots when the host starts (<see cref="RemoveLeftovers"/>), before it serves a request.</summary>
    internal sealed class LeftoverCleanup(RiskMeshHostSettings settings, ILogger<DatabaseBackup> logger) : IHostedService
    {
        /// <inheritdoc />
        public Task StartAsync(CancellationToken cancellationToken)
        {
            RemoveLeftovers(settings, logger);
            return Task.CompletedTask;
        }

        /// <inheritdoc />
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
