using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Webhooks;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>
/// The cluster's data-protection key ring in PostgreSQL: shared by every node of a service, seeded from the key ring
/// directory a node used before (so webhook secrets it encrypted still decrypt), and closed to other database users.
/// </summary>
public sealed class SharedKeyRingTests
{
    private const string Secret = "a-webhook-secret-of-some-length";

    private static string ConnectionString => TestPostgres.ConnectionString;

    [Fact]
    public async Task PostgresRing_SecretEncryptedWithOldDirectoryRing_DecryptsOnEveryNodeAfterImport()
    {
        await SchemaInstaller.ApplyAsync(DatabaseSettings.ForPostgres(ConnectionString));
        var service = "ring-" + Guid.NewGuid().ToString("N")[..12];
        var oldRing = Directory.CreateTempSubdirectory("riskmesh-old-ring-").FullName;
        var otherNode = Directory.CreateTempSubdirectory("riskmesh-other-node-").FullName;
        try
        {
            // Before the cluster kept its ring in the database: a silo with a ring directory encrypted a secret.
            var before = DataProtectionProvider.Create(new DirectoryInfo(oldRing), b => b.SetApplicationName("RiskMesh"));
            var stored = new WebhookSecretProtector(before).Protect(Secret);

            // The same silo on PostgreSQL imports that ring, and decrypts what it stored.
            using var silo = Node(service, keyRingDirectory: oldRing);
            Assert.Equal(Secret, new WebhookSecretProtector(silo.GetRequiredService<IDataProtectionProvider>()).Unprotect(stored));

            // Another node of the service, which never saw that directory, reads the same ring from the database.
            using var other = Node(service, keyRingDirectory: otherNode);
            Assert.Equal(Secret, new WebhookSecretProtector(other.GetRequiredService<IDataProtectionProvider>()).Unprotect(stored));
            var fresh = new WebhookSecretProtector(other.GetRequiredService<IDataProtectionProvider>()).Protect("a-second-secret-0123456789");
            Assert.Equal("a-second-secret-0123456789", new WebhookSecretProtector(silo.GetRequiredService<IDataProtectionProvider>()).Unprotect(fresh));
            Assert.Empty(Directory.GetFiles(otherNode));

            // A node of another service sharing the database has a ring of its own.
            using var stranger = Node("ring-" + Guid.NewGuid().ToString("N")[..12], keyRingDirectory: otherNode);
            Assert.Null(new WebhookSecretProtector(stranger.GetRequiredService<IDataProtectionProvider>()).Unprotect(stored));
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(oldRing);
            RiskMeshHostFixture.DeleteDirectory(otherNode);
        }
    }

    [Fact]
    public async Task TwoNodesStartingAtOnceOnAnEmptyRing_EachReadsWhatTheOtherProtected()
    {
        await SchemaInstaller.ApplyAsync(DatabaseSettings.ForPostgres(ConnectionString));
        var service = "ring-race-" + Guid.NewGuid().ToString("N")[..12];
        var directories = new[] { Directory.CreateTempSubdirectory("riskmesh-race-a-").FullName, Directory.CreateTempSubdirectory("riskmesh-race-b-").FullName };
        try
        {
            using var a = Node(service, keyRingDirectory: directories[0]);
            using var b = Node(service, keyRingDirectory: directories[1]);

            // Both find no key and may each create one at the same moment: the ring then holds two, which is fine as
            // long as each node finds the other's key when it meets a payload protected with it.
            using var start = new Barrier(2);
            var protectedBy = await Task.WhenAll(new[] { a, b }.Select(node => Task.Run(() =>
            {
                var protector = node.GetRequiredService<IDataProtectionProvider>().CreateProtector("race");
                start.SignalAndWait();
                return protector.Protect("from " + node.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture));
            })));

            Assert.Equal("from " + a.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture), b.GetRequiredService<IDataProtectionProvider>().CreateProtector("race").Unprotect(protectedBy[0]));
            Assert.Equal("from " + b.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture), a.GetRequiredService<IDataProtectionProvider>().CreateProtector("race").Unprotect(protectedBy[1]));
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {PostgresKeyRing.Table} WHERE service_id = @s AND friendly_name LIKE 'key-%'", connection);
            count.Parameters.AddWithValue("s", service);
            Assert.InRange((long)(await count.ExecuteScalarAsync())!, 1, 2);
        }
        finally
        {
            Array.ForEach(directories, RiskMeshHostFixture.DeleteDirectory);
        }
    }

    [Fact]
    public async Task SchemaApply_KeyRingTable_NotReadableByPublic()
    {
        // A database of its own whose default privileges give every new table to everyone: the schema must close the
        // key ring table again. (An applied schema is never run twice, so the shared test database cannot show it.)
        var database = "riskmesh_ring_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync();
            await Execute(admin, $"CREATE DATABASE {database}");
        }

        var isolated = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            await using (var connection = new NpgsqlConnection(isolated))
            {
                await connection.OpenAsync();
                await Execute(connection, "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC");
                await Execute(connection, "CREATE TABLE probe_default_privileges (id int)");
                Assert.True(await PublicMaySelect(connection, "probe_default_privileges"));
            }

            await SchemaInstaller.ApplyAsync(DatabaseSettings.ForPostgres(isolated));
            await using (var connection = new NpgsqlConnection(isolated))
            {
                await connection.OpenAsync();
                Assert.False(await PublicMaySelect(connection, PostgresKeyRing.Table));
            }
        }
        finally
        {
            await using var admin = new NpgsqlConnection(ConnectionString);
            await admin.OpenAsync();
            await Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static ServiceProvider Node(string service, string keyRingDirectory)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RiskMesh:Database:Invariant"] = "Npgsql",
            ["RiskMesh:Database:ConnectionString"] = ConnectionString,
            ["RiskMesh:ServiceId"] = service,
            ["RiskMesh:DataDirectory"] = Path.GetTempPath(),
            [KeyRingSetup.DirectorySetting] = keyRingDirectory,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRiskMeshKeyRing(configuration, RiskMeshHostSettings.From(configuration));
        return services.BuildServiceProvider();
    }

    private static async Task<bool> PublicMaySelect(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT has_table_privilege('public', '{table}', 'SELECT')", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
