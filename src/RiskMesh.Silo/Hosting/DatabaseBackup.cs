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
internal sealed class DatabaseBackup(RiskMeshHostSettings settings) : IDatabaseBackup
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
        var snapshot = Path.Combine(Path.GetDirectoryName(database)!, $"backup-{Guid.NewGuid():N}.tmp");
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
}
