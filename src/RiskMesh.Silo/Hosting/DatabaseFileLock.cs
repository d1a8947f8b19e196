using Microsoft.Data.Sqlite;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Holds an embedded SQLite database for the one host that serves it. Two hosts on one database file each keep their own
/// activations of the same grains and overwrite each other's state: a newcomer who started a second host with only
/// other ports (newcomer try-out 7 F6) saw the first one's writes refused as version conflicts, and a checkpoint lost
/// (review 8 F4). The lock is an exclusive, advisory lock on a file beside the database (<c>riskmesh.lock</c>), taken
/// before the schema is applied and released when the host is disposed or its process ends, however it ends. The file is
/// readable by its owner only, as the database and the keys beside it are; its mode is tightened once the lock is held.
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
    public static DatabaseFileLock? Acquire(RiskMeshHostSettings settings) => Acquire(settings, path => PrivateFiles.EnsureFile(path), Console.Error);

    /// <summary>
    /// <see cref="Acquire(RiskMeshHostSettings)"/> with the step that makes the lock file owner-only and where its
    /// warning goes given: a test cannot make a file of another user's without being root.
    /// </summary>
    internal static DatabaseFileLock? Acquire(RiskMeshHostSettings settings, Action<string> makeOwnerOnly, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(makeOwnerOnly);
        ArgumentNullException.ThrowIfNull(warnings);
        if (settings.Role is not (HostRole.Both or HostRole.Silo) || !settings.Database.IsSqlite)
        {
            return null;
        }

        var database = DatabaseFile(settings);
        var path = PathFor(database);

        var inUse = $"RiskMesh:DataDirectory {settings.DataDirectory}: its database {database} is in use by another RiskMesh host";
        var elsewhere = "stop that host, or give this one a data directory of its own, e.g. --RiskMesh:DataDirectory=./data-2";
        FileStream file;
        try
        {
            // FileShare.None is an exclusive flock on Linux and macOS and a sharing mode on Windows: a second open fails
            // in another process and in this one alike, and the system drops it when the process dies. Created
            // owner-only (0600 on Unix), like every other file the host writes.
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFiles.FileMode;
            }

            file = new FileStream(path, options);
        }
        catch (IOException)
        {
            throw new InvalidSettingsException([$"{inUse}; {elsewhere}"]);
        }
        catch (UnauthorizedAccessException) when (!File.Exists(path))
        {
            // No lock file, and none may be made: the directory is not this user's to write (review 13 L9), which said
            // "in use by another host" before. The database could not be written there either.
            throw new InvalidSettingsException(
            [
                $"RiskMesh:DataDirectory {settings.DataDirectory}: this user may not create files in {Path.GetDirectoryName(path)} (its lock file {Path.GetFileName(path)} could not be made); give the host a directory it may write, e.g. --RiskMesh:DataDirectory=./data-2, or run it as the directory's owner",
            ]);
        }
        catch (UnauthorizedAccessException)
        {
            // A host run as another user created the lock file owner-only: this user may not open it, let alone lock
            // it, and cannot tell whether that host still runs. Said as such, with the file, rather than as an access
            // error (review 12 L9).
            throw new InvalidSettingsException(
            [
                $"{inUse}, or was by one run as another user: this user may not open its lock file {path}; {elsewhere}, or run this one as the user who owns the data directory",
            ]);
        }

        // Tightened only now that the lock is held (a file an older version left 0644): tried before, the chmod of a
        // lock file another user's host owns failed with an access error instead of the message above. It holds
        // nothing, so a file this user may lock but not chmod (another user's, left writable) only earns a warning.
        try
        {
            makeOwnerOnly(path);
        }
        catch (UnauthorizedAccessException)
        {
            warnings.WriteLine($"riskmesh-silo: warning: the lock file {path} belongs to another user and stays readable by others; it holds nothing, but the data directory should be this user's alone");
        }

        return new DatabaseFileLock(file);
    }

    /// <summary>
    /// Whether another process holds the lock of this host's data directory now, asked without taking it or creating
    /// anything: false for no lock file (no host ran there) and for one that opens unshared; true for one that cannot be
    /// opened (held, or another user's). Only a hint depends on it (<see cref="SiloPortCheck"/>): the lock is still taken
    /// by <see cref="Acquire"/>.
    /// </summary>
    public static bool HeldElsewhere(RiskMeshHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var path = PathFor(DatabaseFile(settings));
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>The embedded database file of a host on SQLite, as a full path.</summary>
    internal static string DatabaseFile(RiskMeshHostSettings settings) =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(settings.Database.ConnectionString).DataSource);

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
