using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>
/// A city's response state in its own tables (<see cref="ResponseStorage"/>), on a real database: each notice a row of
/// its own, written when it changes; the ETag refuses a write made from a stale read; a row stored by earlier versions
/// (through the ADO.NET provider) is read. "A restart" here is a new storage over the same database: nothing of the
/// first one's memory (its kept connection, what it knows of older rows) carries over.
/// </summary>
public abstract class ResponseStorageTests<TFixture>(TFixture fixture)
    where TFixture : StorageClusterFixture
{
    private const string StateName = "response";

    /// <summary>The fixture: cluster and database.</summary>
    protected TFixture Fixture { get; } = fixture;

    [Fact]
    public async Task Acknowledgement_WrittenAsTheNoticesChange_IsReadAfterARestart()
    {
        var city = NewCity();
        var storage = Storage();
        var state = await ReadAsync(storage, city);
        state.State.Escalation.Level = 2;
        state.State.NoticesJson.Add(Notice(city, 1));
        state.State.NoticesJson.Add(Notice(city, 2));
        state.State.LastSequence = 2;
        await storage.WriteStateAsync(StateName, city, state);

        // As CityGrain acknowledges: the notice replaced in place, then a write.
        state.State.NoticesJson.Replace(Notice(city, 1) with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = "ops", AcknowledgementComment = "seen" });
        await storage.WriteStateAsync(StateName, city, state);

        using var restarted = Restarted();
        var reread = await ReadAsync(restarted, city);
        Assert.True(reread.RecordExists);
        Assert.Equal(2, reread.State.Escalation.Level);
        Assert.Equal(2, reread.State.LastSequence);
        var notices = await NoticesAsync(restarted, reread, city);
        Assert.Equal([1L, 2L], notices.Select(n => n.Sequence));
        Assert.Equal(NoticeStatuses.Acknowledged, notices[0].Status);
        Assert.Equal("ops", notices[0].AcknowledgedBy);
        Assert.Equal("seen", notices[0].AcknowledgementComment);
        Assert.Equal(NoticeStatuses.Open, notices[1].Status);
        Assert.Equal(2L, await NoticeRowsAsync(city));
    }

    [Fact]
    public async Task NoticesPrunedFromTheNewest_TheirRowsAreGone_AndTheKeptOnesRead()
    {
        var city = NewCity();
        var storage = Storage();
        var state = await ReadAsync(storage, city);
        for (var sequence = 1; sequence <= 4; sequence++)
        {
            state.State.NoticesJson.Add(Notice(city, sequence));
        }

        await storage.WriteStateAsync(StateName, city, state);

        // Two more issued, and only the newest three kept (the city keeps 2,000: the rule is the same).
        state.State.NoticesJson.Add(Notice(city, 5));
        state.State.NoticesJson.Add(Notice(city, 6));
        state.State.NoticesJson.KeepNewest(3);
        await storage.WriteStateAsync(StateName, city, state);

        Assert.Equal(3L, await NoticeRowsAsync(city));
        Assert.Equal(0L, await NoticeRowsAsync(city, below: 4));
        using var restarted = Restarted();
        Assert.Equal([4L, 5L, 6L], (await NoticesAsync(restarted, await ReadAsync(restarted, city), city)).Select(n => n.Sequence));
    }

    [Fact]
    public async Task WriteFromAStaleRead_IsRefusedWithInconsistentState_AndChangesNothing()
    {
        var city = NewCity();
        var storage = Storage();
        var first = await ReadAsync(storage, city);
        var second = await ReadAsync(storage, city);

        // Two activations of a city that has no row yet (a failover race): the first write wins, the second is refused.
        first.State.NoticesJson.Add(Notice(city, 1));
        await storage.WriteStateAsync(StateName, city, first);
        second.State.NoticesJson.Add(Notice(city, 1) with { Kind = NoticeKinds.PortAboveCity });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, city, second));

        // Both read the stored row now; the one that writes first moves the version, the other is refused.
        var third = await ReadAsync(storage, city);
        var fourth = await ReadAsync(storage, city);
        third.State.Escalation.Level = 3;
        await storage.WriteStateAsync(StateName, city, third);
        fourth.State.Escalation.Level = 1;
        fourth.State.NoticesJson.Add(Notice(city, 2));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, city, fourth));

        using var restarted = Restarted();
        var stored = await ReadAsync(restarted, city);
        Assert.Equal(3, stored.State.Escalation.Level);
        Assert.Equal(NoticeKinds.Escalation, Assert.Single(await NoticesAsync(restarted, stored, city)).Kind);
        Assert.Equal(1L, await NoticeRowsAsync(city));
    }

    [Fact]
    public async Task RowStoredByAnEarlierVersion_IsRead_ThenSupersededByTheFirstWrite()
    {
        // As earlier versions stored it: the whole state in the ADO.NET provider's row, through the "riskmesh" storage.
        var city = NewCity();
        var legacy = Fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(RiskMeshStorage.Name);
        var old = new Stored();
        await legacy.ReadStateAsync(StateName, city, old);
        old.State.Escalation.Level = 4;
        old.State.PlanJson = "[{\"level\":2}]";
        old.State.Plans.Versions.Add(new PlanVersion { FromDay = 737500, Plan = null });
        old.State.NoticesJson.Add(Notice(city, 1) with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = "ops" });
        old.State.NoticesJson.Add(Notice(city, 2));
        old.State.LastSequence = 2;
        old.State.HandedOffThrough = 2;
        await legacy.WriteStateAsync(StateName, city, old);

        using var storage = Restarted();
        var read = await ReadAsync(storage, city);
        Assert.True(read.RecordExists);
        Assert.Equal(4, read.State.Escalation.Level);
        Assert.Equal("[{\"level\":2}]", read.State.PlanJson);
        Assert.Single(read.State.Plans.Versions);
        Assert.Equal(2, read.State.HandedOffThrough);
        Assert.Equal([NoticeStatuses.Acknowledged, NoticeStatuses.Open], read.State.NoticesJson.All().Select(n => n.Status));

        // Another activation read it too (a failover race): only the first write from the older row stands.
        var other = await ReadAsync(storage, city);
        read.State.NoticesJson.Add(Notice(city, 3));
        read.State.LastSequence = 3;
        await storage.WriteStateAsync(StateName, city, read);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, city, other));

        // Every notice it kept is now a row here: read back without the older row's help.
        Assert.Equal(3L, await NoticeRowsAsync(city));
        using var restarted = Restarted();
        var reread = await ReadAsync(restarted, city);
        var notices = await NoticesAsync(restarted, reread, city);
        Assert.Equal([1L, 2L, 3L], notices.Select(n => n.Sequence));
        Assert.Equal(NoticeStatuses.Acknowledged, notices[0].Status);
        Assert.Equal(4, reread.State.Escalation.Level);
        Assert.Equal(3, reread.State.LastSequence);
    }

    [Fact]
    public async Task FirstWriteFromTheOlderRow_LeavesATombstoneThere_ThatNoBuildReadsAsAState()
    {
        var city = NewCity();
        var legacy = Legacy();
        await StoreOlderRowAsync(legacy, city);

        using var storage = Restarted();
        var read = await ReadAsync(storage, city);
        read.State.NoticesJson.Add(Notice(city, 2));
        read.State.LastSequence = 2;
        await storage.WriteStateAsync(StateName, city, read);

        // The older row is no state any more: this build refuses it, naming the move.
        var moved = await Assert.ThrowsAnyAsync<Exception>(() => legacy.ReadStateAsync(StateName, city, new Stored()));
        Assert.Contains("tombstone", Chain(moved), StringComparison.Ordinal);

        // The previous build's serializer (RiskMeshStateSerializer without the tombstone check) hands a JSON string to
        // the silo-wide default serializer, which cannot make a state of it: its activation fails, it serves nothing.
        Assert.True(RiskMeshStateSerializer.IsOlderForm(ResponseTombstone.Payload));
        var defaults = Fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IGrainStorageSerializer>();
        Assert.ThrowsAny<Exception>(() => defaults.Deserialize<CityResponseState>(new BinaryData(ResponseTombstone.Payload)));

        // The city reads from its own rows, acknowledgement and all.
        using var restarted = Restarted();
        var reread = await ReadAsync(restarted, city);
        var notices = await NoticesAsync(restarted, reread, city);
        Assert.Equal([1L, 2L], notices.Select(n => n.Sequence));
        Assert.Equal(NoticeStatuses.Acknowledged, notices[0].Status);

        // Its own rows gone (deleted after the move): said plainly, not read as an empty city.
        await ExecuteAsync("DELETE FROM riskmesh_response WHERE grain_id = @grain", city);
        using var emptied = Restarted();
        var lost = await Assert.ThrowsAsync<ResponseMovedException>(() => ReadAsync(emptied, city));
        Assert.Contains("riskmesh_response has no row for it", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OlderRowWrittenAfterTheRead_RefusesTheFirstWrite_AndKeepsThatWrite()
    {
        var city = NewCity();
        var legacy = Legacy();
        await StoreOlderRowAsync(legacy, city);

        using var storage = Restarted();
        var read = await ReadAsync(storage, city);

        // A silo of the previous build acknowledges notice 2 in the older row meanwhile.
        var old = new Stored();
        await legacy.ReadStateAsync(StateName, city, old);
        old.State.NoticesJson.Add(Notice(city, 2) with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = "old silo" });
        old.State.LastSequence = 2;
        await legacy.WriteStateAsync(StateName, city, old);

        read.State.NoticesJson.Add(Notice(city, 2));
        read.State.LastSequence = 2;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, city, read));

        // Nothing of the stale write stays here: the next activation reads the old silo's acknowledgement.
        Assert.Equal(0L, await NoticeRowsAsync(city));
        using var restarted = Restarted();
        var reread = await ReadAsync(restarted, city);
        Assert.Equal("old silo", reread.State.NoticesJson[1].AcknowledgedBy);
        await restarted.WriteStateAsync(StateName, city, reread);
        Assert.Equal(2L, await NoticeRowsAsync(city));
    }

    [Fact]
    public async Task ReadState_HoldsNoNoticeInMemory_TheyAreReadFromTheirRowsWhenAsked()
    {
        var city = NewCity();
        var storage = Storage();
        var state = await ReadAsync(storage, city);
        state.State.NoticesJson.Add(Notice(city, 1));
        state.State.NoticesJson.Add(Notice(city, 2));
        state.State.LastSequence = 2;
        await storage.WriteStateAsync(StateName, city, state);

        // Written, they are no longer held; read again, none is loaded with the head (74 MB at 100,000 entities).
        Assert.Equal(0, state.State.NoticesJson.Count);
        using var restarted = Restarted();
        var read = await ReadAsync(restarted, city);
        Assert.Equal(0, read.State.NoticesJson.Count);
        Assert.Equal(2, read.State.LastSequence);

        // Asked for, the rows answer, after a sequence, with what is not written yet beside them.
        Assert.Equal([2L], (await NoticesAsync(restarted, read, city, after: 1)).Select(n => n.Sequence));
        read.State.NoticesJson.Replace(Notice(city, 1) with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = "ops" });
        read.State.NoticesJson.Add(Notice(city, 3));
        var merged = await NoticesAsync(restarted, read, city);
        Assert.Equal([1L, 2L, 3L], merged.Select(n => n.Sequence));
        Assert.Equal([NoticeStatuses.Acknowledged, NoticeStatuses.Open, NoticeStatuses.Open], merged.Select(n => n.Status));
    }

    private IGrainStorage Legacy() => Fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(RiskMeshStorage.Name);

    // As earlier versions stored it: the whole state in the ADO.NET provider's row, one notice acknowledged.
    private static async Task StoreOlderRowAsync(IGrainStorage legacy, GrainId city)
    {
        var old = new Stored();
        await legacy.ReadStateAsync(StateName, city, old);
        old.State.NoticesJson.Add(Notice(city, 1) with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = "ops" });
        old.State.LastSequence = 1;
        await legacy.WriteStateAsync(StateName, city, old);
    }

    private static string Chain(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" | ", messages);
    }

    private async Task ExecuteAsync(string sql, GrainId city)
    {
        await using DbConnection connection = Fixture.Database.IsSqlite ? new SqliteConnection(Fixture.Database.ConnectionString) : new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var grain = command.CreateParameter();
        grain.ParameterName = "grain";
        grain.Value = city.ToString();
        command.Parameters.Add(grain);
        await command.ExecuteNonQueryAsync();
    }

    // The silo's own response storage, as grains get it (gated on SQLite).
    private IGrainStorage Storage() =>
        Fixture.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(RiskMeshStorage.ResponseName);

    // A storage as a silo started again would make it, over the same database and older rows.
    private ResponseStorage Restarted()
    {
        var services = Fixture.Cluster.GetSiloServiceProvider();
        return new ResponseStorage(Fixture.Database, services.GetRequiredService<IOptions<ClusterOptions>>(), services.GetRequiredKeyedService<IGrainStorage>(RiskMeshStorage.Name));
    }

    // A city's notices as CityGrain lists them: its rows, with what it holds unwritten.
    private static async Task<IReadOnlyList<NoticeView>> NoticesAsync(ResponseStorage storage, Stored state, GrainId city, long after = 0) =>
        state.State.NoticesJson.Over(await storage.ReadNoticesAsync(city, after, CancellationToken.None), after);

    private static async Task<Stored> ReadAsync(IGrainStorage storage, GrainId city)
    {
        var state = new Stored();
        await storage.ReadStateAsync(StateName, city, state);
        return state;
    }

    private async Task<long> NoticeRowsAsync(GrainId city, long below = long.MaxValue)
    {
        await using DbConnection connection = Fixture.Database.IsSqlite ? new SqliteConnection(Fixture.Database.ConnectionString) : new NpgsqlConnection(Fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM riskmesh_response_notice WHERE grain_id = @grain AND seq < @below";
        var grain = command.CreateParameter();
        grain.ParameterName = "grain";
        grain.Value = city.ToString();
        command.Parameters.Add(grain);
        var limit = command.CreateParameter();
        limit.ParameterName = "below";
        limit.Value = below;
        command.Parameters.Add(limit);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static GrainId NewCity() => GrainId.Create("city", "rs-" + Guid.NewGuid().ToString("N")[..12]);

    private static NoticeView Notice(GrainId city, long sequence) => new(
        $"{city.Key}-{sequence}", city.Key.ToString()!, sequence, NoticeKinds.Escalation, 1, 2, 55.5, null,
        [new RiskComponentView("importPressure", 1.98, "expected infected arrivals a day", 0.86, 0.25, 21.5, "About 100 travellers a day — «ёж», \"quoted\"\n")],
        ["Open the fever clinic"], new DateOnly(2020, 4, 18), new DateTimeOffset(2020, 4, 18, 9, 30, 0, TimeSpan.Zero),
        NoticeStatuses.Open, null, null);
}

/// <summary>A city's response state as a storage read it: never null once read.</summary>
internal sealed class Stored : IGrainState<CityResponseState>
{
    private CityResponseState _state = new();

    /// <summary>The state read or to write.</summary>
    public CityResponseState State => _state;

    /// <inheritdoc />
    CityResponseState? IGrainState<CityResponseState>.State
    {
        get => _state;
        set => _state = value ?? throw new ArgumentNullException(nameof(value), "the storage left no state");
    }

    /// <inheritdoc />
    public string? ETag { get; set; }

    /// <inheritdoc />
    public bool RecordExists { get; set; }
}

/// <summary>The response storage on SQLite.</summary>
public sealed class SqliteResponseStorageTests(SqliteStorageClusterFixture fixture)
    : ResponseStorageTests<SqliteStorageClusterFixture>(fixture), IClassFixture<SqliteStorageClusterFixture>;

/// <summary>The response storage on PostgreSQL.</summary>
public sealed class PostgresResponseStorageTests(PostgresStorageClusterFixture fixture)
    : ResponseStorageTests<PostgresStorageClusterFixture>(fixture), IClassFixture<PostgresStorageClusterFixture>;
