using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace RiskMesh.Grains.Persistence;

/// <summary>Applies RiskMesh's SQL schema (Orleans provider tables and queries, then RiskMesh's own) to a database.</summary>
/// <remarks>
/// The scripts are embedded from <c>deploy/sql/{sqlite,postgresql}/*.sql</c> and run in file-name order,
/// all in one transaction. Every script is idempotent, so applying again is harmless; on PostgreSQL an
/// advisory lock also makes two processes applying at once take turns instead of racing on the catalog.
/// On PostgreSQL a schema already applied is not applied again: its scripts' fingerprint is recorded in
/// <see cref="VersionTable"/>, and a re-apply that finds it touches no other table. Running the scripts takes share
/// locks on the live tables (<c>CREATE INDEX IF NOT EXISTS</c> locks its table even when the index exists) and holds
/// them to the commit, in the scripts' order, which is not the order a running silo writes them in: applied again
/// beside a busy cluster on the same database, the installer and an ingest transaction deadlocked, and PostgreSQL
/// aborted one of them (a silo dying at start, or an ingest refused).
/// </remarks>
public static class SchemaInstaller
{
    /// <summary>Key of the transaction-scoped advisory lock that serializes installers on one PostgreSQL database.</summary>
    public const long PostgresAdvisoryLockKey = 0x5249534b4d455348; // "RISKMESH" in ASCII.

    /// <summary>The table recording the fingerprint of the schema applied to a PostgreSQL database.</summary>
    public const string VersionTable = "riskmesh_schema_version";

    private const string ResourcePrefix = "RiskMesh.Sql/";

    // A deadlock with a running node (a first apply or an upgrade beside a live cluster) is retried, not fatal.
    private const int PostgresAttempts = 5;

    /// <summary>The embedded script names for a dialect (<c>sqlite</c> or <c>postgresql</c>), in the order they run.</summary>
    public static IReadOnlyList<string> ScriptNames(DatabaseSettings db) => ScriptsFor(db).Select(s => s.FileName).ToList();

    /// <summary>Applies every script of the database's dialect, in file-name order; returns the names applied.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(DatabaseSettings db, CancellationToken cancellationToken = default)
    {
        var scripts = ScriptsFor(db);
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No embedded SQL scripts for dialect '{Dialect(db)}'.");
        }

        if (db.IsSqlite)
        {
            await ApplySqliteAsync(db, scripts, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ApplyPostgresAsync(db, scripts, cancellationToken).ConfigureAwait(false);
        }

        return scripts.Select(s => s.FileName).ToList();
    }

    private static async Task ApplySqliteAsync(DatabaseSettings db, List<Script> scripts, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder(db.ConnectionString);
        if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource != ":memory:")
        {
            // SQLite creates the file but not its folder, and both with the process's umask (usually world-readable):
            // the database holds key hashes and webhook settings, so folder and file are made owner-only first.
            var file = Path.GetFullPath(builder.DataSource);
            var directory = Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(directory))
            {
                PrivateFiles.EnsureDirectory(directory);
            }

            PrivateFiles.EnsureFile(file, "-wal", "-shm", "-journal");
        }

        await using var connection = new SqliteConnection(db.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // WAL lets readers run beside the one writer; the mode is stored in the file, so once is enough.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);

        // IMMEDIATE takes the write lock up front, so two processes installing at once queue on the busy timeout.
        await using var transaction = connection.BeginTransaction(deferred: false);
        foreach (var script in scripts)
        {
            await ExecuteAsync(connection, transaction, script.ReadText(), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The fingerprint recorded in <see cref="VersionTable"/> of a PostgreSQL database, or null when no schema was ever
    /// applied there (no such table, or no row).
    /// </summary>
    public static async Task<string?> AppliedFingerprintAsync(DatabaseSettings db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var read = new NpgsqlCommand($"SELECT fingerprint FROM {VersionTable} WHERE id = 1", connection);
        try
        {
            return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return null;
        }
    }

    /// <summary>The fingerprint of a dialect's scripts (SHA-256 of their names and texts), recorded once applied.</summary>
    public static string Fingerprint(DatabaseSettings db) => Fingerprint(ScriptsFor(db));

    private static string Fingerprint(List<Script> scripts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var script in scripts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(script.FileName + "\n" + script.ReadText() + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task ApplyPostgresAsync(DatabaseSettings db, List<Script> scripts, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(scripts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyPostgresOnceAsync(db, scripts, fingerprint, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException ex) when (attempt < PostgresAttempts && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ApplyPostgresOnceAsync(DatabaseSettings db, List<Script> scripts, string fingerprint, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresAdvisoryLockKey});", cancellationToken).ConfigureAwait(false);

        // Creating the version table when it exists locks nothing another node uses.
        await ExecuteAsync(
            connection,
            transaction,
            $"CREATE TABLE IF NOT EXISTS {VersionTable} (id INTEGER PRIMARY KEY CHECK (id = 1), fingerprint TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());",
            cancellationToken).ConfigureAwait(false);
        await using (var read = new NpgsqlCommand($"SELECT fingerprint FROM {VersionTable} WHERE id = 1", connection, transaction))
        {
            if (await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string applied
                && string.Equals(applied, fingerprint, StringComparison.Ordinal))
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        foreach (var script in scripts)
        {
            await ExecuteAsync(connection, transaction, script.ReadText(), cancellationToken).ConfigureAwait(false);
        }

        await using (var record = new NpgsqlCommand(
            $"INSERT INTO {VersionTable} (id, fingerprint) VALUES (1, @fingerprint) ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, applied_at = now()",
            connection,
            transaction))
        {
            record.Parameters.AddWithValue("fingerprint", fingerprint);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 120;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Script> ScriptsFor(DatabaseSettings db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var dialect = Dialect(db);
        return Resources()
            .Where(r => r.Dialect == dialect)
            .OrderBy(r => r.FileName, StringComparer.Ordinal)
            .ToList();
    }

    private static string Dialect(DatabaseSettings db) => db switch
    {
        { IsSqlite: true } => "sqlite",
        { IsPostgres: true } => "postgresql",
        _ => throw new ArgumentException($"Unsupported database invariant '{db.Invariant}'.", nameof(db)),
    };

    private static IEnumerable<Script> Resources()
    {
        var assembly = typeof(SchemaInstaller).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // MSBuild's RecursiveDir uses the build machine's separator; accept either.
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = normalized[ResourcePrefix.Length..];
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || relative.IndexOf('/', slash + 1) >= 0)
            {
                continue;
            }

            yield return new Script(assembly, name, relative[..slash], relative[(slash + 1)..]);
        }
    }

    private sealed record Script(Assembly Assembly, string ResourceName, string Dialect, string FileName)
    {
        public string ReadText()
        {
            using var stream = Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"Embedded script '{ResourceName}' is missing.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
