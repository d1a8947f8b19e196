using System.Diagnostics;

namespace RiskMesh.Bench;

/// <summary>What one scale measured: cold ingest, GET in-process and from a separate process, RSS with every entity active.</summary>
public sealed record ScaleResult(
    int Entities,
    int Events,
    double IngestPerSec,
    int FailedBatches,
    int RetriedBatches,
    GetLoadResult Get,
    GetLoadResult? External,
    double RssMiB,
    double ManagedMiB,
    double? GrainDirectWarmPerSec,
    double? HttpWarmPerSec,
    double FirstViewReadsPerSec,
    double? LoadDuringGet,
    double? LoadDuringExternal,
    double Seconds)
{
    /// <summary>What the garbage collector did during the in-process GET load (null when not recorded).</summary>
    public GcDuringLoad? GcDuringGet { get; init; }

    /// <summary>Seconds of the in-process GET load.</summary>
    public double GetSeconds { get; init; }

    /// <summary>Share of the cold ingest's wall time the runtime spent compiling (all threads).</summary>
    public double IngestCompilingShare { get; init; }

    /// <summary>Calls the entity grains received during the cold ingest, by <c>kind.Method</c>.</summary>
    public IReadOnlyDictionary<string, long> IngestGrainCalls { get; init; } = new Dictionary<string, long>();

    /// <summary>What the host counted during the cold ingest (activations, checkpoints, notices issued), by <c>counter.kind</c>.</summary>
    public IReadOnlyDictionary<string, long> IngestHostCounters { get; init; } = new Dictionary<string, long>();

    /// <summary>Bytes this process allocated during the cold ingest (the HTTP client's and the host's together).</summary>
    public long IngestAllocatedBytes { get; init; }

    /// <summary>Collections of gen 0, 1 and 2 during the cold ingest.</summary>
    public (int Gen0, int Gen1, int Gen2) IngestCollections { get; init; }

    /// <summary>The time the runtime held every thread for its collector during the cold ingest.</summary>
    public TimeSpan IngestGcPause { get; init; }

    /// <summary>Bytes allocated per ingested event: the collector's work follows it, and it is far steadier than a rate on a shared machine.</summary>
    public double IngestAllocatedBytesPerEvent => Events == 0 ? 0 : (double)IngestAllocatedBytes / Events;

    /// <summary>Entity grain calls per ingested event during the cold ingest.</summary>
    public double GrainCallsPerEvent => Events == 0 ? 0 : (double)IngestGrainCalls.Values.Sum() / Events;

    /// <summary>The scale as a JSON object of the result.</summary>
    public Dictionary<string, object?> ToJson()
    {
        var json = new Dictionary<string, object?>
        {
            ["entities"] = Entities,
            ["events"] = Events,
            ["ingestEventsPerSec"] = Math.Round(IngestPerSec),
            ["ingestFailedBatches"] = FailedBatches,
            ["ingestRetriedBatches"] = RetriedBatches,
            ["ingestCompilingShare"] = Math.Round(IngestCompilingShare, 3),
            ["ingestGrainCallsPerEvent"] = Math.Round(GrainCallsPerEvent, 2),
            ["ingestAllocatedBytesPerEvent"] = Math.Round(IngestAllocatedBytesPerEvent),
            ["ingestGcPauseMs"] = Math.Round(IngestGcPause.TotalMilliseconds),
            ["ingestGcGen0"] = IngestCollections.Gen0,
            ["ingestGcGen1"] = IngestCollections.Gen1,
            ["ingestGcGen2"] = IngestCollections.Gen2,
            ["ingestGrainCalls"] = IngestGrainCalls,
            ["ingestHostCounters"] = IngestHostCounters,
            ["getP50Ms"] = Math.Round(Get.P50Ms, 3),
            ["getP99Ms"] = Math.Round(Get.P99Ms, 3),
            ["getPerSec"] = Math.Round(Get.PerSec),
            ["getErrors"] = Get.Errors,
            ["externalGenerator"] = External?.Generator,
            ["externalGetP50Ms"] = External is null ? null : Math.Round(External.P50Ms, 3),
            ["externalGetP99Ms"] = External is null ? null : Math.Round(External.P99Ms, 3),
            ["externalGetPerSec"] = External is null ? null : Math.Round(External.PerSec),
            ["externalGetErrors"] = External?.Errors,
            ["firstViewReadsPerSec"] = Math.Round(FirstViewReadsPerSec),
            ["loadAverageDuringGet"] = LoadDuringGet,
            ["loadAverageDuringExternalGet"] = LoadDuringExternal,
            ["rssMiB"] = Math.Round(RssMiB, 1),
            ["managedHeapMiB"] = Math.Round(ManagedMiB, 1),
            ["seconds"] = Math.Round(Seconds),
        };
        foreach (var (key, value) in GcDuringGet?.ToJson("gcDuringGet", GetSeconds, Get.Requests) ?? [])
        {
            json[key] = value;
        }

        return json;
    }
}

/// <summary>One scale on a fresh embedded host: topology, cold ingest, GET load in-process then external, memory.</summary>
public static class ScaleRun
{
    /// <summary>Runs the scale of <paramref name="entities"/> entities with its data in <paramref name="directory"/>.</summary>
    public static async Task<ScaleResult> RunAsync(int entities, BenchOptions options, ExternalGenerator external, string directory, Action<string> progress)
    {
        var watch = Stopwatch.StartNew();
        var world = Workload.Create(entities, options.FacedCountries);
        var events = options.EventsAt(entities);
        var label = $"{world.EntityCount:N0} entities";
        var batches = world.Batches(events, options.Batch, "bench", seed: 1);
        progress($"{label}: {world.Countries.Length} countries, {world.Ports.Count:N0} ports, {world.Cities.Count:N0} cities; {events:N0} events in batches of {options.Batch:N0}");

        // The host runs on a fresh heap per scale, so its memory is not inflated by an earlier scale's garbage.
        await using var host = await HostPhases.StartAsync(directory);
        await host.PrepareAsync(world);
        progress($"{label}: host up, topology installed ({host.TopologyChars / 1e6:0.0} M characters sent, {host.StoredTopologyChars / 1e6:0.0} M as stored); RSS {HostPhases.RssAfterGcMiB():N0} MiB");

        if (options.PreActivate)
        {
            progress($"{label}: every entity activated before the ingest (--pre-activate): {await host.ActivateEveryEntityAsync(world):N0} activations/s");
        }

        var pair = options.PairDirectory is { } pairDirectory ? new PairRendezvous(pairDirectory, progress) : null;
        await (pair?.MeetAsync($"{entities}-ingest") ?? Task.CompletedTask);
        var callsBefore = host.Calls.Snapshot();
        using var counters = new HostCounters();
        host.Calls.Counting = counters.Counting = true;
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var gcBefore = (Allocated: GC.GetTotalAllocatedBytes(precise: true), Pause: GC.GetTotalPauseDuration(), Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2));
        var ingestWatch = Stopwatch.StartNew();
        var ingestPerSec = await host.IngestHttpAsync(batches, options.Senders, done => Tick(progress, $"{label}: ingest over HTTP", done, batches.Count));
        var compilingShare = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore) / ingestWatch.Elapsed;
        var ingestAllocated = GC.GetTotalAllocatedBytes(precise: true) - gcBefore.Allocated;
        var ingestGcPause = GC.GetTotalPauseDuration() - gcBefore.Pause;
        // CollectionCount(0) counts every collection, CollectionCount(1) those of gen 1 and 2: each generation's own is the difference.
        var gen2 = GC.CollectionCount(2) - gcBefore.Gen2;
        var gen1 = GC.CollectionCount(1) - gcBefore.Gen1 - gen2;
        var gen0 = GC.CollectionCount(0) - gcBefore.Gen0 - gen1 - gen2;
        host.Calls.Counting = counters.Counting = false;
        var ingestCalls = GrainCallCounter.Between(callsBefore, host.Calls.Snapshot());
        progress($"{label}: ingest over HTTP ({(options.PreActivate ? "pre-activated grains, --pre-activate: not the headline's cold grains" : "cold grains")}): {ingestPerSec:N0} events/s; {host.RetriedBatches} tries answered 503 and retried, {host.FailedBatches} batches failed; compiling took {compilingShare:P1} of it");
        progress($"{label}: grain calls during it: {(double)ingestCalls.Values.Sum() / events:0.00} per event ({string.Join(", ", ingestCalls.Select(c => $"{c.Key} {c.Value:N0}"))})");
        progress($"{label}: the host meanwhile: {string.Join(", ", counters.Totals().Select(c => $"{c.Key} {c.Value:N0}"))}");
        progress($"{label}: allocated during it: {(double)ingestAllocated / events:N0} bytes per event (client and host); {gen0}/{gen1}/{gen2} collections of gen 0/1/2, threads held {ingestGcPause.TotalMilliseconds:N0} ms ({ingestGcPause / ingestWatch.Elapsed:P1} of it)");

        double? grainPerSec = null, warmHttpPerSec = null;
        if (options.Profile)
        {
            grainPerSec = await host.IngestGrainAsync(world.Batches(events, options.Batch, "direct", seed: 2), options.Senders, done => Tick(progress, $"{label}: ingest grain direct", done, batches.Count));
            progress($"{label}: ingest straight to the ingest grain (warm grains, no HTTP): {grainPerSec:N0} events/s");
            // The same counts as the cold ingest's, so a cold ingest and a warm one of the same world can be told apart
            // by what each event cost (calls, notices, bytes, collections), not by the rate alone.
            var warmCallsBefore = host.Calls.Snapshot();
            using var warmCounters = new HostCounters();
            host.Calls.Counting = warmCounters.Counting = true;
            var warmGcBefore = (Allocated: GC.GetTotalAllocatedBytes(precise: true), Pause: GC.GetTotalPauseDuration(), Collections: GC.CollectionCount(0));
            var warmWatch = Stopwatch.StartNew();
            warmHttpPerSec = await host.IngestHttpAsync(world.Batches(events, options.Batch, "warm", seed: 3), options.Senders, done => Tick(progress, $"{label}: ingest over HTTP warm", done, batches.Count));
            var warmPause = GC.GetTotalPauseDuration() - warmGcBefore.Pause;
            host.Calls.Counting = warmCounters.Counting = false;
            var warmCalls = GrainCallCounter.Between(warmCallsBefore, host.Calls.Snapshot());
            progress($"{label}: ingest over HTTP (warm grains): {warmHttpPerSec:N0} events/s");
            progress($"{label}: during the warm ingest: {(double)warmCalls.Values.Sum() / events:0.00} grain calls per event ({string.Join(", ", warmCalls.Select(c => $"{c.Key} {c.Value:N0}"))}); "
                + $"the host: {string.Join(", ", warmCounters.Totals().Select(c => $"{c.Key} {c.Value:N0}"))}; "
                + $"{(double)(GC.GetTotalAllocatedBytes(precise: true) - warmGcBefore.Allocated) / events:N0} bytes allocated per event, {GC.CollectionCount(0) - warmGcBefore.Collections} collections, threads held {warmPause.TotalMilliseconds:N0} ms ({warmPause / warmWatch.Elapsed:P1} of it)");
        }

        // The events are no longer needed: they would count in this process's RSS.
        batches = null;
        var paths = world.GetPaths();

        // Steady-state reads: every view is computed once first (its first read assesses the entity and pulls what
        // it needs upstream), so the timed load measures what a GET costs, not how many views are still cold.
        progress($"{label}: first read of every view ({paths.Count:N0}), {options.Connections} connections");
        var firstReadsPerSec = await host.ReadEveryViewOnceAsync(paths, options.Connections);
        progress($"{label}: first reads: {firstReadsPerSec:N0} views/s");
        progress($"{label}: GET, in-process client: {options.Connections} connections for {options.GetSeconds} s over {paths.Count:N0} ports, cities and countries");
        await (pair?.MeetAsync($"{entities}-get") ?? Task.CompletedTask);
        GetLoadResult get;
        GcDuringLoad gc;
        using (var recorder = new GcRecorder())
        {
            get = await host.GetLoadAsync(paths, options.Connections, TimeSpan.FromSeconds(options.GetSeconds));
            gc = await recorder.StopAsync(get.Spans);
        }

        var loadDuringGet = LoadAverage();
        progress($"{label}: GET in-process p50 {get.P50Ms:0.00} ms, p99 {get.P99Ms:0.00} ms, {get.PerSec:N0}/s, {get.Errors} errors");
        progress($"{label}: GC during it: {(double)gc.AllocatedBytes / Math.Max(1, get.Requests):N0} bytes allocated per GET (client and host); {gc.Gen0}/{gc.Gen1}/{gc.Gen2} collections of gen 0/1/2 ({gc.Background} background, {gc.BackgroundMs:N0} ms marking), "
            + $"paused {gc.PauseMs:N0} ms in {gc.Pauses} pauses ({gc.PauseShare(options.GetSeconds):P1} of the time, longest {gc.MaxPauseMs:0.0} ms); "
            + $"{gc.SlowestPercentInPause:P0} of the slowest 1% of GETs overlapped a pause; p99 of those that did not {gc.P99OutsidePausesMs:0.00} ms");
        get = get with { Spans = [] };

        GetLoadResult? externalGet = null;
        double? loadDuringExternal = null;
        if (external != ExternalGenerator.None)
        {
            progress($"{label}: GET from a separate process ({external}): {options.Connections} connections, 2 s warm-up then {options.ExternalSeconds} s");
            externalGet = await ExternalLoad.RunAsync(external, host.BaseAddress, host.ApiKey, paths, options.Connections, options.ExternalSeconds, directory);
            loadDuringExternal = LoadAverage();
            progress($"{label}: GET external p50 {externalGet!.P50Ms:0.00} ms, p99 {externalGet.P99Ms:0.00} ms, {externalGet.PerSec:N0}/s, {externalGet.Errors} errors");
        }

        // Every entity of the world has been activated by its first event and is still active: measured, not projected.
        await (pair?.MeetAsync($"{entities}-memory") ?? Task.CompletedTask);
        var managed = HostPhases.ManagedAfterGcMiB();
        var rss = HostPhases.RssAfterGcMiB();
        progress($"{label}: memory with every entity active: RSS {rss:N0} MiB after a full GC, managed heap {managed:N0} MiB; scale took {watch.Elapsed.TotalSeconds:N0} s");
        progress($"{label}: outside the managed heap: {NativeMemory.Describe(directory)}");
        if (options.HoldSeconds > 0)
        {
            // The heap as measured, for a dump (dotnet-dump collect --type Heap -p PID) or /proc/PID/smaps.
            progress($"{label}: holding the host {options.HoldSeconds} s after the memory measurement (pid {Environment.ProcessId})");
            await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
        }
        return new ScaleResult(world.EntityCount, events, ingestPerSec, host.FailedBatches, host.RetriedBatches, get, externalGet, rss, managed, grainPerSec, warmHttpPerSec, firstReadsPerSec, loadDuringGet, loadDuringExternal, watch.Elapsed.TotalSeconds)
        {
            GcDuringGet = gc,
            GetSeconds = options.GetSeconds,
            IngestCompilingShare = compilingShare,
            IngestGrainCalls = ingestCalls,
            IngestHostCounters = counters.Totals(),
            IngestAllocatedBytes = ingestAllocated,
            IngestCollections = (gen0, gen1, gen2),
            IngestGcPause = ingestGcPause,
        };
    }

    /// <summary>The machine's 1-minute load average (Linux), read right after a load: how many threads wanted a core.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static void Tick(Action<string> progress, string phase, int done, int total)
    {
        if (done % Math.Max(1, total / 5) == 0 || done == total)
        {
            progress($"{phase}: {done}/{total} batches");
        }
    }
}
