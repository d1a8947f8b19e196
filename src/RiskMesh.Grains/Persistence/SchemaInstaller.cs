using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace RiskMesh.Grains.Persistence;

/// <summary>Applies RiskMesh's SQL schema (Orleans provider tables and queries, then RiskMesh's own) to a database.</summary>
/// <remarks>
/// The scripts are embedded from <c>deploy/sql/{sqlite,postgresql}/*.sql</c> and run in file-name order,
/// all in one transaction. Every script is idempotent, so applying again is harmless; on PostgreSQL an
/// advisory lock also makes two processes applying at once take turns instead of racing on the catalog.
/// </remarks>
public static class SchemaInstaller
{
    /// <summary>Key of the transaction-scoped advisory lock that serializes installers on one PostgreSQL database.</summary>
    public const long PostgresAdvisoryLockKey = 0x5249534b4d455348; // "RISKMESH" in ASCII.

    private const string ResourcePrefix = "RiskMesh.Sql/";

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

    private static async Task ApplyPostgresAsync(DatabaseSettings db, List<Script> scripts, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresAdvisoryLockKey});", cancellationToken).ConfigureAwait(false);
        foreach (var script in scripts)
        {
            await ExecuteAsync(connection, transaction, script.ReadText(), cancellationToken).ConfigureAwait(false);
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
