using Microsoft.Data.Sqlite;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Holds an embedded SQLite database for the one host that serves it. Two hosts on one database file each keep their own
/// activations of the same grains and overwrite each other's state: a newcomer who started a second host with only
/// other ports (newcomer try-out 7 F6) saw the first one's writes refused as version conflicts, and a checkpoint lost
/// (review 8 F4). The lock is an exclusive, advisory lock on a file beside the database (<c>riskmesh.lock</c>), taken
/// before the schema is applied and released when the host is disposed or its process ends, however it ends. The file is
/// readable by its owner only, as the database and the keys beside it are.
/// </summary>
internal sealed class DatabaseFileLock : IDisposable
{
    private readonly FileStream _file;

    private DatabaseFileLock(FileStream file) => _file = file;

    /// <summary>
    /// The lock file beside a database file: <c>riskmesh.lock</c> for <c>riskmesh.db</c>. Not <c>riskmesh.db.lock</c>: a
    /// copy or scan of <c>riskmesh.db*</c> (the database, its WAL and shared memory) would meet a file it cannot open.
    /// </summary>
    public static string PathFor(string databaseFile) => Path.ChangeExtension(databaseFile, ".lock");

    /// <summary>
    /// Takes the lock for a silo on SQLite (null for PostgreSQL, whose server serves a cluster, and for an API node,
    /// which holds no database); throws <see cref="InvalidSettingsException"/> naming the data directory when another
    /// host holds it.
    /// </summary>
    public static DatabaseFileLock? Acquire(RiskMeshHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Role is not (HostRole.Both or HostRole.Silo) || !settings.Database.IsSqlite)
        {
            return null;
        }

        var database = Path.GetFullPath(new SqliteConnectionStringBuilder(settings.Database.ConnectionString).DataSource);
        var path = PathFor(database);

        // Owner-only like every other file the host writes (0600 on Unix), and tightened if an older version left it
        // 0644: it holds nothing, but a world-readable file in the data directory invites a look at the rest.
        PrivateFiles.EnsureFile(path);
        try
        {
            // FileShare.None is an exclusive flock on Linux and macOS and a sharing mode on Windows: a second open fails
            // in another process and in this one alike, and the system drops it when the process dies.
            return new DatabaseFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new InvalidSettingsException(
            [
                $"RiskMesh:DataDirectory {settings.DataDirectory}: its database {database} is in use by another RiskMesh host; stop that host, or give this one a data directory of its own, e.g. --RiskMesh:DataDirectory=./data-2",
            ]);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    /// <summary>Resolves the lock when the host starts, so that the host's services own it and dispose it with the host.</summary>
    internal sealed class Holder(DatabaseFileLock held) : IHostedService
    {
        /// <summary>The lock held (the constructor's argument is what matters).</summary>
        public DatabaseFileLock Held { get; } = held;

        /// <inheritdoc />
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <inheritdoc />
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
