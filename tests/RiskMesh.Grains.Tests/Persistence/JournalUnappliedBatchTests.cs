using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>
/// A retried request finds the batches that journaled its duplicate events, as long as they are not marked applied,
/// and reads one such batch's rows: on SQLite and on PostgreSQL (one SQL text serves both).
/// </summary>
public sealed class JournalUnappliedBatchTests
{
    [Fact]
    public async Task Sqlite_UnappliedBatchesHolding_FindsOnlyUnappliedBatchesOfTheGivenEvents()
    {
        await using var database = TestDatabases.CreateSqlite();
        await RunAsync(database.Settings);
    }

    [Fact]
    public async Task Postgres_UnappliedBatchesHolding_FindsOnlyUnappliedBatchesOfTheGivenEvents()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();
        await RunAsync(database.Settings);
    }

    private static async Task RunAsync(DatabaseSettings settings)
    {
        await SchemaInstaller.ApplyAsync(settings);
        using var gate = new SqliteWriteGate(serializes: settings.IsSqlite);
        var journal = new IngestJournal(settings, gate, new SqliteGroupCommit(settings, gate), TimeProvider.System, Options.Create(new ClusterOptions { ServiceId = "unapplied" }));

        // Nothing unapplied: a feed sending old events again costs one count, and finds nothing.
        Assert.Empty(await journal.UnappliedBatchesHoldingAsync([("feed", "nobody")]));

        var first = await AppendAsync(journal, "a1", "a2");
        var second = await AppendAsync(journal, "b1");
        var applied = await AppendAsync(journal, "c1");
        await journal.MarkAppliedAsync(applied);

        Assert.Equal([first], (await journal.UnappliedBatchesHoldingAsync([("feed", "a2"), ("feed", "c1"), ("feed", "unknown"), ("other", "a1")])).ToArray());
        Assert.Equal([first, second], (await journal.UnappliedBatchesHoldingAsync([("feed", "b1"), ("feed", "a1")])).ToArray());
        Assert.Empty(await journal.UnappliedBatchesHoldingAsync([("feed", "c1")]));

        // The asking request's own batch (an event sent twice in it) is not among them: it applied that batch itself.
        Assert.Equal([second], (await journal.UnappliedBatchesHoldingAsync([("feed", "a1"), ("feed", "b1")], ownBatch: first)).ToArray());
        Assert.Empty(await journal.UnappliedBatchesHoldingAsync([("feed", "a1")], ownBatch: first));

        // A whole batch sent again is looked up in several queries, each finding its part.
        var many = await AppendAsync(journal, [.. Enumerable.Range(0, 600).Select(i => $"m{i}")]);
        Assert.Equal([second, many], (await journal.UnappliedBatchesHoldingAsync([("feed", "b1"), .. Enumerable.Range(0, 600).Select(i => ("feed", $"m{i}"))])).ToArray());
        Assert.Equal(600, (await journal.ReadUnappliedBatchAsync(many)).Length);

        var rows = await journal.ReadUnappliedBatchAsync(first);
        Assert.Equal(["city:a1", "city:a2"], rows.Select(r => r.Entity));
        Assert.All(rows, r => Assert.Equal(first, r.BatchId));
        Assert.Contains("\"a2\"", rows[1].Entry.Payload, StringComparison.Ordinal);

        // The sweep's question: unapplied batches journaled before a moment, oldest first.
        var later = DateTime.UtcNow.AddMinutes(1);
        Assert.Equal([first, second, many], (await journal.UnappliedBatchesBeforeAsync(later)).ToArray());
        Assert.Empty(await journal.UnappliedBatchesBeforeAsync(DateTime.UtcNow.AddHours(-1)));

        await journal.MarkAppliedAsync(first);
        Assert.Equal([second, many], (await journal.UnappliedBatchesBeforeAsync(later)).ToArray());
        Assert.Empty(await journal.ReadUnappliedBatchAsync(first));
        Assert.Empty(await journal.UnappliedBatchesHoldingAsync([("feed", "a1")]));
    }

    private static async Task<long> AppendAsync(IngestJournal journal, params string[] ids)
    {
        var appended = await journal.AppendAsync([.. ids.Select(id => new JournalCandidate("feed", id, $"city:{id}", 737_000, $"{{\"id\":\"{id}\"}}"))]);
        return appended.BatchId!.Value;
    }
}
