using System.Collections.Immutable;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Lists, straight from the grain state table, the keys of the grains of one type that have a row for a state: what a
/// grain that keeps an index of other grains' states adds to it at each of its activations (through an index by type,
/// <c>ix_riskmesh_grain_state_type</c>, so only that type's rows are read).
/// </summary>
public sealed class StoredGrainKeys(DatabaseSettings database, IOptions<ClusterOptions> cluster)
{
    // The same text on SQLite and PostgreSQL. The provider stores a string key as the key extension with both numbers
    // zero; a key Orleans reads as a GUID or a number is stored as those numbers and is not listed (IsStringKey).
    internal const string Query =
        "SELECT grain_key_ext FROM orleans_grain_state WHERE service_id = @service AND grain_type = @type " +
        "AND grain_id_n0 = 0 AND grain_id_n1 = 0 AND grain_key_ext IS NOT NULL";

    private readonly DbProviderFactory _factory = database.IsSqlite ? SqliteFactory.Instance : NpgsqlFactory.Instance;

    /// <summary>
    /// True when the storage provider stores <paramref name="key"/> as a string key: Orleans reads keys that look like a
    /// GUID or a hexadecimal number as those, and <see cref="ListAsync"/> cannot name them.
    /// </summary>
    public static bool IsStringKey(string key)
    {
        var id = GrainId.Create("riskmesh-key", key);
        return !id.TryGetGuidKey(out _, out _) && !id.TryGetIntegerKey(out _, out _);
    }

    /// <summary>
    /// The string keys (<see cref="IsStringKey"/>) of the grains of <paramref name="grainType"/> with a stored
    /// <paramref name="stateName"/>, cleared ones included.
    /// </summary>
    public Task<ImmutableArray<string>> ListAsync(GrainType grainType, string stateName, CancellationToken cancellationToken = default)
    {
        // Microsoft.Data.Sqlite runs synchronously under its async API: keep it off the Orleans scheduler's threads.
        var read = () => ReadAsync(GrainTypeScopedStorage.ScopedName(stateName, grainType), cancellationToken);
        return database.IsSqlite ? Task.Run(read, cancellationToken) : read();
    }

    private async Task<ImmutableArray<string>> ReadAsync(string scopedType, CancellationToken cancellationToken)
    {
        await using var connection = _factory.CreateConnection()!;
        connection.ConnectionString = database.ConnectionString;
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Query;
        AddParameter(command, "service", cluster.Value.ServiceId);
        AddParameter(command, "type", scopedType);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = ImmutableArray.CreateBuilder<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys.ToImmutable();
    }

    private static void AddParameter(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
