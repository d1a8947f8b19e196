using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Ranking;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topologies;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Grains.Ingest;

/// <summary>
/// Validates a batch whole, appends its new events to the journal in one transaction, then has every entity it
/// touches fold its share in one call each, with a cap on calls in flight. Answers only when both are done, so an
/// acknowledged batch is durable and visible.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed partial class IngestGrain(
    IngestJournal journal,
    BatchesApplying applying,
    RiskClock clock,
    TopologyCatalog topology,
    RankingMarks rankingMarks,
    IOptions<RiskMeshGrainOptions> options,
    ILogger<IngestGrain> logger) : Grain, IIngestGrain
{
    /// <inheritdoc />
    public async Task<IngestResult> Ingest(byte[] body, IngestFormat format)
    {
        var (parsed, today, current, refused) = await ValidateAsync(body, format);
        if (refused is not null)
        {
            return refused;
        }

        var candidates = parsed.Events
            .Select(e => new JournalCandidate(e.Event.Source, e.Event.Id, e.Event.Entity.ToString(), e.Event.Date.DayNumber, e.CanonicalJson))
            .ToList();
        AppendResult appended;
        using (RiskMeshMetrics.Tracing.StartActivity("riskmesh.journal.append")?.SetTag("riskmesh.events", candidates.Count))
        {
            appended = await journal.AppendAsync(candidates, today.DayNumber);
        }

        if (appended.BatchId is not null)
        {
            RiskMeshMetrics.JournalBatchAppended();
        }

        // Each entry carries the event parsed here, so a grain in this process folds it without parsing the JSON again.
        var fresh = candidates
            .Select((candidate, index) => (candidate, parsed: parsed.Events[index].Event, seq: appended.Seqs[index]))
            .Where(x => x.seq is not null)
            .GroupBy(x => x.candidate.Entity, StringComparer.Ordinal)
            .Select(g => (Entity: g.Key, Entries: g.Select(x => new JournalEntry(x.seq!.Value, x.candidate.Payload) { Event = x.parsed }).ToImmutableArray()))
            .ToList();
        var application = EntityGrains.ApplyAsync(GrainFactory, fresh, options.Value.MaxApplyCallsInFlight);
        ApplyOutcome applied;
        using (appended.BatchId is { } applyingBatch ? applying.Track(applyingBatch, application) : null)
        {
            applied = await application;
        }

        // A retry of a batch whose first attempt failed half-way (or still runs) finds its events journaled but perhaps
        // not applied everywhere: the batches holding them are applied before acknowledging, so the 202 still means visible.
        if (appended.Duplicates > 0)
        {
            var duplicates = candidates.Where((_, index) => appended.Seqs[index] is null).Select(c => (c.Source, c.Id)).ToList();
            await JournalRecovery.ApplyBatchesHoldingAsync(journal, GrainFactory, applying, duplicates, appended.BatchId);
        }

        // The entities this batch changed in this silo have marked their rankings stale: those marks leave now, before
        // the answer, as each entity's own call to its ranking did.
        rankingMarks.Flush();

        if (appended.BatchId is { } batchId)
        {
            MarkAppliedInBackground(batchId);
        }

        // Indexes into the batch as sent: the parser keeps every event of an accepted batch, in order.
        var conflicts = appended.Conflicts.Select(i => new EventConflict(parsed.Events[i].Index, candidates[i].Id, candidates[i].Source)).ToImmutableArray();
        var warnings = CountriesOutsideTopology.Find(parsed.Events, current)
            .Select(w => new CountryWarning(w.Country, w.Events, w.Index, w.Id, w.Message, $"country:{w.Country}"))
            .Concat(EntryWarnings(applied.Warnings, parsed, appended))
            .ToImmutableArray();
        return new IngestResult(fresh.Sum(f => f.Entries.Length), appended.Duplicates, [], Replaced: applied.Replaced, Conflicts: conflicts, Warnings: warnings);
    }

    // The entities' warnings about entries (a country's cumulative count far below its source's last one, new cases
    // disagreeing with it, a change of the source a country is read from, a port's day reported by a second source), placed at the
    // event of the batch that journaled each entry, in the batch's order.
    private static IEnumerable<CountryWarning> EntryWarnings(ImmutableArray<EntryWarning> warnings, ParsedBatch parsed, AppendResult appended)
    {
        if (warnings.IsDefaultOrEmpty)
        {
            yield break;
        }

        // An entry may carry two (a fallen cumulative count that also hands the country to another source).
        var bySeq = warnings.ToLookup(w => w.Seq, w => w.Message);
        for (var index = 0; index < parsed.Events.Length; index++)
        {
            if (appended.Seqs[index] is { } seq && bySeq.Contains(seq))
            {
                var warned = parsed.Events[index].Event;
                foreach (var message in bySeq[seq])
                {
                    yield return new CountryWarning((warned as CountryCasesEvent)?.Country, 1, parsed.Events[index].Index, warned.Id, message, warned.Entity.ToString());
                }
            }
        }
    }

    /// <inheritdoc />
    public async Task<IngestResult> Check(byte[] body, IngestFormat format)
    {
        var (parsed, _, current, refused) = await ValidateAsync(body, format);
        if (refused is not null)
        {
            return refused;
        }

        // As the journal would judge them: an id already journaled is a duplicate (a conflict when its content differs),
        // and so is a word-for-word repeat within the batch (the parser refuses a repeat with other content).
        var stored = await journal.StoredPayloadsAsync([.. parsed.Events.Select(e => (e.Event.Source, e.Event.Id)).Distinct()]);
        var seen = new HashSet<(string Source, string Id)>();
        var (accepted, duplicates) = (0, 0);
        var conflicts = ImmutableArray.CreateBuilder<EventConflict>();
        foreach (var e in parsed.Events)
        {
            var key = (e.Event.Source, e.Event.Id);
            if (stored.TryGetValue(key, out var payload))
            {
                duplicates++;
                if (!IngestJournal.SameEvent(payload, e.CanonicalJson))
                {
                    conflicts.Add(new EventConflict(e.Index, e.Event.Id, e.Event.Source));
                }
            }
            else if (seen.Add(key))
            {
                accepted++;
            }
            else
            {
                duplicates++;
            }
        }

        var warnings = CountriesOutsideTopology.Find(parsed.Events, current)
            .Select(w => new CountryWarning(w.Country, w.Events, w.Index, w.Id, w.Message, $"country:{w.Country}"))
            .ToImmutableArray();
        return new IngestResult(accepted, duplicates, [], Conflicts: conflicts.ToImmutable(), Warnings: warnings);
    }

    // Parses and validates a batch against the clock and topology; the refusal to answer when it is refused.
    private async Task<(ParsedBatch Parsed, DateOnly Today, RiskMesh.Scoring.Topologies.Topology Current, IngestResult? Refused)> ValidateAsync(byte[] body, IngestFormat format)
    {
        var today = await clock.TodayAsync();
        var current = await topology.CurrentAsync();
        var directory = TopologyCatalog.DirectoryOf(current);
        var parsed = Parse(body, format, today, directory);
        if (!parsed.Errors.IsEmpty && (await clock.ReadAsync()).Date is var now && now != today)
        {
            // This silo's cached day may lag a clock move made through an API node by up to RiskClock.CacheFor: judge
            // a refused batch again by the clock itself, so "move the clock, then send that day's events" works.
            today = now;
            parsed = Parse(body, format, today, directory);
        }

        IngestResult? refused = parsed.LimitExceeded is not null
            ? new IngestResult(0, 0, [], parsed.LimitExceeded, Conflicts: [])
            : !parsed.Errors.IsEmpty
                ? new IngestResult(0, 0, [.. parsed.Errors.Select(e => new EventError(e.Index, e.Id, e.Reason))], Conflicts: [])
                : null;
        return (parsed, today, current, refused);
    }

    private ParsedBatch Parse(byte[] body, IngestFormat format, DateOnly today, IEntityDirectory directory)
    {
        var rules = new IngestRules(today, options.Value.Scoring.RetentionDays, MaxFutureDays: 1, options.Value.MaxBatchEvents);
        return format == IngestFormat.NdJson
            ? EventParser.ParseNdJson(body, rules, directory)
            : EventParser.ParseJsonArray(body, rules, directory);
    }

    // The applied mark only raises the replay floor; until it lands, grains merely replay a little more.
    private void MarkAppliedInBackground(long batchId) =>
        _ = journal.MarkAppliedAsync(batchId).ContinueWith(
            t =>
            {
                RiskMeshMetrics.JournalBatchMarked();
                if (t.IsFaulted)
                {
                    LogMarkFailed(logger, t.Exception, batchId);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not mark batch {BatchId} applied; it will be re-applied at the next start")]
    private static partial void LogMarkFailed(ILogger logger, Exception? exception, long batchId);
}
