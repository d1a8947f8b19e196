using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Grain storage for a city's response state (<see cref="CityResponseState"/>) in RiskMesh's own tables: the state less
/// its notices as one row (<c>riskmesh_response</c>), each kept notice as a row of its own
/// (<c>riskmesh_response_notice</c>). A write updates the first and inserts, updates or deletes only the notices that
/// changed since the state was read or last written, in one transaction: its cost no longer grows with the notices a
/// city keeps (up to 2,000), and on SQLite it runs on one kept connection with its statements prepared once.
/// </summary>
/// <remarks>
/// <para>The ETag is <c>r</c> and the row's version. A write with it updates that version only; a write without one
/// (a city never stored, or read from its older row) inserts the row only if there is none. Anything else is an
/// <see cref="InconsistentStateException"/>, as with the ADO.NET provider: two activations of a city racing during a
/// silo failover cannot both write.</para>
/// <para>A city with no row here is read once from the row earlier versions stored through the ADO.NET provider
/// (<paramref name="legacy"/>, the state name scoped as <c>city/response</c>); its first write here stores the whole
/// state, then replaces that row by a <see cref="ResponseTombstone"/> (with the ETag it was read with), so it is read
/// no more, and a silo of the previous build cannot serve or overwrite it. Whether any such rows exist is asked once per grain type and process, so a
/// database that never had them pays no second read per activation.</para>
/// <para>Durability is the caller's: on SQLite this storage is wrapped in <see cref="GatedGrainStorage"/> (one writer
/// at a time, commits at <c>synchronous=NORMAL</c>, then the shared fsync of <see cref="SqliteGroupCommit"/>); on
/// PostgreSQL a commit is durable.</para>
/// </remarks>
internal sealed class ResponseStorage(DatabaseSettings database, IOptions<ClusterOptions> cluster, IGrainStorage legacy) : IGrainStorage, IDisposable
{
    private const string EtagPrefix = "r";

    private const string ReadHead = "SELECT version, head FROM riskmesh_response WHERE service_id = @service AND grain_id = @grain";
    private const string ReadNotices = "SELECT notice FROM riskmesh_response_notice WHERE service_id = @service AND grain_id = @grain AND seq > @after AND seq <= @through ORDER BY seq";
    private const string LegacyRows = "SELECT 1 FROM orleans_grain_state WHERE service_id = @service AND grain_type = @type LIMIT 1";

    private const string InsertHead =
        "INSERT INTO riskmesh_response (service_id, grain_id, version, head) VALUES (@service, @grain, 1, @head) " +
        "ON CONFLICT (service_id, grain_id) DO NOTHING";

    private const string UpdateHead =
        "UPDATE riskmesh_response SET version = version + 1, head = @head " +
        "WHERE service_id = @service AND grain_id = @grain AND version = @version";

    private const string UpsertNotice =
        "INSERT INTO riskmesh_response_notice (service_id, grain_id, seq, notice) VALUES (@service, @grain, @seq, @notice) " +
        "ON CONFLICT (service_id, grain_id, seq) DO UPDATE SET notice = excluded.notice";

    private const string ForgetHead = "DELETE FROM riskmesh_response WHERE service_id = @service AND grain_id = @grain AND version = @version";

    private const string DeleteNoticesBelow = "DELETE FROM riskmesh_response_notice WHERE service_id = @service AND grain_id = @grain AND seq < @below";

    // SQLite's page cache for the kept connection, in KiB (negative: a size, not pages): a write touches a few pages.
    private const string SqliteSetup = SqliteGroupCommit.DeferredSync + " PRAGMA cache_size = -256;";

    private readonly string _service = cluster.Value.ServiceId;
    private readonly DbProviderFactory _factory = database.IsSqlite ? SqliteFactory.Instance : NpgsqlFactory.Instance;
    private readonly SemaphoreSlim _keptLock = new(1, 1);
    private readonly ConcurrentDictionary<GrainType, Task<bool>> _legacyRows = new();

    // SQLite's one kept connection for writes (the write gate lets one writer in at a time), made at the first write.
    private Writer? _kept;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var response = Response(grainState);
        if (await ReadOwnAsync(grainId, response, cancellationToken))
        {
            return;
        }

        if (await HasLegacyRowsAsync(stateName, grainId.Type, cancellationToken))
        {
            try
            {
                await legacy.ReadStateAsync(stateName, grainId, grainState, cancellationToken);
            }
            catch (Exception ex) when (Moved(ex))
            {
                // The tombstone is written only after the city's own rows are committed, so a crash between the two
                // cannot leave this: its rows here were deleted (a restore, a truncation) after the move.
                throw new ResponseMovedException(
                    $"{grainId}: its older response row (city/response) says its state moved to riskmesh_response, but riskmesh_response has no row for it: " +
                    "its rows there were deleted or not restored. Restore riskmesh_response and riskmesh_response_notice from the same backup as orleans_grain_state.");
            }

            return;
        }

        response.State = new CityResponseState();
        response.ETag = null;
        response.RecordExists = false;
    }

    /// <summary>
    /// Reads the city's head here into <paramref name="response"/>; false when it has none. Its notices stay in their
    /// rows until asked for (<see cref="ReadNoticesAsync"/>): an activation holds none of them.
    /// </summary>
    private async Task<bool> ReadOwnAsync(GrainId grainId, IGrainState<CityResponseState> response, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        long version;
        string? head;
        await using (var read = Command(connection, ReadHead, grainId))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return false;
            }

            version = reader.GetInt64(0);
            head = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        response.ETag = Etag(version);
        if (head is null)
        {
            // Cleared: the row stays, with its version, so the older row is never read again for this city.
            response.State = new CityResponseState();
            response.RecordExists = false;
            return true;
        }

        response.State = (JsonSerializer.Deserialize(head, RiskMeshStateSerializer.HeadContract) ?? throw new InvalidDataException($"{grainId}: its stored response head is empty")).ToState();
        response.RecordExists = true;
        return true;
    }

    /// <summary>
    /// The stored JSON of a city's notices after <paramref name="afterSequence"/> and up to
    /// <paramref name="throughSequence"/>, oldest first, as last written (the city merges what it has not written yet:
    /// <see cref="StoredNotices.Over"/>). Not through the write gate: a read.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReadNoticesAsync(GrainId grainId, long afterSequence, CancellationToken cancellationToken, long throughSequence = long.MaxValue)
    {
        var notices = new List<string>();
        await using var connection = await OpenAsync(cancellationToken);
        await using var read = Command(connection, ReadNotices, grainId);
        Parameter(read, "after", DbType.Int64).Value = afterSequence;
        Parameter(read, "through", DbType.Int64).Value = throughSequence;
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            notices.Add(reader.GetString(0));
        }

        return notices;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var response = Response(grainState);
        var state = response.State ?? throw new ArgumentException($"{grainId}: no response state to write", nameof(grainState));
        var head = JsonSerializer.Serialize(CityResponseHead.Of(state), RiskMeshStateSerializer.HeadContract);
        var read = response.ETag;
        var write = WithWriterAsync(grainId, cancellationToken, async (writer, transaction) =>
        {
            var version = await writer.HeadAsync(transaction, grainId, response.ETag, head, cancellationToken);

            // A city's first write here stores every notice it keeps (all of them held since the older row was read);
            // later ones what changed since.
            var whole = !IsOurs(response.ETag);
            if (whole)
            {
                await writer.DeleteBelowAsync(transaction, grainId, long.MaxValue, cancellationToken);
            }

            var rows = 0;
            foreach (var (sequence, json) in state.NoticesJson.Unwritten())
            {
                await writer.UpsertAsync(transaction, grainId, sequence, json, cancellationToken);
                rows++;
            }

            if (!whole && state.NoticesJson.KeptFrom() is { } below)
            {
                await writer.DeleteBelowAsync(transaction, grainId, below, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            state.NoticesJson.MarkWritten();
            response.ETag = Etag(version);
            response.RecordExists = true;
            RiskMeshMetrics.ResponseWrites.Add(1);
            RiskMeshMetrics.ResponseNoticeRows.Add(rows);
        });

        // Read from the older row (an ETag not ours): that row is a tombstone from now on (ResponseTombstone).
        return read is null || IsOurs(read) ? write : RetireOlderRowAsync(write, stateName, grainId, response, read, cancellationToken);
    }

    /// <summary>
    /// After the city's first write here (<paramref name="write"/>, its state read from the older row with the ETag
    /// <paramref name="read"/>), replaces that row by the <see cref="ResponseTombstone"/>, so a silo of the previous
    /// build can no longer serve or write the state as it was before the move.
    /// </summary>
    /// <remarks>
    /// After the own rows, not before: a crash between the two leaves the older row readable by the previous build
    /// only, never a tombstone with nothing here. With the ETag it was read with: if a silo of the previous build wrote
    /// that row since, the provider refuses the tombstone; the rows just written here (from the stale read) are then
    /// deleted again, so the next activation reads that newer write, and the write fails as a conflict.
    /// </remarks>
    private async Task RetireOlderRowAsync(Task write, string stateName, GrainId grainId, IGrainState<CityResponseState> response, string read, CancellationToken cancellationToken)
    {
        await write;
        var written = response.ETag!;
        try
        {
            await legacy.WriteStateAsync(stateName, grainId, new GrainState<ResponseTombstone>(ResponseTombstone.Instance, read) { RecordExists = true }, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            await WithWriterAsync(grainId, cancellationToken, (writer, transaction) => writer.ForgetAsync(transaction, grainId, written, cancellationToken));
            response.ETag = read;
            throw new InconsistentStateException(
                $"{grainId}: its older response row (city/response) was written by another silo (of an earlier build) since it was read (ETag {read}); this write from the stale read was undone.",
                "unknown",
                read);
        }
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <remarks>The row is kept without its head (its version goes on, and the older row is not read again).</remarks>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var response = Response(grainState);
        return WithWriterAsync(grainId, cancellationToken, async (writer, transaction) =>
        {
            var version = await writer.HeadAsync(transaction, grainId, response.ETag, null, cancellationToken);
            await writer.DeleteBelowAsync(transaction, grainId, long.MaxValue, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            response.State = new CityResponseState();
            response.ETag = Etag(version);
            response.RecordExists = false;
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _kept?.Dispose();
        _kept = null;
        _keptLock.Dispose();
    }

    private static IGrainState<CityResponseState> Response<T>(IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        return grainState as IGrainState<CityResponseState>
            ?? throw new ArgumentException($"The response storage keeps {nameof(CityResponseState)} only, not {typeof(T).Name}.", nameof(grainState));
    }

    private static bool Moved(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ResponseMovedException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOurs(string? etag) => etag is not null && etag.StartsWith(EtagPrefix, StringComparison.Ordinal);

    private static string Etag(long version) => EtagPrefix + version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs a write in a transaction: on SQLite on the kept connection (dropped after a failure other than a conflict,
    /// so the next write starts on a fresh one), on PostgreSQL on a pooled connection of its own.
    /// </summary>
    private async Task WithWriterAsync(GrainId grainId, CancellationToken cancellationToken, Func<Writer, DbTransaction, Task> write)
    {
        if (!database.IsSqlite)
        {
            await using var connection = await OpenAsync(cancellationToken);
            using var writer = new Writer(connection, _service, prepare: false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await write(writer, transaction);
            return;
        }

        await _keptLock.WaitAsync(cancellationToken);
        try
        {
            _kept ??= await OpenKeptAsync(cancellationToken);
            await using var transaction = await _kept.Connection.BeginTransactionAsync(cancellationToken);
            await write(_kept, transaction);
        }
        catch (Exception ex) when (ex is not InconsistentStateException)
        {
            _kept?.Dispose();
            _kept = null;
            throw;
        }
        finally
        {
            _keptLock.Release();
        }
    }

    private async Task<Writer> OpenKeptAsync(CancellationToken cancellationToken)
    {
        // Not pooled: this connection stays open for the life of the silo, and a pooled one would keep its own
        // page cache in the pool besides once closed.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText = SqliteSetup;
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        return new Writer(connection, _service, prepare: true);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _factory.CreateConnection()!;
        connection.ConnectionString = database.ConnectionString;
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private DbCommand Command(DbConnection connection, string sql, GrainId grainId, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        Parameter(command, "service", DbType.String).Value = _service;
        Parameter(command, "grain", DbType.String).Value = grainId.ToString();
        return command;
    }

    private Task<bool> HasLegacyRowsAsync(string stateName, GrainType grainType, CancellationToken cancellationToken) =>
        _legacyRows.GetOrAdd(grainType, type => AskLegacyRowsAsync(GrainTypeScopedStorage.ScopedName(stateName, type)))
            .WaitAsync(cancellationToken);

    private async Task<bool> AskLegacyRowsAsync(string scopedType)
    {
        try
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = LegacyRows;
            Parameter(command, "service", DbType.String).Value = _service;
            Parameter(command, "type", DbType.String).Value = scopedType;
            return await command.ExecuteScalarAsync() is not (null or DBNull);
        }
        catch
        {
            // Asked again by the next read rather than remembered as a failure.
            _legacyRows.Clear();
            throw;
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A connection's commands for writing a city's response, each made (and on SQLite prepared) once.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly DbCommand _insertHead;
        private readonly DbCommand _updateHead;
        private readonly DbCommand _upsert;
        private readonly DbCommand _deleteBelow;

        public Writer(DbConnection connection, string service, bool prepare)
        {
            Connection = connection;
            _insertHead = Make(InsertHead, ("head", DbType.String));
            _updateHead = Make(UpdateHead, ("head", DbType.String), ("version", DbType.Int64));
            _upsert = Make(UpsertNotice, ("seq", DbType.Int64), ("notice", DbType.String));
            _deleteBelow = Make(DeleteNoticesBelow, ("below", DbType.Int64));

            DbCommand Make(string sql, params (string Name, DbType Type)[] parameters)
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                Parameter(command, "service", DbType.String).Value = service;
                Parameter(command, "grain", DbType.String);
                foreach (var (name, type) in parameters)
                {
                    Parameter(command, name, type);
                }

                if (prepare)
                {
                    command.Prepare();
                }

                return command;
            }
        }

        public DbConnection Connection { get; }

        /// <summary>Writes the head (null: cleared) at the version after the ETag's; the new version, or a conflict.</summary>
        public async Task<long> HeadAsync(DbTransaction transaction, GrainId grainId, string? etag, string? head, CancellationToken cancellationToken)
        {
            long version;
            DbCommand command;
            if (IsOurs(etag))
            {
                version = long.Parse(etag.AsSpan(EtagPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);
                command = _updateHead;
                command.Parameters["version"].Value = version;
            }
            else
            {
                version = 0;
                command = _insertHead;
            }

            command.Transaction = transaction;
            command.Parameters["grain"].Value = grainId.ToString();
            command.Parameters["head"].Value = (object?)head ?? DBNull.Value;
            if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                throw new InconsistentStateException(
                    $"{grainId}: its response state was written by another activation since it was read (ETag {etag ?? "none"}).",
                    "unknown",
                    etag ?? "none");
            }

            return version + 1;
        }

        /// <summary>
        /// Deletes the city's rows if its head is still at the version of <paramref name="etag"/> (written from a read
        /// that turned out stale), and commits.
        /// </summary>
        public async Task ForgetAsync(DbTransaction transaction, GrainId grainId, string etag, CancellationToken cancellationToken)
        {
            await using var head = Connection.CreateCommand();
            head.Transaction = transaction;
            head.CommandText = ForgetHead;
            Parameter(head, "service", DbType.String).Value = _updateHead.Parameters["service"].Value;
            Parameter(head, "grain", DbType.String).Value = grainId.ToString();
            Parameter(head, "version", DbType.Int64).Value = long.Parse(etag.AsSpan(EtagPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);
            if (await head.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                await DeleteBelowAsync(transaction, grainId, long.MaxValue, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        public Task UpsertAsync(DbTransaction transaction, GrainId grainId, long sequence, string json, CancellationToken cancellationToken)
        {
            _upsert.Transaction = transaction;
            _upsert.Parameters["grain"].Value = grainId.ToString();
            _upsert.Parameters["seq"].Value = sequence;
            _upsert.Parameters["notice"].Value = json;
            return _upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        public Task DeleteBelowAsync(DbTransaction transaction, GrainId grainId, long below, CancellationToken cancellationToken)
        {
            _deleteBelow.Transaction = transaction;
            _deleteBelow.Parameters["grain"].Value = grainId.ToString();
            _deleteBelow.Parameters["below"].Value = below;
            return _deleteBelow.ExecuteNonQueryAsync(cancellationToken);
        }

        public void Dispose()
        {
            _insertHead.Dispose();
            _updateHead.Dispose();
            _upsert.Dispose();
            _deleteBelow.Dispose();
            Connection.Dispose();
        }
    }
}
