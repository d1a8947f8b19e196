using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>Entities activating together read their journal tails through shared queries, each getting exactly its own rows.</summary>
public sealed class JournalTailReadTests
{
    private const int Entities = 150;

    [Fact]
    public async Task Sqlite_ConcurrentTailReads_ShareQueries_AndEachGetsItsOwnRows()
    {
        await using var database = TestDatabases.CreateSqlite();
        await RunAsync(database.Settings);
    }

    [Fact]
    public async Task Postgres_ConcurrentTailReads_ShareQueries_AndEachGetsItsOwnRows()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();
        await RunAsync(database.Settings);
    }

    private static async Task RunAsync(DatabaseSettings settings)
    {
        await SchemaInstaller.ApplyAsync(settings);
        using var gate = new SqliteWriteGate(serializes: settings.IsSqlite);
        var journal = new IngestJournal(settings, gate, new SqliteGroupCommit(settings, gate), TimeProvider.System, Options.Create(new ClusterOptions { ServiceId = "tails" }));

        // Three batches, each with one row per entity, so every entity's rows interleave with the others'.
        var seqs = new long[Entities, 3];
        for (var batch = 0; batch < 3; batch++)
        {
            var candidates = Enumerable.Range(0, Entities)
                .Select(e => new JournalCandidate("test", $"b{batch}-e{e}", Entity(e), 737_000 + batch, $"{{\"batch\":{batch},\"entity\":{e}}}"))
                .ToList();
            var appended = await journal.AppendAsync(candidates);
            for (var e = 0; e < Entities; e++)
            {
                seqs[e, batch] = appended.Seqs[e]!.Value;
            }
        }

        // Every entity asks from another point of its tail: all of it, its last two rows, nothing; one entity twice.
        long FromOf(int e) => (e % 3) switch { 0 => 0, 1 => seqs[e, 1], _ => seqs[e, 2] + 1 };
        var reads = Enumerable.Range(0, Entities).Select(e => journal.ReadEntityAsync(Entity(e), FromOf(e))).ToList();
        var again = journal.ReadEntityAsync(Entity(0), seqs[0, 2]);
        await Task.WhenAll(reads.Append(again)).WaitAsync(TimeSpan.FromSeconds(60));

        for (var e = 0; e < Entities; e++)
        {
            var expected = Enumerable.Range(0, 3).Select(b => seqs[e, b]).Where(s => s >= FromOf(e)).ToList();
            var rows = reads[e].Result;
            Assert.Equal(expected, rows.Select(r => r.Seq));
            Assert.All(rows, r => Assert.Contains($"\"entity\":{e}}}", r.Payload, StringComparison.Ordinal));
        }

        Assert.Equal([seqs[0, 2]], (await again).Select(r => r.Seq));

        // One query per entity would be 151: the reads that arrive while one runs share the next.
        Assert.InRange(journal.EntityReadQueries, 1, 10);
    }

    private static string Entity(int e) => $"city:tail-{e}";
}
