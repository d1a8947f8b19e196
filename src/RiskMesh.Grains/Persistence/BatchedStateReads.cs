using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Grain storage whose reads of string-keyed grains activating at the same time share one query per state name: the
/// first read runs at once, and the reads that arrive while a query runs share the next (up to
/// <see cref="MaxGrainsPerQuery"/> grains each). Writes, clears and every other read go to the inner storage.
/// </summary>
/// <remarks>
/// A cold ingest activates thousands of entities within seconds, each reading its state through the Orleans ADO.NET
/// provider: one query each, with its own pooled connection, statement preparation and parameter binding (SQLite binds
/// each of the seven parameters by trying its name with every prefix). This reads the provider's rows itself, with the
/// provider's own hashes and serializer, and gives each grain what the provider would have: the state (or a new one
/// when there is no row or no payload), the row's version as the ETag, and whether a state was stored.
/// </remarks>
internal sealed class BatchedStateReads : IGrainStorage
{
    /// <summary>Most grains one query reads: keeps the statement's parameters well inside every database's limit.</summary>
    public const int MaxGrainsPerQuery = 200;

    private readonly IGrainStorage _inner;
    private readonly AdoNetGrainStorage _provider;
    private readonly IGrainStorageSerializer _serializer;
    private readonly DatabaseSettings _database;
    private readonly string _serviceId;
    private readonly string _providerName;
    private readonly IActivatorProvider _activators;
    private readonly DbProviderFactory _factory;
    private readonly Lock _lock = new();
    private readonly List<Request> _waiting = [];
    private bool _running;
    private long _queries;

    /// <summary>Reads through <paramref name="provider"/>'s rows; everything it does not batch goes to <paramref name="inner"/>.</summary>
    public BatchedStateReads(IGrainStorage inner, AdoNetGrainStorage provider, DatabaseSettings database, string serviceId, string providerName, IActivatorProvider activators)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(activators);
        _inner = inner;
        _provider = provider;
        _serializer = provider.Serializer ?? throw new ArgumentException("the provider has no serializer", nameof(provider));
        _database = database;
        _serviceId = serviceId;
        _providerName = providerName;
        _activators = activators;
        _factory = database.IsSqlite ? SqliteFactory.Instance : NpgsqlFactory.Instance;
    }

    /// <summary>How many queries the batched reads took so far (tests count them).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);

        // The provider files a GUID or integer key as numbers, and a generic type name in another form: those read as before.
        if (!StoredGrainKeys.IsStringKey(grainId) || stateName.Contains('`', StringComparison.Ordinal) || grainId.Key.ToString() is not { } key)
        {
            await _inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The provider's hashes: its hasher over the key's UTF-8 bytes reversed, and over the state (grain type) name.
        var hasher = _provider.HashPicker.PickHasher(_serviceId, _providerName, stateName, grainId, grainState)
            ?? throw new InvalidOperationException("The storage provider picked no hasher.");
        var keyBytes = Encoding.UTF8.GetBytes(key);
        Array.Reverse(keyBytes);
        var request = new Request(stateName, hasher.Hash(Encoding.UTF8.GetBytes(stateName)), hasher.Hash(keyBytes), key);
        Enqueue(request);
        var row = await request.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        var state = row?.Payload is { } payload ? _serializer.Deserialize<T>(new BinaryData(payload)) : default;
        // As the provider (10.4.2) reads it: a cleared row (no payload) keeps its version but counts as no record.
        grainState.RecordExists = state is not null;
        grainState.State = state ?? _activators.GetActivator<T>().Create();
        grainState.ETag = row?.Version?.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.WriteStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ClearStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);

    private void Enqueue(Request request)
    {
        lock (_lock)
        {
            _waiting.Add(request);
            if (_running)
            {
                return;
            }

            _running = true;
        }

        // On the thread pool: Microsoft.Data.Sqlite does its I/O synchronously, and the caller is an activation.
        _ = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<Request> round;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }

                round = [.. _waiting];
                _waiting.Clear();
            }

            foreach (var group in round.GroupBy(r => (r.StateName, r.TypeHash)))
            {
                foreach (var chunk in group.Chunk(MaxGrainsPerQuery))
                {
                    await ReadChunkAsync(group.Key.StateName, group.Key.TypeHash, chunk).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task ReadChunkAsync(string stateName, int typeHash, Request[] chunk)
    {
        try
        {
            Interlocked.Increment(ref _queries);
            var rows = await QueryAsync(stateName, typeHash, [.. chunk.Select(r => r.IdHash).Distinct()]).ConfigureAwait(false);
            foreach (var request in chunk)
            {
                request.Result.TrySetResult(rows.TryGetValue((request.IdHash, request.Key), out var row) ? row : null);
            }
        }
        catch (Exception ex)
        {
            foreach (var request in chunk)
            {
                request.Result.TrySetException(ex);
            }
        }
    }

    // One text for SQLite and PostgreSQL: the hashes lead the identity index, as in the provider's own read, and the
    // clear-text columns settle collisions (a string key has both numbers zero and the key as its extension).
    private async Task<Dictionary<(int IdHash, string Key), StoredRow>> QueryAsync(string stateName, int typeHash, int[] idHashes)
    {
        await using var connection = _factory.CreateConnection()!;
        connection.ConnectionString = _database.ConnectionString;
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT grain_id_hash, grain_key_ext, payload, version FROM orleans_grain_state WHERE grain_id_hash IN (" +
            string.Join(", ", idHashes.Select((_, i) => $"@h{i}")) +
            ") AND grain_type_hash = @type_hash AND service_id = @service AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND grain_type = @type";
        for (var i = 0; i < idHashes.Length; i++)
        {
            Parameter(command, $"@h{i}", DbType.Int32, idHashes[i]);
        }

        Parameter(command, "@type_hash", DbType.Int32, typeHash);
        Parameter(command, "@service", DbType.String, _serviceId);
        Parameter(command, "@type", DbType.String, stateName);
        var rows = new Dictionary<(int, string), StoredRow>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var payload = reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2);
            int? version = reader.IsDBNull(3) ? null : Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture);
            rows[(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1))] = new StoredRow(payload, version);
        }

        return rows;
    }

    private static void Parameter(DbCommand command, string name, DbType type, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private sealed record StoredRow(byte[]? Payload, int? Version);

    private sealed record Request(string StateName, int TypeHash, int IdHash, string Key)
    {
        public TaskCompletionSource<StoredRow?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
