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

    private static string ConnectionString =>
        Environment.GetEnvironmentVariable("RISKMESH_TEST_POSTGRES")
        ?? throw new InvalidOperationException("RISKMESH_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL.");

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
    public async Task SchemaApply_KeyRingTable_NotReadableByPublic()
    {
        await SchemaInstaller.ApplyAsync(DatabaseSettings.ForPostgres(ConnectionString));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();

        // Even after someone granted it to everyone (or default privileges did), applying the schema closes it again.
        await Execute(connection, $"GRANT SELECT ON {PostgresKeyRing.Table} TO PUBLIC");
        Assert.True(await PublicMaySelect(connection));
        await SchemaInstaller.ApplyAsync(DatabaseSettings.ForPostgres(ConnectionString));
        Assert.False(await PublicMaySelect(connection));
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

    private static async Task<bool> PublicMaySelect(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT has_table_privilege('public', '{PostgresKeyRing.Table}', 'SELECT')", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
