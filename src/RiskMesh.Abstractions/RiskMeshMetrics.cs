using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RiskMesh.Abstractions;

/// <summary>
/// RiskMesh's own metrics and trace source, in one home: the <c>RiskMesh</c> meter and activity source. Each process
/// records what happens in it (API nodes: ingest and SSE; silos: journal, entities, notices, webhooks), so a scrape of
/// every pod, summed, is the cluster's picture.
/// </summary>
/// <remarks>
/// Static, like the framework's own meters, so a grain records with one call and no constructor change; the host's
/// OpenTelemetry pipeline subscribes to <see cref="MeterName"/> and <see cref="ActivitySourceName"/>.
/// </remarks>
public static class RiskMeshMetrics
{
    /// <summary>The meter's name (also the prefix of every instrument).</summary>
    public const string MeterName = "RiskMesh";

    /// <summary>The activity source's name for RiskMesh's own spans.</summary>
    public const string ActivitySourceName = "RiskMesh";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly ConcurrentDictionary<object, int> OutboxDepths = new(ReferenceEqualityComparer.Instance);

    private static long _sseListeners;
    private static long _journalBatchesUnmarked;

    /// <summary>Spans for work inside RiskMesh (ingest through the grains).</summary>
    public static ActivitySource Tracing { get; } = new(ActivitySourceName, "1.0");

    /// <summary>Events accepted into the journal (new, not duplicates).</summary>
    public static Counter<long> EventsAccepted { get; } = Meter.CreateCounter<long>(
        "riskmesh.ingest.events.accepted", "{event}", "Events accepted: journaled and applied");

    /// <summary>Events that were already journaled (same source and id) and changed nothing.</summary>
    public static Counter<long> EventsDuplicate { get; } = Meter.CreateCounter<long>(
        "riskmesh.ingest.events.duplicate", "{event}", "Events ignored as duplicates of earlier ones");

    /// <summary>Batches refused, tagged <c>reason</c> (invalid-events, too-large, unsupported-media-type).</summary>
    public static Counter<long> BatchesRejected { get; } = Meter.CreateCounter<long>(
        "riskmesh.ingest.batches.rejected", "{batch}", "Batches refused, by reason; nothing from them was applied");

    /// <summary>Events in refused batches, tagged <c>reason</c>.</summary>
    public static Counter<long> EventsRejected { get; } = Meter.CreateCounter<long>(
        "riskmesh.ingest.events.rejected", "{event}", "Invalid events in refused batches, by reason");

    /// <summary>Batches acknowledged (202).</summary>
    public static Counter<long> Batches { get; } = Meter.CreateCounter<long>(
        "riskmesh.ingest.batches", "{batch}", "Batches acknowledged (durable and applied)");

    /// <summary>Time from a batch's arrival to its answer, tagged <c>outcome</c> (accepted, rejected).</summary>
    public static Histogram<double> BatchDuration { get; } = Meter.CreateHistogram(
        "riskmesh.ingest.batch.duration", "s", "Time to validate, journal and apply a batch",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary>Journal rows a grain replayed on activation: how far its checkpoint lagged the journal.</summary>
    public static Histogram<long> JournalReplayed { get; } = Meter.CreateHistogram(
        "riskmesh.journal.replayed", "{event}", "Journal rows an entity replayed on activation (checkpoint lag)",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 10, 100, 1000, 10000] });

    /// <summary>Entity grain activations, tagged <c>kind</c>.</summary>
    public static Counter<long> EntityActivations { get; } = Meter.CreateCounter<long>(
        "riskmesh.entity.activations", "{activation}", "Entity grains activated, by kind");

    /// <summary>Entity checkpoints written, tagged <c>kind</c>.</summary>
    public static Counter<long> EntityCheckpoints { get; } = Meter.CreateCounter<long>(
        "riskmesh.entity.checkpoints", "{checkpoint}", "Entity state checkpoints written, by kind");

    /// <summary>Notices issued, tagged <c>kind</c>.</summary>
    public static Counter<long> NoticesIssued { get; } = Meter.CreateCounter<long>(
        "riskmesh.notices.issued", "{notice}", "Escalation notices issued, by kind");

    /// <summary>Writes of a city's response state (a notice issued or acknowledged, its level moved, its plan set).</summary>
    public static Counter<long> ResponseWrites { get; } = Meter.CreateCounter<long>(
        "riskmesh.response.writes", "{write}", "Writes of a city's response state");

    /// <summary>Notice rows those writes inserted or updated (a city's first write in its own rows stores every notice it keeps).</summary>
    public static Counter<long> ResponseNoticeRows { get; } = Meter.CreateCounter<long>(
        "riskmesh.response.notice_rows", "{row}", "Notice rows written by the response writes");

    /// <summary>Daily evaluations run (every city to the clock's day), tagged <c>trigger</c> (start, reminder, clock).</summary>
    public static Counter<long> DailyEvaluations { get; } = Meter.CreateCounter<long>(
        "riskmesh.daily_evaluations", "{run}", "Daily evaluations of every city, by what triggered them (retry: only the cities the last run could not evaluate)");

    /// <summary>Webhook POSTs the receiver accepted (2xx).</summary>
    public static Counter<long> WebhookDeliveries { get; } = Meter.CreateCounter<long>(
        "riskmesh.webhooks.deliveries", "{delivery}", "Webhook deliveries the receiver accepted");

    /// <summary>Webhook POSTs that failed (non-2xx, no answer, refused), to be retried.</summary>
    public static Counter<long> WebhookFailures { get; } = Meter.CreateCounter<long>(
        "riskmesh.webhooks.failures", "{attempt}", "Webhook attempts that failed and will be retried");

    static RiskMeshMetrics()
    {
        Meter.CreateObservableGauge(
            "riskmesh.webhooks.outbox.depth",
            () => (long)OutboxDepths.Values.Sum(),
            "{delivery}",
            "Webhook deliveries waiting in the outboxes active on this silo");

        // Observed rather than added up: an exporter sees only the additions made while it listens, so a stream opened
        // (or a batch journaled) before the pipeline subscribed, or under an earlier host in the same process, would be
        // subtracted without ever having been added, and the gauge could read below zero.
        Meter.CreateObservableUpDownCounter(
            "riskmesh.journal.batches.unmarked",
            () => Interlocked.Read(ref _journalBatchesUnmarked),
            "{batch}",
            "Journaled batches whose applied mark is not written yet");
        Meter.CreateObservableUpDownCounter(
            "riskmesh.sse.listeners",
            () => Interlocked.Read(ref _sseListeners),
            "{connection}",
            "Notice streams (SSE) open on this node");
    }

    /// <summary>Counts a journal batch appended whose applied mark is not written yet (journal lag).</summary>
    public static void JournalBatchAppended() => Interlocked.Increment(ref _journalBatchesUnmarked);

    /// <summary>Counts a journal batch's applied mark written (or given up).</summary>
    public static void JournalBatchMarked() => Interlocked.Decrement(ref _journalBatchesUnmarked);

    /// <summary>Counts a notice stream (SSE) opened on this node.</summary>
    public static void SseListenerOpened() => Interlocked.Increment(ref _sseListeners);

    /// <summary>Counts a notice stream (SSE) closed on this node.</summary>
    public static void SseListenerClosed() => Interlocked.Decrement(ref _sseListeners);

    /// <summary>Records an outbox activation's pending deliveries (0 forgets it), for the outbox depth gauge.</summary>
    /// <param name="outbox">The activation itself: keyed by instance, so two silos in one process never share an entry.</param>
    /// <param name="pending">Deliveries waiting.</param>
    public static void SetOutboxDepth(object outbox, int pending)
    {
        if (pending <= 0)
        {
            OutboxDepths.TryRemove(outbox, out _);
        }
        else
        {
            OutboxDepths[outbox] = pending;
        }
    }

    /// <summary>A tag list with one tag, for the common case.</summary>
    public static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
