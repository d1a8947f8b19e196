using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RiskMesh.Bench;

// RiskMesh benchmark (DESIGN.md section 9, issue 12): one JSON object on stdout; progress, the headline table and the
// scaling table on stderr. `get-client` is this bench started again as the external load generator.
if (args is [GetLoad.ClientCommand, .. var clientArgs])
{
    return await GetLoad.ClientMainAsync(clientArgs);
}

// The host's garbage collector settings are read from the environment at start: measure with those a host gets.
if (await BenchGcEnvironment.RunAgainWithGen0BudgetAsync(args) is { } exitCode)
{
    return exitCode;
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine($"Runs with the host's garbage collector settings: {BenchGcEnvironment.Describe()}");
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"bench: {ex.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var work = Path.Combine(Path.GetTempPath(), $"riskmesh-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var total = Stopwatch.StartNew();
try
{
    var external = options.External == ExternalGenerator.Auto
        ? ExternalLoad.FindWrk() is null ? ExternalGenerator.Self : ExternalGenerator.Wrk
        : options.External;
    Progress($"scales {string.Join(", ", options.Scales.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} entities; GET {options.Connections} connections, {options.GetSeconds} s in-process, {options.ExternalSeconds} s external ({external}); {Environment.ProcessorCount} cores; {BenchGcEnvironment.Describe()}");

    // Cold grains in a process whose code is compiled, as the durable ceiling's is and a running host's would be.
    WarmUpResult? warmUp = null;
    if (options.WarmUpEvents > 0)
    {
        warmUp = await JitWarmUp.RunAsync(options.WarmUpEvents, options, Path.Combine(work, "warm-up"), Progress);
        Progress(warmUp.Settled
            ? $"warm-up done: {warmUp.Events:N0} events in {warmUp.Seconds:N0} s; compiling has settled"
            : $"warm-up done at its cap of {warmUp.Events:N0} events ({warmUp.Seconds:N0} s); its last fresh host still compiled for {warmUp.LastRoundJitShare:P1} of its round (each new host compiles code of its own, and so does each measured scale's): each scale's ingest line says how much of it was compiling");
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    var scales = new List<ScaleResult>();
    foreach (var entities in options.Scales)
    {
        scales.Add(await ScaleRun.RunAsync(entities, options, external, Path.Combine(work, $"host-{entities}"), Progress));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    // The headline is the issue's 10,000 entities (or the nearest scale run), and the ceiling is measured on its events.
    var headline = scales.MinBy(s => Math.Abs(Math.Log((double)s.Entities / BenchOptions.HeadlineScale)))!;
    double? parsePerSec = null, foldPerSec = null, ceilingPerSec = null;
    if (!options.SkipCeiling)
    {
        var world = Workload.Create(headline.Entities, options.FacedCountries);
        var batches = world.Batches(headline.Events, options.Batch, "bench", seed: 1);
        var (parsed, parseRate) = InProcessPhases.Parse(batches, world);
        parsePerSec = parseRate;
        Progress($"parse: {parseRate:N0} events/s");
        foldPerSec = InProcessPhases.Fold(parsed, rounds: 5);
        parsed = null;
        Progress($"fold: {foldPerSec:N0} events/s");
        ceilingPerSec = await InProcessPhases.DurableCeilingAsync(batches, world, options.Senders, work);
        Progress($"durable ceiling (parse + SQLite journal append, {options.Senders} writers): {ceilingPerSec:N0} events/s");
    }

    var at10k = scales.FirstOrDefault(s => s.Entities == 10_000);
    var at100k = scales.FirstOrDefault(s => s.Entities == 100_000);
    var ratio = ceilingPerSec is { } c ? headline.IngestPerSec / c : (double?)null;
    var p99Growth = at10k is not null && at100k is not null ? at100k.Get.P99Ms / at10k.Get.P99Ms : (double?)null;
    var cores = Environment.ProcessorCount;
    string Tail(GetLoadResult load, double? loadAverage) =>
        $"p50 {load.P50Ms:0.00} ms, p99 {load.P99Ms:0.00} ms at {load.PerSec:N0}/s with a 1-minute load average of {loadAverage?.ToString("0.0", CultureInfo.InvariantCulture) ?? "?"} on {cores} cores: "
        + (loadAverage > 2 * cores ? "the machine was busy, so the tail is mostly requests waiting for a core" : "the tail is queueing behind the host's own CPU work and GC pauses");
    var targets = new SortedDictionary<string, Target>(StringComparer.Ordinal)
    {
        ["ingestToCeilingRatio"] = Target.AtLeast(ratio, 0.5, $"ingest at {headline.Entities:N0} entities over the durable ceiling")
            .Explained((options.PreActivate
                    ? $"{headline.IngestPerSec:N0} events/s into grains activated before the ingest (--pre-activate: not the target's cold grains) against a ceiling of {ceilingPerSec:N0}: every event is folded, assessed and pushed downstream (README, Performance); "
                    : $"{headline.IngestPerSec:N0} events/s into cold grains against a ceiling of {ceilingPerSec:N0}: each grain activates (state and journal reads) and every event is folded, assessed and pushed downstream (README, Performance); ")
                + (warmUp is null ? "no warm-up: the runtime was still compiling while it was measured" : $"measured after a warm-up of {warmUp.Events:N0} events; a fresh process's first {JitWarmUp.FirstRoundEvents:N0} events, into a {warmUp.Entities:N0}-entity world of the warm-up's own (about one in a hundred a first touch), ran at {warmUp.FreshProcessIngestPerSec:N0} events/s")),
        ["getP99Ms"] = Target.Below(headline.Get.P99Ms, 5, $"in-process client, {options.Connections} connections, {headline.Entities:N0} entities")
            .Explained(Tail(headline.Get, headline.LoadDuringGet)),
        ["externalGetP99Ms"] = Target.Below(headline.External?.P99Ms, 5, $"{headline.External?.Generator ?? "no"} load from a separate process, {options.Connections} connections, {headline.Entities:N0} entities")
            .Explained(headline.External is { } ext ? Tail(ext, headline.LoadDuringExternal) : ""),
        ["rssMiBWith100kEntities"] = Target.Below(at100k?.RssMiB, 1024, "RSS after a full GC with 100,000 entities active (measured, not projected)")
            .Explained(at100k is null ? "" : $"managed heap {at100k.ManagedMiB:N0} MiB of {at100k.RssMiB:N0} MiB RSS: the active entities (ledgers, cached views and their JSON, activations) and the 100,000-entity topology"),
        ["getP99At100kOver10k"] = Target.AtMost(p99Growth, 2, "GET p99 at 100,000 entities over its value at 10,000")
            .Explained(at10k is null || at100k is null ? "" : $"p50 {at100k.Get.P50Ms:0.00} ms at 100,000 against {at10k.Get.P50Ms:0.00} ms at 10,000 ({at100k.Get.P50Ms / at10k.Get.P50Ms:0.00}x); load averages {at10k.LoadDuringGet:0.0} and {at100k.LoadDuringGet:0.0} during the two loads; "
                + $"GC paused {Report.Paused(at100k.GcDuringGet)} ms at 100,000 against {Report.Paused(at10k.GcDuringGet)} ms at 10,000, and the p99 of the GETs that overlapped no pause was {at100k.GcDuringGet?.P99OutsidePausesMs:0.00} and {at10k.GcDuringGet?.P99OutsidePausesMs:0.00} ms"),
    };

    var result = new SortedDictionary<string, object?>(StringComparer.Ordinal)
    {
        ["foldEventsPerSec"] = Round(foldPerSec),
        ["parseEventsPerSec"] = Round(parsePerSec),
        ["durableCeilingEventsPerSec"] = Round(ceilingPerSec),
        ["ingestEventsPerSec"] = Math.Round(headline.IngestPerSec),
        ["ingestToCeilingRatio"] = Round(ratio, 3),
        ["ingestGrainDirectWarmEventsPerSec"] = Round(headline.GrainDirectWarmPerSec),
        ["ingestHttpWarmEventsPerSec"] = Round(headline.HttpWarmPerSec),
        ["ingestFailedBatches"] = scales.Sum(s => s.FailedBatches),
        ["warmUpEvents"] = warmUp?.Events ?? 0,
        ["warmUpSettled"] = warmUp?.Settled,
        ["ingestCompilingShare"] = Math.Round(headline.IngestCompilingShare, 3),
        ["ingestGrainCallsPerEvent"] = Math.Round(headline.GrainCallsPerEvent, 2),
        ["ingestFreshProcessEventsPerSec"] = Round(warmUp?.FreshProcessIngestPerSec),
        ["getP50Ms"] = Math.Round(headline.Get.P50Ms, 3),
        ["getP99Ms"] = Math.Round(headline.Get.P99Ms, 3),
        ["getPerSec"] = Math.Round(headline.Get.PerSec),
        ["getRequests"] = headline.Get.Requests,
        ["getErrors"] = scales.Sum(s => s.Get.Errors),
        ["getConnections"] = options.Connections,
        ["externalGenerator"] = headline.External?.Generator,
        ["externalGetP50Ms"] = Round(headline.External?.P50Ms, 3),
        ["externalGetP99Ms"] = Round(headline.External?.P99Ms, 3),
        ["externalGetPerSec"] = Round(headline.External?.PerSec),
        ["externalGetErrors"] = scales.Sum(s => s.External?.Errors ?? 0),
        ["rssAfterMiB"] = Math.Round(headline.RssMiB, 1),
        ["rssMiBWith100kEntities"] = Round(at100k?.RssMiB, 1),
        ["getP99At100kOver10k"] = Round(p99Growth, 2),
        ["entities"] = headline.Entities,
        ["events"] = headline.Events,
        ["batchSize"] = options.Batch,
        ["senders"] = options.Senders,
        ["facedCountries"] = options.FacedCountries,
        ["processorCount"] = Environment.ProcessorCount,
        ["seconds"] = Math.Round(total.Elapsed.TotalSeconds),
        ["targetIngestHalfOfCeilingMet"] = targets["ingestToCeilingRatio"].Met,
        ["targetGetP99Under5MsMet"] = targets["getP99Ms"].Met,
        ["targetExternalGetP99Under5MsMet"] = targets["externalGetP99Ms"].Met,
        ["target100kEntitiesUnder1GiBMet"] = targets["rssMiBWith100kEntities"].Met,
        ["targetGetP99At100kWithin2xMet"] = targets["getP99At100kOver10k"].Met,
        ["targets"] = targets,
        ["scales"] = scales.Select(s => s.ToJson()).ToList(),
    };

    Report.Headline(result, targets);
    Report.Scaling(scales);
    Console.Out.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    return 0;
}
finally
{
    try
    {
        Directory.Delete(work, recursive: true);
    }
    catch (IOException)
    {
        // A file still held open only leaves a temp directory behind.
    }
}

static double? Round(double? value, int digits = 0) => value is { } v && double.IsFinite(v) ? Math.Round(v, digits) : null;

void Progress(string message) => Console.Error.WriteLine($"[bench {total.Elapsed:mm\\:ss}] {message}");
