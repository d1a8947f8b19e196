using System.Collections.Immutable;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Npgsql;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Journal;

/// <summary>An event ready to be journaled.</summary>
public readonly record struct JournalCandidate(string Source, string Id, string Entity, int Day, string Payload);

/// <summary>
/// What an append did: the sequence number of each new event (null for a duplicate), the batch id, and the duplicates
/// whose content differs from what the journal holds under their source and id (indexes into the batch, in order).
/// </summary>
public sealed record AppendResult(long? BatchId, ImmutableArray<long?> Seqs, ImmutableArray<int> Conflicts)
{
    /// <summary>How many events were already in the journal.</summary>
    public int Duplicates => Seqs.Count(s => s is null);
}

/// <summary>A replay floor and when it was read (<see cref="Environment.TickCount64"/>).</summary>
internal sealed record FloorReading(long Value, long ReadAt);

/// <summary>A journal row with the entity it concerns.</summary>
public readonly record struct JournalRow(string Entity, JournalEntry Entry, long BatchId);

/// <summary>
/// The durable ingest journal: a batch is appended in one transaction, so acknowledging it costs one commit however
/// many entities it touches; grains checkpoint their state now and then and replay the journal tail on activation.
/// One SQL text serves SQLite and PostgreSQL.
/// </summary>
public sealed class IngestJournal(DatabaseSettings database, SqliteWriteGate gate, SqliteGroupCommit commit, TimeProvider time, IOptions<ClusterOptions> cluster)
{
    private readonly string _service = cluster.Value.ServiceId;

    private const string InsertBatch =
        "INSERT INTO riskmesh_batch (service_id, first_seq, last_seq, applied, created_at) VALUES (@service, 0, 0, FALSE, @now) RETURNING batch_id";

    private const string InsertEvent =
        "INSERT INTO riskmesh_journal (service_id, source, event_id, entity, event_day, payload, batch_id) " +
        "VALUES (@service, @source, @id, @entity, @day, @payload, @batch) ON CONFLICT (service_id, source, event_id) DO NOTHING RETURNING seq";

    private const string CloseBatch = "UPDATE riskmesh_batch SET first_seq = @first, last_seq = @last WHERE batch_id = @batch";
    private const string RecordKnownDay = "INSERT INTO riskmesh_batch_known (batch_id, known_day) VALUES (@batch, @known)";
    private const string DropBatch = "DELETE FROM riskmesh_batch WHERE batch_id = @batch";
    private const string MarkApplied = "UPDATE riskmesh_batch SET applied = TRUE WHERE batch_id = @batch";

    private const string Floor =
        "SELECT COALESCE((SELECT MIN(first_seq) FROM riskmesh_batch WHERE service_id = @service AND applied = FALSE AND first_seq > 0), " +
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM riskmesh_journal))";

    // Rows journaled before knowledge days were recorded count as known on their event day.
    private const string ReadEntityKnown =
        "SELECT j.seq, j.payload FROM riskmesh_journal j LEFT JOIN riskmesh_batch_known k ON k.batch_id = j.batch_id " +
        "WHERE j.service_id = @service AND j.entity = @entity AND COALESCE(k.known_day, j.event_day) <= @known ORDER BY j.seq";

    private const string AnyOtherUnapplied =
        "SELECT COUNT(*) FROM riskmesh_batch WHERE service_id = @service AND applied = FALSE AND batch_id <> @own";

    // A batch's rows are found by its sequence range (the journal's key), then by its id: the journal has no index on
    // batch_id, and concurrent appends on PostgreSQL may interleave their sequence numbers.
    private const string ReadUnappliedBatch =
        "SELECT j.seq, j.entity, j.payload FROM riskmesh_batch b " +
        "JOIN riskmesh_journal j ON j.seq BETWEEN b.first_seq AND b.last_seq AND j.batch_id = b.batch_id " +
        "WHERE b.batch_id = @batch AND b.service_id = @service AND b.applied = FALSE ORDER BY j.seq";

    private const string UnappliedBefore =
        "SELECT batch_id FROM riskmesh_batch WHERE service_id = @service AND applied = FALSE AND created_at < @before ORDER BY batch_id";

    // A duplicate's stored content, compared with what was sent under its source and id.
    private static string StoredPayloadsOf(int events) =>
        "WITH wanted (source, event_id) AS (VALUES " + ParameterPairs(events, "s", "i") +
        ") SELECT j.source, j.event_id, j.payload FROM wanted w CROSS JOIN riskmesh_journal j " +
        "WHERE j.service_id = @service AND j.source = w.source AND j.event_id = w.event_id";

    // Every source journaled, read once to find those journaled with capitals before sources were read in lower case.
    private const string JournaledSources = "SELECT DISTINCT source FROM riskmesh_journal WHERE service_id = @service";

    // Events looked up per query: two parameters each, far below either database's limit.
    private const int EventsPerLookup = 250;

    private const long FloorReuseMs = 1000;

    private readonly DbProviderFactory _factory = database.IsSqlite ? SqliteFactory.Instance : NpgsqlFactory.Instance;
    private JournalTailReads? _tailReads;
    private volatile FloorReading? _floor;
    private volatile Dictionary<string, string[]>? _casedSources;

    /// <summary>Appends a batch in one transaction without recording its knowledge day (its events count as known on their own days).</summary>
    public Task<AppendResult> AppendAsync(IReadOnlyList<JournalCandidate> events, CancellationToken cancellationToken = default) =>
        AppendAsync(events, knownDay: null, cancellationToken);

    /// <summary>
    /// Appends a batch in one transaction with its knowledge day (the clock's day number when it was accepted, which
    /// <c>asKnownOn</c> reads); events already journaled (same source and id) are duplicates.
    /// </summary>
    public async Task<AppendResult> AppendAsync(IReadOnlyList<JournalCandidate> events, int? knownDay, CancellationToken cancellationToken = default)
    {
        var appended = await AppendCommittedAsync(events, knownDay, cancellationToken);

        // On SQLite the transaction committed without an fsync: appends and grain writes made meanwhile share one.
        await commit.SyncAsync();
        return appended;
    }

    private Task<AppendResult> AppendCommittedAsync(IReadOnlyList<JournalCandidate> events, int? knownDay, CancellationToken cancellationToken) =>
        OffloadIfSqlite(async () =>
        {
            using var lease = await gate.EnterAsync(cancellationToken);
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var batchId = Convert.ToInt64(await Scalar(connection, transaction, InsertBatch, cancellationToken, ("service", _service), ("now", time.GetUtcNow().UtcDateTime)));

            await using var insert = Command(connection, transaction, InsertEvent);
            // Types are set up front: PostgreSQL prepares the statement before the first values are bound.
            var source = Parameter(insert, "source", DbType.String);
            var id = Parameter(insert, "id", DbType.String);
            var entity = Parameter(insert, "entity", DbType.String);
            var day = Parameter(insert, "day", DbType.Int32);
            var payload = Parameter(insert, "payload", DbType.String);
            Parameter(insert, "batch", DbType.Int64).Value = batchId;
            Parameter(insert, "service", DbType.String).Value = _service;
            await insert.PrepareAsync(cancellationToken);

            // An event journaled before the upgrade under its source with capitals is the same event: a duplicate.
            var journaledInOtherCase = await JournaledInOtherCaseAsync(connection, transaction, events, cancellationToken);
            var seqs = ImmutableArray.CreateBuilder<long?>(events.Count);
            long first = 0;
            long last = 0;
            foreach (var candidate in events)
            {
                if (journaledInOtherCase.Contains((candidate.Source, candidate.Id)))
                {
                    seqs.Add(null);
                    continue;
                }

                source.Value = candidate.Source;
                id.Value = candidate.Id;
                entity.Value = candidate.Entity;
                day.Value = candidate.Day;
                payload.Value = candidate.Payload;
                var result = await insert.ExecuteScalarAsync(cancellationToken);
                long? seq = result is null or DBNull ? null : Convert.ToInt64(result);
                seqs.Add(seq);
                if (seq is { } s)
                {
                    first = first == 0 ? s : Math.Min(first, s);
                    last = Math.Max(last, s);
                }
            }

            // Only a batch with duplicates pays for the lookup; inside the transaction, so a repeat within this batch
            // finds the row its first occurrence just wrote (the same content: the parser refuses a differing one).
            var duplicates = events.Where((_, index) => seqs[index] is null).Select(c => (c.Source, c.Id)).ToList();
            var conflicts = duplicates.Count == 0
                ? []
                : Conflicting(events, seqs, await StoredPayloadsAsync(connection, transaction, duplicates, cancellationToken));

            if (first == 0)
            {
                await Execute(connection, transaction, DropBatch, cancellationToken, ("batch", batchId));
            }
            else
            {
                await Execute(connection, transaction, CloseBatch, cancellationToken, ("first", first), ("last", last), ("batch", batchId));
                if (knownDay is { } known)
                {
                    await Execute(connection, transaction, RecordKnownDay, cancellationToken, ("batch", batchId), ("known", known));
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return new AppendResult(first == 0 ? null : batchId, seqs.MoveToImmutable(), conflicts);
        });

    // A query over a chunk of events named by (source, id): the service, then @s0/@i0, @s1/@i1, … in the chunk's order.
    private DbCommand EventLookup(DbConnection connection, DbTransaction? transaction, string sql, (string Source, string Id)[] chunk)
    {
        var lookup = Command(connection, transaction, sql);
        Parameter(lookup, "service", DbType.String).Value = _service;
        for (var i = 0; i < chunk.Length; i++)
        {
            Parameter(lookup, $"s{i}", DbType.String).Value = chunk[i].Source;
            Parameter(lookup, $"i{i}", DbType.String).Value = chunk[i].Id;
        }

        return lookup;
    }

    /// <summary>The payloads journaled under any of these (source, id) pairs, read only (an ingest check writes nothing).</summary>
    public Task<Dictionary<(string Source, string Id), string>> StoredPayloadsAsync(List<(string Source, string Id)> events, CancellationToken cancellationToken = default) =>
        OffloadIfSqlite(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await StoredPayloadsAsync(connection, null, events, cancellationToken);
        });

    /// <summary>
    /// The payloads journaled under these (source, id) pairs, keyed as asked; a pair journaled only under its source with
    /// capitals (before sources were read in lower case) is found there.
    /// </summary>
    private async Task<Dictionary<(string Source, string Id), string>> StoredPayloadsAsync(
        DbConnection connection, DbTransaction? transaction, List<(string Source, string Id)> events, CancellationToken cancellationToken)
    {
        var cased = await CasedSourcesAsync(connection, transaction, cancellationToken);
        var otherCases = events
            .SelectMany(e => cased.TryGetValue(e.Source, out var spellings) ? spellings.Select(spelling => (Source: spelling, e.Id)) : [])
            .ToList();
        var found = new Dictionary<(string Source, string Id), string>(events.Count);
        foreach (var chunk in events.Concat(otherCases).Distinct().Chunk(EventsPerLookup))
        {
            await using var lookup = EventLookup(connection, transaction, StoredPayloadsOf(chunk.Length), chunk);
            await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            }
        }

        foreach (var (spelling, id) in otherCases)
        {
            if (found.TryGetValue((spelling, id), out var payload))
            {
                found.TryAdd((RecordKeys.Source(spelling), id), payload);
            }
        }

        return found;
    }

    /// <summary>The events of a batch journaled before under their source spelt with capitals (none on a journal without such rows).</summary>
    private async Task<HashSet<(string Source, string Id)>> JournaledInOtherCaseAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<JournalCandidate> events, CancellationToken cancellationToken)
    {
        var cased = await CasedSourcesAsync(connection, transaction, cancellationToken);
        var candidates = events.Where(e => cased.ContainsKey(e.Source)).Select(e => (e.Source, e.Id)).ToList();
        return candidates.Count == 0 ? [] : [.. (await StoredPayloadsAsync(connection, transaction, candidates, cancellationToken)).Keys];
    }

    /// <summary>
    /// The sources journaled with capitals, by their lower-case form (the form the parser gives them now), read once: rows
    /// with capitals are written only by builds before sources were read in lower case.
    /// </summary>
    private async Task<Dictionary<string, string[]>> CasedSourcesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (_casedSources is { } known)
        {
            return known;
        }

        await using var command = Command(connection, transaction, JournaledSources);
        Parameter(command, "service", DbType.String).Value = _service;
        var cased = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var source = reader.GetString(0);
                if (!string.Equals(source, RecordKeys.Source(source), StringComparison.Ordinal))
                {
                    cased.Add(source);
                }
            }
        }

        return _casedSources = cased.GroupBy(RecordKeys.Source, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    private static ImmutableArray<int> Conflicting(IReadOnlyList<JournalCandidate> events, ImmutableArray<long?>.Builder seqs, Dictionary<(string Source, string Id), string> stored)
    {
        var conflicts = ImmutableArray.CreateBuilder<int>();
        for (var index = 0; index < events.Count; index++)
        {
            var candidate = events[index];
            if (seqs[index] is null && stored.TryGetValue((candidate.Source, candidate.Id), out var payload) && !SameEvent(payload, candidate.Payload))
            {
                conflicts.Add(index);
            }
        }

        return conflicts.ToImmutable();
    }

    /// <summary>
    /// Whether a stored payload and a sent one are the same event. Both are canonical JSON, so equal text is the usual
    /// answer; text that differs is compared again after writing the stored one in today's canonical form, so a row
    /// journaled by an older version (whose canonical JSON may have lacked a field since added) is not a conflict
    /// for that alone.
    /// </summary>
    internal static bool SameEvent(string stored, string sent)
    {
        if (string.Equals(stored, sent, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            // A row journaled before sources were read in lower case holds its source as sent.
            var journaled = EventParser.FromCanonical(stored);
            return string.Equals(EventParser.ToCanonical(journaled with { Source = RecordKeys.Source(journaled.Source) }), sent, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not an event this version reads: not the one sent, whatever it is.
            return false;
        }
    }

    /// <summary>
    /// Records that every grain a batch touched has folded it in, which raises the replay floor. Not synced on its
    /// own: a mark lost to a power cut only makes the next start apply the batch again, which changes nothing.
    /// </summary>
    public Task MarkAppliedAsync(long batchId, CancellationToken cancellationToken = default) =>
        OffloadIfSqlite(async () =>
        {
            using var lease = await gate.EnterAsync(cancellationToken);
            await using var connection = await OpenAsync(cancellationToken);
            await Execute(connection, null, MarkApplied, cancellationToken, ("batch", batchId));
            return true;
        });

    /// <summary>
    /// The lowest sequence number that may not yet be folded into every grain: a grain's checkpoint records it, and
    /// on activation the grain replays its rows from there. The floor never falls, so a value read up to
    /// a second ago is still safe (at worst a grain replays a little more): thousands of grains
    /// checkpointing at once share one query instead of each running its own.
    /// </summary>
    public async Task<long> ReplayFloorAsync(CancellationToken cancellationToken = default)
    {
        // Elapsed process time, not the RiskMesh clock: the reuse bounds work, and tests that freeze the clock must not freeze it.
        var now = Environment.TickCount64;
        if (_floor is { } known && now - known.ReadAt < FloorReuseMs)
        {
            return known.Value;
        }

        var value = await OffloadIfSqlite(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            return Convert.ToInt64(await Scalar(connection, null, Floor, cancellationToken, ("service", _service)));
        });

        _floor = new FloorReading(value, now);
        return value;
    }

    /// <summary>
    /// An entity's journal rows from a sequence number on, in order. Reads made at the same time (entities activating
    /// together) share one query (<see cref="JournalTailReads"/>).
    /// </summary>
    public Task<ImmutableArray<JournalEntry>> ReadEntityAsync(string entity, long fromSeq, CancellationToken cancellationToken = default) =>
        Tails.ReadAsync(entity, fromSeq).WaitAsync(cancellationToken);

    /// <summary>How many queries the entity reads of <see cref="ReadEntityAsync"/> took so far.</summary>
    internal long EntityReadQueries => Tails.Queries;

    private Task<IReadOnlyList<(string Entity, JournalEntry Entry)>> ReadTailsAsync(IReadOnlyList<(string Entity, long From)> wanted, CancellationToken cancellationToken) =>
        OffloadIfSqlite<IReadOnlyList<(string Entity, JournalEntry Entry)>>(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null, ReadTails(wanted.Count));
            Parameter(command, "service", DbType.String).Value = _service;
            for (var i = 0; i < wanted.Count; i++)
            {
                Parameter(command, $"e{i}", DbType.String).Value = wanted[i].Entity;
                Parameter(command, $"f{i}", DbType.Int64).Value = wanted[i].From;
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<(string, JournalEntry)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), new JournalEntry(reader.GetInt64(1), reader.GetString(2))));
            }

            return rows;
        });

    // CROSS JOIN keeps the few wanted entities as SQLite's outer loop, so each is one range of the (service_id, entity,
    // seq) index; PostgreSQL plans it as an ordinary join.
    private static string ReadTails(int entities) =>
        "WITH wanted (entity, from_seq) AS (VALUES " + ParameterPairs(entities, "e", "f") +
        ") SELECT j.entity, j.seq, j.payload FROM wanted w CROSS JOIN riskmesh_journal j " +
        "WHERE j.service_id = @service AND j.entity = w.entity AND j.seq >= w.from_seq ORDER BY j.seq";

    // The rows of a VALUES list of parameter pairs: "(@e0, @f0), (@e1, @f1), …".
    private static string ParameterPairs(int count, string first, string second) =>
        string.Join(", ", Enumerable.Range(0, count).Select(i => $"(@{first}{i}, @{second}{i})"));

    /// <summary>An entity's journal rows known on or before a day (by their batch's knowledge day), in order.</summary>
    public Task<ImmutableArray<JournalEntry>> ReadEntityKnownOnAsync(string entity, int knownOnDay, CancellationToken cancellationToken = default) =>
        OffloadIfSqlite(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null, ReadEntityKnown);
            Parameter(command, "service", DbType.String).Value = _service;
            Parameter(command, "entity", DbType.String).Value = entity;
            Parameter(command, "known", DbType.Int32).Value = knownOnDay;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = ImmutableArray.CreateBuilder<JournalEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new JournalEntry(reader.GetInt64(0), reader.GetString(1)));
            }

            return rows.ToImmutable();
        });

    /// <summary>
    /// The batches not marked applied, other than <paramref name="ownBatch"/>, that hold any of these events (by source
    /// and id): those a request whose events are duplicates must see applied before it may be acknowledged. When no
    /// other batch is unapplied (a feed sending again what was applied long ago, with no other request under way) one
    /// count answers; otherwise one query per <see cref="EventsPerLookup"/> events on the journal's unique index.
    /// </summary>
    public Task<ImmutableArray<long>> UnappliedBatchesHoldingAsync(IReadOnlyCollection<(string Source, string Id)> events, long? ownBatch = null, CancellationToken cancellationToken = default) =>
        OffloadIfSqlite(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            if (events.Count == 0 || Convert.ToInt64(await Scalar(connection, null, AnyOtherUnapplied, cancellationToken, ("service", _service), ("own", ownBatch ?? 0))) == 0)
            {
                return ImmutableArray<long>.Empty;
            }

            var batches = new SortedSet<long>();
            foreach (var chunk in events.Chunk(EventsPerLookup))
            {
                await using var lookup = EventLookup(connection, null, UnappliedBatchesOf(chunk.Length), chunk);
                await using var reader = await lookup.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batches.Add(reader.GetInt64(0));
                }
            }

            batches.Remove(ownBatch ?? 0);
            return batches.ToImmutableArray();
        });

    // As ReadTails: the wanted events as SQLite's outer loop, each one lookup on the (service_id, source, event_id) key.
    private static string UnappliedBatchesOf(int events) =>
        "WITH wanted (source, event_id) AS (VALUES " + ParameterPairs(events, "s", "i") +
        ") SELECT DISTINCT j.batch_id FROM wanted w CROSS JOIN riskmesh_journal j " +
        "JOIN riskmesh_batch b ON b.batch_id = j.batch_id " +
        "WHERE j.service_id = @service AND j.source = w.source AND j.event_id = w.event_id AND b.applied = FALSE";

    /// <summary>The batches not marked applied that were journaled before <paramref name="before"/> (UTC), oldest first.</summary>
    public Task<ImmutableArray<long>> UnappliedBatchesBeforeAsync(DateTime before, CancellationToken cancellationToken = default) =>
        OffloadIfSqlite(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null, UnappliedBefore);
            Parameter(command, "service", DbType.String).Value = _service;
            Parameter(command, "before").Value = before;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var batches = ImmutableArray.CreateBuilder<long>();
            while (await reader.ReadAsync(cancellationToken))
            {
                batches.Add(reader.GetInt64(0));
            }

            return batches.ToImmutable();
        });

    /// <summary>The rows of one batch, in order, if it is not marked applied; none once it is.</summary>
    public Task<ImmutableArray<JournalRow>> ReadUnappliedBatchAsync(long batchId, CancellationToken cancellationToken = default) =>
        OffloadIfSqlite(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null, ReadUnappliedBatch);
            Parameter(command, "batch", DbType.Int64).Value = batchId;
            Parameter(command, "service", DbType.String).Value = _service;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = ImmutableArray.CreateBuilder<JournalRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new JournalRow(reader.GetString(1), new JournalEntry(reader.GetInt64(0), reader.GetString(2)), batchId));
            }

            return rows.ToImmutable();
        });

    // Made on first use: a field initializer cannot name an instance method.
    private JournalTailReads Tails => LazyInitializer.EnsureInitialized(ref _tailReads, () => new JournalTailReads(ReadTailsAsync));

    // Microsoft.Data.Sqlite runs synchronously under its async API; keep that off the Orleans scheduler threads.
    private Task<T> OffloadIfSqlite<T>(Func<Task<T>> work) => database.IsSqlite ? Task.Run(work) : work();

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = _factory.CreateConnection()!;
        connection.ConnectionString = database.ConnectionString;
        await connection.OpenAsync(cancellationToken);
        if (database.IsSqlite)
        {
            // Pooled connections keep the last level set on them; writes here are made durable by the group commit.
            await using var command = Command(connection, null, SqliteGroupCommit.DeferredSync);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType? type = null)
    {
        var parameter = command.CreateParameter();

        // Named as the SQL names it: Microsoft.Data.Sqlite binds a parameter at every execution, trying the bare name
        // first and then each prefix, each try a string made and encoded to UTF-8 (7 % of a warm ingest's allocations,
        // for the journal's seven parameters on each of a batch's rows); Npgsql takes the name with or without the @.
        parameter.ParameterName = name.StartsWith('@') ? name : "@" + name;
        if (type is { } dbType)
        {
            parameter.DbType = dbType;
        }

        command.Parameters.Add(parameter);
        return parameter;
    }

    private static async Task<object?> Scalar(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            Parameter(command, name).Value = value;
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql);
        foreach (var (name, value) in parameters)
        {
            Parameter(command, name).Value = value;
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
