using Microsoft.Data.Sqlite;
using Npgsql;

namespace RiskMesh.Grains.Persistence;

/// <summary>Which database RiskMesh keeps its state in: an ADO.NET invariant and a connection string.</summary>
/// <param name="Invariant"><see cref="RiskMeshStorage.SqliteInvariant"/> or <see cref="RiskMeshStorage.PostgresInvariant"/>.</param>
/// <param name="ConnectionString">The provider's connection string.</param>
public sealed record DatabaseSettings(string Invariant, string ConnectionString)
{
    /// <summary>Connections each silo may hold: Npgsql's default (100) equals PostgreSQL's default max_connections.</summary>
    public const int DefaultPostgresPoolSize = 20;

    /// <summary>Seconds a SQLite command waits on a locked database before it fails.</summary>
    public const int DefaultSqliteTimeoutSeconds = 30;

    /// <summary>True for the embedded SQLite database.</summary>
    public bool IsSqlite => string.Equals(Invariant, RiskMeshStorage.SqliteInvariant, StringComparison.Ordinal);

    /// <summary>True for PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Invariant, RiskMeshStorage.PostgresInvariant, StringComparison.Ordinal);

    /// <summary>Settings for a SQLite file (created on first use), with pooling and a 30 s busy timeout.</summary>
    public static DatabaseSettings ForSqliteFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = DefaultSqliteTimeoutSeconds,
        };
        return new DatabaseSettings(RiskMeshStorage.SqliteInvariant, builder.ToString());
    }

    /// <summary>Settings for PostgreSQL; caps the pool at <see cref="DefaultPostgresPoolSize"/> unless the string sets its own.</summary>
    public static DatabaseSettings ForPostgres(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(connectionString, "Maximum Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = DefaultPostgresPoolSize;
        }

        return new DatabaseSettings(RiskMeshStorage.PostgresInvariant, builder.ConnectionString);
    }

    /// <summary>Settings from configuration values: the invariant picks the database and its defaults.</summary>
    public static DatabaseSettings Create(string invariant, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invariant);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (string.Equals(invariant, RiskMeshStorage.PostgresInvariant, StringComparison.Ordinal))
        {
            return ForPostgres(connectionString);
        }

        if (string.Equals(invariant, RiskMeshStorage.SqliteInvariant, StringComparison.Ordinal))
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (!HasKey(connectionString, "Default Timeout", "DefaultTimeout", "Command Timeout", "CommandTimeout"))
            {
                builder.DefaultTimeout = DefaultSqliteTimeoutSeconds;
            }

            return new DatabaseSettings(RiskMeshStorage.SqliteInvariant, builder.ToString());
        }

        throw new ArgumentException(
            $"Unsupported database invariant '{invariant}': use '{RiskMeshStorage.SqliteInvariant}' or '{RiskMeshStorage.PostgresInvariant}'.",
            nameof(invariant));
    }

    /// <summary>Prints the invariant and the connection string without its password.</summary>
    public override string ToString() => $"{Invariant}: {Redacted()}";

    private string Redacted()
    {
        if (!IsPostgres)
        {
            return ConnectionString;
        }

        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }

        return builder.ConnectionString;
    }

    private static bool HasKey(string connectionString, params string[] keys)
    {
        // A generic parse, so the check sees exactly what the user wrote, whatever synonym they used.
        var generic = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keys.Any(generic.ContainsKey);
    }
}
