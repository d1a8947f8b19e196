using System.Diagnostics;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Bench;

/// <summary>The measurements that need no host: parse, pure fold, and the durable ceiling.</summary>
public static class InProcessPhases
{
    /// <summary>Parses every batch once (as the host does) and returns the events and the rate.</summary>
    public static (List<RiskEvent> Events, double PerSec) Parse(IReadOnlyList<byte[]> batches, Workload world)
    {
        var rules = new IngestRules(Workload.Today);
        var events = new List<RiskEvent>();

        // One untimed pass first, so the rate is not the JIT's.
        EventParser.ParseNdJson(batches[0], rules, world);
        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var parsed = EventParser.ParseNdJson(batch, rules, world);
            if (!parsed.Errors.IsEmpty)
            {
                throw new InvalidOperationException($"generated batch is invalid: {parsed.Errors[0].Reason}");
            }

            events.AddRange(parsed.Events.Select(e => e.Event));
        }

        watch.Stop();
        return (events, events.Count / watch.Elapsed.TotalSeconds);
    }

    /// <summary>Folds the events into fresh ledgers (one per entity), several rounds; the best round's rate.</summary>
    public static double Fold(IReadOnlyList<RiskEvent> events, int rounds)
    {
        var entities = events.Select(e => e.Entity).ToArray();
        var best = 0.0;
        for (var round = 0; round < rounds; round++)
        {
            var ledgers = new Dictionary<EntityRef, Ledger>();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < events.Count; i++)
            {
                if (!ledgers.TryGetValue(entities[i], out var ledger))
                {
                    ledger = entities[i].Kind == EntityKind.Country ? new CountryLedger() : new SiteLedger();
                    ledgers.Add(entities[i], ledger);
                }

                ledger.Apply(events[i], i + 1);
            }

            watch.Stop();
            best = Math.Max(best, events.Count / watch.Elapsed.TotalSeconds);
        }

        return best;
    }

    /// <summary>
    /// Parses each batch and appends it to a fresh SQLite journal in one transaction, with <paramref name="senders"/>
    /// concurrent writers through the same write gate the host uses: what no durable ingest can beat.
    /// </summary>
    public static async Task<double> DurableCeilingAsync(IReadOnlyList<byte[]> batches, Workload world, int senders, string directory)
    {
        var database = DatabaseSettings.ForSqliteFile(Path.Combine(directory, "ceiling.db"));
        await SchemaInstaller.ApplyAsync(database);
        using var gate = new SqliteWriteGate();
        var journal = new IngestJournal(database, gate, new SqliteGroupCommit(database, gate), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new Orleans.Configuration.ClusterOptions { ServiceId = "bench" }));
        var rules = new IngestRules(Workload.Today);
        var next = -1;
        var appended = 0L;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                var parsed = EventParser.ParseNdJson(batches[index], rules, world);
                var candidates = parsed.Events
                    .Select(e => new JournalCandidate(e.Event.Source, e.Event.Id, e.Event.Entity.ToString(), e.Event.Date.DayNumber, e.CanonicalJson))
                    .ToList();
                var result = await journal.AppendAsync(candidates);
                Interlocked.Add(ref appended, candidates.Count - result.Duplicates);
            }
        })));
        watch.Stop();
        return appended / watch.Elapsed.TotalSeconds;
    }
}
