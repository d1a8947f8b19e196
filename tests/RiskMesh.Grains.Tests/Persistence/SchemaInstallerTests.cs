using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

public sealed class SchemaInstallerTests
{
    private static readonly string[] StorageKeys = ["WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    private static readonly string[] ClusteringKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
    ];

    private static readonly string[] ReminderKeys =
    [
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public void ScriptNames_BothDialects_AreEmbeddedInFileNameOrder()
    {
        var sqlite = SchemaInstaller.ScriptNames(DatabaseSettings.ForSqliteFile("x.db"));
        var postgres = SchemaInstaller.ScriptNames(DatabaseSettings.ForPostgres("Host=localhost"));

        Assert.Equal("001-orleans-storage.sql", sqlite[0]);
        Assert.Equal(["001-orleans-clustering.sql", "002-orleans-storage.sql", "003-orleans-reminders.sql"], postgres.Take(3));
        Assert.Equal(sqlite.Order(StringComparer.Ordinal), sqlite);
        Assert.Equal(postgres.Order(StringComparer.Ordinal), postgres);
    }

    [Fact]
    public async Task ApplyAsync_SqliteTwice_KeepsDataAndHasStorageQueries()
    {
        await using var database = TestDatabases.CreateSqlite();

        var applied = await SchemaInstaller.ApplyAsync(database.Settings);
        await InsertGrainRowAsync(database.Settings);
        var reapplied = await SchemaInstaller.ApplyAsync(database.Settings);

        Assert.Equal(applied, reapplied);
        await using var connection = new SqliteConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM orleans_grain_state"));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Empty(StorageKeys.Except(await QueryKeysAsync(connection)));
    }

    [Fact]
    public async Task ApplyAsync_SqliteConcurrently_AllSucceed()
    {
        await using var database = TestDatabases.CreateSqlite();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaInstaller.ApplyAsync(database.Settings))));

        await using var connection = new SqliteConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        Assert.Empty(StorageKeys.Except(await QueryKeysAsync(connection)));
    }

    [Fact]
    public async Task ApplyAsync_PostgresTwice_KeepsDataAndHasEveryProviderQuery()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();

        await SchemaInstaller.ApplyAsync(database.Settings);
        await InsertGrainRowAsync(database.Settings);
        await SchemaInstaller.ApplyAsync(database.Settings);

        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM orleans_grain_state"));
        Assert.Empty(StorageKeys.Concat(ClusteringKeys).Concat(ReminderKeys).Except(await QueryKeysAsync(connection)));
    }

    [Fact]
    public async Task ApplyAsync_PostgresFromSeveralConnectionsAtOnce_AllSucceed()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();

        // Without the advisory lock, concurrent CREATE TABLE IF NOT EXISTS races on the catalog and fails.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaInstaller.ApplyAsync(database.Settings))));

        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        Assert.Empty(StorageKeys.Concat(ClusteringKeys).Concat(ReminderKeys).Except(await QueryKeysAsync(connection)));
    }

    [Fact]
    public async Task ApplyAsync_PostgresAgainBesideAnOpenIngestTransaction_NeitherWaitsNorDeadlocks()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();
        await SchemaInstaller.ApplyAsync(database.Settings);

        // A running silo's ingest: a batch row inserted, its journal rows still to come, the transaction open. A second
        // apply used to take share locks on the journal and then wait for this batch table: the ingest's next insert
        // and the installer deadlocked, and PostgreSQL aborted one (CI: a silo exiting 134 at start, an ingest 500).
        await using var ingest = new NpgsqlConnection(database.Settings.ConnectionString);
        await ingest.OpenAsync();
        await using var transaction = await ingest.BeginTransactionAsync();
        await using (var batch = new NpgsqlCommand("INSERT INTO riskmesh_batch (service_id, first_seq, last_seq, applied, created_at) VALUES ('svc', 0, 0, FALSE, now()) RETURNING batch_id", ingest, transaction))
        {
            await batch.ExecuteScalarAsync();
        }

        await SchemaInstaller.ApplyAsync(database.Settings).WaitAsync(TimeSpan.FromSeconds(20));

        await using (var journal = new NpgsqlCommand("INSERT INTO riskmesh_journal (service_id, source, event_id, entity, event_day, payload, batch_id) VALUES ('svc', 's', 'e', 'country/FR', 1, '{}', 1)", ingest, transaction))
        {
            await journal.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    [Fact]
    public async Task ApplyAsync_PostgresWithAnOlderFingerprint_RunsTheScriptsAgain()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();
        await SchemaInstaller.ApplyAsync(database.Settings);
        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(SchemaInstaller.Fingerprint(database.Settings), await ScalarAsync(connection, $"SELECT fingerprint FROM {SchemaInstaller.VersionTable}"));

        // An upgrade: the recorded schema is an older one, and a query of the new scripts is missing.
        await ExecuteAsync(connection, $"UPDATE {SchemaInstaller.VersionTable} SET fingerprint = 'older'");
        await ExecuteAsync(connection, "DELETE FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'");
        await SchemaInstaller.ApplyAsync(database.Settings);

        Assert.Contains("WriteToStorageKey", await QueryKeysAsync(connection));
        Assert.Equal(SchemaInstaller.Fingerprint(database.Settings), await ScalarAsync(connection, $"SELECT fingerprint FROM {SchemaInstaller.VersionTable}"));
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task InsertGrainRowAsync(DatabaseSettings settings)
    {
        await using DbConnection connection = settings.IsSqlite
            ? new SqliteConnection(settings.ConnectionString)
            : new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO orleans_grain_state (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, version) " +
            "VALUES ('svc', 'type', 1, 2, 0, 0, 1)";
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static async Task<HashSet<string>> QueryKeysAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey FROM OrleansQuery";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
