using Npgsql;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Grains.Persistence;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// A silo on PostgreSQL that does not apply the schema itself starts only on its own build's schema (review 15 M2: it
/// answered ready on an older schema, then failed every evaluation with <c>relation "riskmesh_response" does not exist</c>).
/// Each test has a database of its own on the test server, so changing its recorded schema disturbs no other test.
/// </summary>
public sealed class SchemaCheckTests
{
    [Fact]
    public async Task Silo_OnASchemaOfAnotherBuild_DoesNotStart_NamingSchemaApply()
    {
        await using var database = await OwnDatabase.CreateAsync();
        await SchemaInstaller.ApplyAsync(database.Settings);
        await database.ExecuteAsync($"UPDATE {SchemaInstaller.VersionTable} SET fingerprint = 'older-build-fingerprint'");

        var refused = Assert.Throws<SchemaNotAppliedException>(() => Build(database));
        Assert.Contains("riskmesh-silo schema apply", refused.Message, StringComparison.Ordinal);
        Assert.Contains("older-build-", refused.Message, StringComparison.Ordinal);
        Assert.Contains("riskmesh-schema", refused.Message, StringComparison.Ordinal);

        // Applied by this build: the silo builds.
        await SchemaInstaller.ApplyAsync(database.Settings);
        await using var app = Build(database);
    }

    [Fact]
    public async Task Silo_OnADatabaseWithoutSchema_DoesNotStart()
    {
        await using var database = await OwnDatabase.CreateAsync();
        var refused = Assert.Throws<SchemaNotAppliedException>(() => Build(database));
        Assert.Contains("no RiskMesh schema", refused.Message, StringComparison.Ordinal);
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(OwnDatabase database) => RiskMeshApp.Build(RiskMeshApp.CreateBuilder(
    [
        "--RiskMesh:Role=silo",
        "--RiskMesh:Database:Invariant=Npgsql",
        "--RiskMesh:Database:ConnectionString=" + database.ConnectionString,
        "--RiskMesh:Database:ApplySchemaOnStart=false",
        "--RiskMesh:DataDirectory=" + database.Directory,
        "--RiskMesh:ClusterId=" + database.Name,
        "--RiskMesh:ServiceId=" + database.Name,
    ]));

    private sealed class OwnDatabase : IAsyncDisposable
    {
        private OwnDatabase(string name)
        {
            Name = name;
            ConnectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = name, Pooling = false }.ToString();
            Settings = new DatabaseSettings("Npgsql", ConnectionString);
            Directory = Path.Combine(Path.GetTempPath(), "riskmesh-" + name);
            System.IO.Directory.CreateDirectory(Directory);
        }

        public string Name { get; }

        public string ConnectionString { get; }

        public DatabaseSettings Settings { get; }

        public string Directory { get; }

        public static async Task<OwnDatabase> CreateAsync()
        {
            var database = new OwnDatabase("ft_schema_" + Guid.NewGuid().ToString("N")[..12]);
            await AdminAsync($"CREATE DATABASE {database.Name}");
            return database;
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
            RiskMeshHostFixture.DeleteDirectory(Directory);
        }

        private static async Task AdminAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(TestPostgres.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
