using Microsoft.Data.Sqlite;
using Npgsql;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>A database created for one test or fixture, removed when disposed.</summary>
public interface ITestDatabase : IAsyncDisposable
{
    /// <summary>Settings pointing at the database.</summary>
    DatabaseSettings Settings { get; }
}

/// <summary>Creates throwaway SQLite files and PostgreSQL databases for the persistence tests.</summary>
public static class TestDatabases
{
    /// <summary>Environment variable with the Npgsql connection string that scripts/test.sh exports.</summary>
    public const string PostgresVariable = "RISKMESH_TEST_POSTGRES";

    /// <summary>The PostgreSQL connection string; fails (never skips) when the test script did not provide one.</summary>
    public static string RequirePostgres()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set. PostgreSQL tests need a real server: run scripts/test.sh, " +
                "which starts a throwaway PostgreSQL and sets it (or run scripts/postgres.sh start and export " +
                $"{PostgresVariable}=\"$(scripts/postgres.sh url)\").");
        }

        return connectionString;
    }

    /// <summary>A new, empty SQLite file in the temp folder.</summary>
    public static ITestDatabase CreateSqlite() => new SqliteTestDatabase();

    /// <summary>A new, empty PostgreSQL database on the server of <see cref="PostgresVariable"/>.</summary>
    public static async Task<ITestDatabase> CreatePostgresAsync()
    {
        var serverConnectionString = RequirePostgres();
        var name = "riskmesh_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name };
        return new PostgresTestDatabase(serverConnectionString, name, DatabaseSettings.ForPostgres(builder.ConnectionString));
    }

    private sealed class SqliteTestDatabase : ITestDatabase
    {
        private readonly string _directory;

        public SqliteTestDatabase()
        {
            _directory = Path.Combine(Path.GetTempPath(), "riskmesh-tests", Guid.NewGuid().ToString("N"));
            Settings = DatabaseSettings.ForSqliteFile(Path.Combine(_directory, "riskmesh.db"));
        }

        public DatabaseSettings Settings { get; }

        public ValueTask DisposeAsync()
        {
            // Pooled connections keep the file open; release them before deleting it.
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresTestDatabase(string serverConnectionString, string name, DatabaseSettings settings) : ITestDatabase
    {
        public DatabaseSettings Settings { get; } = settings;

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(Settings.ConnectionString));
            await using var connection = new NpgsqlConnection(serverConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }
    }
}
