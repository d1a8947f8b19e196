using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>The Orleans ADO.NET storage contract, run against our own schema on a real database.</summary>
public abstract class GrainStorageContractTests<TFixture>(TFixture fixture)
    where TFixture : StorageClusterFixture
{
    /// <summary>The fixture: cluster and database.</summary>
    protected TFixture Fixture { get; } = fixture;

    [Fact]
    public async Task GrainState_WrittenThenDeactivated_IsReadBackByNewActivation()
    {
        var grain = Fixture.Client.GetGrain<IStorageProbeGrain>(NewKey());
        await grain.WriteAsync("first");
        var written = await grain.WriteAsync("second");

        await grain.DeactivateAsync();
        var reread = await WaitForNewActivationAsync(grain, written.ActivationId);

        Assert.Equal("second", reread.Text);
        Assert.Equal(2, reread.Writes);
        Assert.True(reread.RecordExists);
        Assert.Equal(written.ETag, reread.ETag);
    }

    [Fact]
    public async Task GrainState_WrittenThenSiloRestarted_IsReadBack()
    {
        var key = NewKey();
        var written = await Fixture.Client.GetGrain<IStorageProbeGrain>(key).WriteAsync("before restart");

        await Fixture.Cluster.RestartSiloAsync(Fixture.Cluster.Silos[0]);
        var reread = await ReadWithRetryAsync(key);

        Assert.NotEqual(written.ActivationId, reread.ActivationId);
        Assert.Equal("before restart", reread.Text);
        Assert.Equal(1, reread.Writes);
        Assert.True(reread.RecordExists);
    }

    [Fact]
    public async Task GrainState_Cleared_IsEmptyAfterReactivationAndWritableAgain()
    {
        var grain = Fixture.Client.GetGrain<IStorageProbeGrain>(NewKey());
        await grain.WriteAsync("to be cleared");

        var cleared = await grain.ClearAsync();
        Assert.False(cleared.RecordExists);
        Assert.Equal("", cleared.Text);

        await grain.DeactivateAsync();
        var reread = await WaitForNewActivationAsync(grain, cleared.ActivationId);
        Assert.False(reread.RecordExists);
        Assert.Equal("", reread.Text);
        Assert.Equal(0, reread.Writes);

        var rewritten = await grain.WriteAsync("again");
        Assert.True(rewritten.RecordExists);
        Assert.Equal(1, rewritten.Writes);
    }

    [Fact]
    public async Task GrainState_TwoHundredGrainsWritingConcurrently_AllWritesCompleteAndPersist()
    {
        const int Grains = 200;
        const int WritesPerGrain = 3;
        var prefix = NewKey();
        var grains = Enumerable.Range(0, Grains)
            .Select(i => Fixture.Client.GetGrain<IStorageProbeGrain>($"{prefix}-{i}"))
            .ToList();

        // Every call must finish inside Orleans' response timeout (30 s); a timed-out call fails the test here.
        await Task.WhenAll(grains.Select(async (grain, i) =>
        {
            for (var n = 1; n <= WritesPerGrain; n++)
            {
                await grain.WriteAsync($"grain {i} write {n}");
            }
        }));

        await Task.WhenAll(grains.Select(g => g.DeactivateAsync()));
        var storage = Storage();
        var stored = await Task.WhenAll(grains.Select(async grain => (await ReadStoredAsync(storage, "probe", grain.GetGrainId())).State));
        for (var i = 0; i < Grains; i++)
        {
            Assert.Equal(WritesPerGrain, stored[i].Writes);
            Assert.Equal($"grain {i} write {WritesPerGrain}", stored[i].Text);
        }
    }

    [Fact]
    public async Task Storage_WriteWithStaleETag_ThrowsInconsistentStateAndKeepsNewerState()
    {
        var storage = Storage();
        var grainId = GrainId.Create("storage-contract", NewKey());
        var first = new GrainState<StorageProbeState>(new StorageProbeState { Text = "v1", Writes = 1 });
        await storage.WriteStateAsync("probe", grainId, first);
        var staleETag = first.ETag;
        first.State = new StorageProbeState { Text = "v2", Writes = 2 };
        await storage.WriteStateAsync("probe", grainId, first);

        var stale = new GrainState<StorageProbeState>(new StorageProbeState { Text = "stale", Writes = 99 }) { ETag = staleETag, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, stale));

        // A second "first write" (no ETag) for a grain that already has a row must conflict too.
        var duplicate = new GrainState<StorageProbeState>(new StorageProbeState { Text = "duplicate" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, duplicate));

        var reread = await ReadStoredAsync(storage, "probe", grainId);
        Assert.Equal("v2", reread.State.Text);
        Assert.Equal(first.ETag, reread.ETag);
    }

    [Fact]
    public async Task Storage_WriteWithAVersionForAGrainWithoutARow_ThrowsInconsistentStateAndStoresNothing()
    {
        // A writer holding a version where no row exists (it was deleted, or another database) must not create one.
        var storage = Storage();
        var grainId = GrainId.Create("storage-contract", NewKey());
        var phantom = new GrainState<StorageProbeState>(new StorageProbeState { Text = "phantom", Writes = 3 }) { ETag = "3", RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", grainId, phantom));

        var reread = await ReadStoredAsync(storage, "probe", grainId);
        Assert.Null(reread.ETag);
        Assert.Equal("", reread.State.Text);
    }

    [Fact]
    public async Task Storage_ClearWithStaleETag_ThrowsInconsistentState()
    {
        var storage = Storage();
        var grainId = GrainId.Create("storage-contract", NewKey());
        var state = new GrainState<StorageProbeState>(new StorageProbeState { Text = "v1" });
        await storage.WriteStateAsync("probe", grainId, state);
        var staleETag = state.ETag;
        await storage.WriteStateAsync("probe", grainId, state);

        var stale = new GrainState<StorageProbeState>(new StorageProbeState()) { ETag = staleETag, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("probe", grainId, stale));
    }

    [Fact]
    public async Task Storage_IntegerKeysWithAndWithoutExtension_AreSeparateRecords()
    {
        var storage = Storage();
        var type = GrainType.Create("storage-contract-int-" + Guid.NewGuid().ToString("N")[..8]);
        var plain = GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(42));
        var extended = GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(42, "ext"));

        await storage.WriteStateAsync("probe", plain, new GrainState<StorageProbeState>(new StorageProbeState { Text = "plain" }));
        await storage.WriteStateAsync("probe", extended, new GrainState<StorageProbeState>(new StorageProbeState { Text = "extended" }));

        Assert.Equal("plain", (await ReadStoredAsync(storage, "probe", plain)).State.Text);
        Assert.Equal("extended", (await ReadStoredAsync(storage, "probe", extended)).State.Text);
    }

    [Fact]
    public async Task Storage_SameKeyAndStateNameInTwoGrainTypes_AreSeparateRecords()
    {
        var storage = Storage();
        var key = NewKey();
        var country = GrainId.Create("storage-contract-country", key);
        var city = GrainId.Create("storage-contract-city", key);

        await storage.WriteStateAsync("state", country, new GrainState<StorageProbeState>(new StorageProbeState { Text = "country" }));
        await storage.WriteStateAsync("state", city, new GrainState<StorageProbeState>(new StorageProbeState { Text = "city" }));

        Assert.Equal("country", (await ReadStoredAsync(storage, "state", country)).State.Text);
        Assert.Equal("city", (await ReadStoredAsync(storage, "state", city)).State.Text);
    }

    [Fact]
    public async Task StoredGrainKeys_ListsTheKeysOfOneGrainTypeWithThatState_AndNoOther()
    {
        var storage = Storage();
        var type = GrainType.Create("storage-contract-keys-" + Guid.NewGuid().ToString("N")[..8]);
        var (first, second, other) = ("keys-" + NewKey(), "keys-" + NewKey(), "keys-" + NewKey());
        var numeric = "4d2";
        await storage.WriteStateAsync("outbox", GrainId.Create(type, first), new GrainState<StorageProbeState>(new StorageProbeState { Text = "a" }));
        await storage.WriteStateAsync("outbox", GrainId.Create(type, second), new GrainState<StorageProbeState>(new StorageProbeState { Text = "b" }));
        await storage.WriteStateAsync("outbox", GrainId.Create(type, numeric), new GrainState<StorageProbeState>(new StorageProbeState { Text = "n" }));
        await storage.WriteStateAsync("other", GrainId.Create(type, other), new GrainState<StorageProbeState>(new StorageProbeState { Text = "c" }));
        await storage.WriteStateAsync("outbox", GrainId.Create("storage-contract-elsewhere", other), new GrainState<StorageProbeState>(new StorageProbeState { Text = "d" }));

        var keys = await Fixture.Cluster.GetSiloServiceProvider().GetRequiredService<StoredGrainKeys>().ListAsync(type, "outbox");

        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.True(StoredGrainKeys.IsStringKey(first));
        Assert.False(StoredGrainKeys.IsStringKey(numeric));
        Assert.False(StoredGrainKeys.IsStringKey(Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task StoredGrainKeys_ReadsThroughTheIndexByType_NotEveryGrainsState()
    {
        await using var connection = Fixture.Database.IsSqlite
            ? (System.Data.Common.DbConnection)new Microsoft.Data.Sqlite.SqliteConnection(Fixture.Database.ConnectionString)
            : new Npgsql.NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();

        // PostgreSQL prefers a sequential scan of a small table whatever its indexes: with it off, the plan shows
        // whether the index can serve the query at all, as it will once the table is large.
        var query = StoredGrainKeys.Query.Replace("@service", "'svc'", StringComparison.Ordinal).Replace("@type", "'outbox'", StringComparison.Ordinal);
        command.CommandText = Fixture.Database.IsSqlite ? "EXPLAIN QUERY PLAN " + query : "SET enable_seqscan = off; EXPLAIN " + query;
        var plan = new System.Text.StringBuilder();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            do
            {
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        plan.Append(reader.GetValue(i)).Append(' ');
                    }
                }
            }
            while (await reader.NextResultAsync());
        }

        Assert.Contains("ix_riskmesh_grain_state_type", plan.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The storage grains get under <see cref="RiskMeshStorage.Name"/> in the running silo.</summary>
    protected IGrainStorage Storage() =>
        Fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(RiskMeshStorage.Name);

    private static async Task<(StorageProbeState State, string? ETag)> ReadStoredAsync(IGrainStorage storage, string stateName, GrainId grainId)
    {
        var state = new GrainState<StorageProbeState>(new StorageProbeState());
        await storage.ReadStateAsync(stateName, grainId, state);
        Assert.NotNull(state.State);
        return (state.State, state.ETag);
    }

    private static string NewKey() => Guid.NewGuid().ToString("N");

    private static async Task<ProbeSnapshot> WaitForNewActivationAsync(IStorageProbeGrain grain, Guid oldActivation)
    {
        // DeactivateOnIdle takes effect after the call returns; poll until a new activation answers.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var snapshot = await grain.ReadAsync();
            if (snapshot.ActivationId != oldActivation)
            {
                return snapshot;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The grain was not deactivated within 10 s.");
            }

            await Task.Delay(50);
        }
    }

    private async Task<ProbeSnapshot> ReadWithRetryAsync(string key)
    {
        // The client reconnects to the restarted silo's gateway in the background.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await Fixture.Client.GetGrain<IStorageProbeGrain>(key).ReadAsync();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}

/// <summary>The storage contract on SQLite, through the write gate.</summary>
public sealed class SqliteGrainStorageTests(SqliteStorageClusterFixture fixture)
    : GrainStorageContractTests<SqliteStorageClusterFixture>(fixture), IClassFixture<SqliteStorageClusterFixture>
{
    [Fact]
    public void Storage_OnSqlite_IsScopedAndGated()
    {
        Assert.IsType<GrainTypeScopedStorage>(Storage());
        var gate = Fixture.Cluster.GetSiloServiceProvider().GetRequiredService<SqliteWriteGate>();
        Assert.True(gate.IsSerializing);
    }
}

/// <summary>The storage contract on PostgreSQL.</summary>
public sealed class PostgresGrainStorageTests(PostgresStorageClusterFixture fixture)
    : GrainStorageContractTests<PostgresStorageClusterFixture>(fixture), IClassFixture<PostgresStorageClusterFixture>
{
    [Fact]
    public void Storage_OnPostgres_IsScopedAndNotGated()
    {
        Assert.IsType<GrainTypeScopedStorage>(Storage());
        var gate = Fixture.Cluster.GetSiloServiceProvider().GetRequiredService<SqliteWriteGate>();
        Assert.False(gate.IsSerializing);
    }
}
