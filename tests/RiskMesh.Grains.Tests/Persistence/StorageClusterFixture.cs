using Orleans.TestingHost;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>One in-process silo with RiskMesh's grain storage on a fresh database, shared by a test class.</summary>
public abstract class StorageClusterFixture : IAsyncLifetime
{
    private ITestDatabase? _database;
    private InProcessTestCluster? _cluster;

    /// <summary>The running cluster.</summary>
    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not deployed.");

    /// <summary>The database the silo stores grain state in.</summary>
    public DatabaseSettings Database => _database?.Settings ?? throw new InvalidOperationException("No database yet.");

    /// <summary>The cluster's client.</summary>
    public IClusterClient Client => Cluster.Client;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        await SchemaInstaller.ApplyAsync(_database.Settings);

        var settings = _database.Settings;
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddRiskMeshGrainStorage(settings));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>Creates the empty database for this fixture.</summary>
    protected abstract Task<ITestDatabase> CreateDatabaseAsync();
}

/// <summary>The storage cluster on a temporary SQLite file.</summary>
public sealed class SqliteStorageClusterFixture : StorageClusterFixture
{
    /// <inheritdoc />
    protected override Task<ITestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabases.CreateSqlite());
}

/// <summary>The storage cluster on a fresh PostgreSQL database from <c>RISKMESH_TEST_POSTGRES</c>.</summary>
public sealed class PostgresStorageClusterFixture : StorageClusterFixture
{
    /// <inheritdoc />
    protected override Task<ITestDatabase> CreateDatabaseAsync() => TestDatabases.CreatePostgresAsync();
}
