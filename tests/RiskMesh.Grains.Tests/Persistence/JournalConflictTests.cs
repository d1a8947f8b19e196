using Microsoft.Extensions.Options;
using Orleans.Configuration;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>
/// An append tells duplicates that carry other content than the journal holds under their source and id (a
/// correction sent under an old id, not applied) from word-for-word repeats: on SQLite and on PostgreSQL.
/// </summary>
public sealed class JournalConflictTests
{
    [Fact]
    public async Task Sqlite_Append_DuplicateWithOtherContentIsAConflictAndARepeatIsNot()
    {
        await using var database = TestDatabases.CreateSqlite();
        await RunAsync(database.Settings);
    }

    [Fact]
    public async Task Postgres_Append_DuplicateWithOtherContentIsAConflictAndARepeatIsNot()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();
        await RunAsync(database.Settings);
    }

    [Fact]
    public async Task Sqlite_Append_EventJournaledUnderItsSourceWithCapitalsBeforeTheUpgrade_IsADuplicate()
    {
        await using var database = TestDatabases.CreateSqlite();
        await RunUpgradeAsync(database.Settings);
    }

    [Fact]
    public async Task Postgres_Append_EventJournaledUnderItsSourceWithCapitalsBeforeTheUpgrade_IsADuplicate()
    {
        await using var database = await TestDatabases.CreatePostgresAsync();
        await RunUpgradeAsync(database.Settings);
    }

    [Fact]
    public void SameEvent_StoredInAnOlderCanonicalSpelling_IsTheSameEvent()
    {
        var sent = Canonical("e1", 3);

        // A row whose JSON spells the same event otherwise (an older version writing its absent fields as null) is no conflict.
        var respelled = sent[..^1] + ",\"origin\":null}";
        Assert.NotEqual(sent, respelled);

        Assert.True(IngestJournal.SameEvent(respelled, sent));
        Assert.False(IngestJournal.SameEvent(Canonical("e1", 5), sent));
        Assert.False(IngestJournal.SameEvent("not json", sent));
    }

    private static async Task RunAsync(DatabaseSettings settings)
    {
        await SchemaInstaller.ApplyAsync(settings);
        using var gate = new SqliteWriteGate(serializes: settings.IsSqlite);
        var journal = new IngestJournal(settings, gate, new SqliteGroupCommit(settings, gate), TimeProvider.System, Options.Create(new ClusterOptions { ServiceId = "conflicts" }));

        var first = await journal.AppendAsync([Candidate("feed", "e", 3), Candidate("feed", "f", 1)]);
        Assert.Empty(first.Conflicts);

        // The same id under another source is another event; "e" with 5 is a correction under an old id.
        var second = await journal.AppendAsync([Candidate("other", "e", 9), Candidate("feed", "e", 5), Candidate("feed", "f", 1), Candidate("feed", "g", 2), Candidate("feed", "g", 2)]);
        Assert.Equal([false, true, true, false, true], second.Seqs.Select(s => s is null));
        Assert.Equal([1], second.Conflicts.ToArray());
        Assert.Equal(3, second.Duplicates);

        // Many duplicates take several lookups; each conflict is still found, at its index.
        var many = Enumerable.Range(0, 600).Select(i => Candidate("bulk", $"m{i}", i)).ToList();
        await journal.AppendAsync(many);
        var resent = await journal.AppendAsync([.. many.Select((c, i) => i % 200 == 7 ? Candidate("bulk", c.Id, 10_000 + i) : c)]);
        Assert.Equal([7, 207, 407], resent.Conflicts.ToArray());
        Assert.Null(resent.BatchId);
    }

    private static async Task RunUpgradeAsync(DatabaseSettings settings)
    {
        // A build before sources were read in lower case journaled 'NC21B' as sent; a silo of this build starts on it.
        await SchemaInstaller.ApplyAsync(settings);
        using var gate = new SqliteWriteGate(serializes: settings.IsSqlite);
        var options = Options.Create(new ClusterOptions { ServiceId = "upgrade" });
        var before = new IngestJournal(settings, gate, new SqliteGroupCommit(settings, gate), TimeProvider.System, options);
        var old = Candidate("nc21b", "e", 3);
        await before.AppendAsync([old with { Source = "NC21B", Payload = old.Payload.Replace("\"nc21b\"", "\"NC21B\"", StringComparison.Ordinal) }]);
        var after = new IngestJournal(settings, gate, new SqliteGroupCommit(settings, gate), TimeProvider.System, options);

        // The same file sent again: the same event (duplicate, no conflict); with another count, a conflict; a new id, new.
        var resent = await after.AppendAsync([Candidate("nc21b", "e", 3), Candidate("nc21b", "e", 5), Candidate("nc21b", "n", 1)]);

        Assert.Equal([true, true, false], resent.Seqs.Select(s => s is null));
        Assert.Equal([1], resent.Conflicts.ToArray());
        Assert.Contains(("nc21b", "e"), (await after.StoredPayloadsAsync([("nc21b", "e")])).Keys);
    }

    private static JournalCandidate Candidate(string source, string id, int count) =>
        new(source, id, "port:mohe", 737_000, Canonical(id, count, source));

    private static string Canonical(string id, int count, string source = "feed")
    {
        var json = $$"""[{"id":"{{id}}","type":"case","location":"port:mohe","date":"2020-04-17","count":{{count}},"classification":"local-confirmed","source":"{{source}}"}]""";
        var parsed = EventParser.ParseJsonArray(System.Text.Encoding.UTF8.GetBytes(json), new IngestRules(new DateOnly(2020, 4, 20)), TopologyCatalog.DirectoryOf(Scoring.Topologies.DefaultTopology.Load()));
        return Assert.Single(parsed.Events).CanonicalJson;
    }
}
