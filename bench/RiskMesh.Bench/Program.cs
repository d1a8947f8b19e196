using System.Globalization;
using System.Text.Json;
using RiskMesh.Bench;

// RiskMesh benchmark (DESIGN.md section 9): one JSON object on stdout, progress and a table on stderr.
var events = Flag(args, "--events", 100_000);
var entities = Flag(args, "--entities", 10_000);
var getSeconds = Flag(args, "--get-seconds", 10);
var batchSize = Flag(args, "--batch", 1_000);
var senders = Flag(args, "--senders", 4);
var connections = Flag(args, "--connections", 64);
var faced = Flag(args, "--faced-countries", 0);
var profile = args.Contains("--profile");

var work = Path.Combine(Path.GetTempPath(), $"riskmesh-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
try
{
    var world = Workload.Create(entities, faced);
    Progress($"world: {world.Countries.Length} countries, {world.Ports.Length} ports, {world.Cities.Length} cities; {events:N0} events in batches of {batchSize}");
    var batches = world.Batches(events, batchSize, "bench", seed: 1);

    // The host runs first, on a fresh heap, so its memory is not inflated by the in-process phases' garbage.
    double ingestPerSec;
    double? grainPerSec = null;
    double? warmHttpPerSec = null;
    double p50, p99, getPerSec, rssAfter, managedPer100kMiB;
    int getRequests;
    int failedBatches;
    await using (var host = await HostPhases.StartAsync(Path.Combine(work, "host")))
    {
        await host.PrepareAsync(world);
        var managedBefore = HostPhases.ManagedAfterGcMiB();
        Progress($"host up, topology of {world.EntityCount:N0} entities installed; managed heap {managedBefore:N0} MiB, RSS {HostPhases.RssAfterGcMiB():N0} MiB");

        ingestPerSec = await host.IngestHttpAsync(batches, senders, done => Tick("ingest over HTTP", done, batches.Count));
        Progress($"ingest over HTTP (cold grains): {ingestPerSec:N0} events/s");

        if (profile)
        {
            grainPerSec = await host.IngestGrainAsync(world.Batches(events, batchSize, "direct", seed: 2), senders, done => Tick("ingest grain direct", done, batches.Count));
            Progress($"ingest straight to the ingest grain (warm grains, no HTTP): {grainPerSec:N0} events/s");
            warmHttpPerSec = await host.IngestHttpAsync(world.Batches(events, batchSize, "warm", seed: 3), senders, done => Tick("ingest over HTTP warm", done, batches.Count));
            Progress($"ingest over HTTP (warm grains): {warmHttpPerSec:N0} events/s");
        }

        var paths = world.Ports.Select(p => $"/api/v1/ports/{p}").Concat(world.Countries.Select(c => $"/api/v1/countries/{c}")).ToArray();
        Progress($"GET load: {connections} connections for {getSeconds} s over {paths.Length:N0} ports and countries");
        var (latencies, seconds) = await host.GetLoadAsync(paths, connections, TimeSpan.FromSeconds(getSeconds));
        Array.Sort(latencies);
        p50 = Percentile(latencies, 0.50);
        p99 = Percentile(latencies, 0.99);
        getPerSec = latencies.Length / seconds;
        getRequests = latencies.Length;

        // Every entity of the world is now active with its state: the managed heap they hold, scaled to 100,000.
        var managedAfter = HostPhases.ManagedAfterGcMiB();
        rssAfter = HostPhases.RssAfterGcMiB();
        failedBatches = host.FailedBatches;
        managedPer100kMiB = (managedAfter - managedBefore) / world.EntityCount * 100_000;
        Progress($"memory: managed heap {managedBefore:N0} → {managedAfter:N0} MiB for {world.EntityCount:N0} active entities; RSS {rssAfter:N0} MiB");
    }

    var (parsedEvents, parsePerSec) = InProcessPhases.Parse(batches, world);
    Progress($"parse: {parsePerSec:N0} events/s");
    var foldPerSec = InProcessPhases.Fold(parsedEvents, rounds: 5);
    Progress($"fold: {foldPerSec:N0} events/s");
    parsedEvents = null;
    var ceilingPerSec = await InProcessPhases.DurableCeilingAsync(batches, world, senders, work);
    Progress($"durable ceiling (parse + SQLite journal append, {senders} writers): {ceilingPerSec:N0} events/s");

    // Projected RSS with 100,000 active entities: this run's RSS plus the managed heap the other 90,000 would hold.
    var rssPer100k = managedPer100kMiB;
    var projectedRss100k = rssAfter + (managedPer100kMiB * (100_000 - world.EntityCount) / 100_000);
    var ratio = ingestPerSec / ceilingPerSec;

    var result = new SortedDictionary<string, object?>(StringComparer.Ordinal)
    {
        ["foldEventsPerSec"] = Math.Round(foldPerSec),
        ["parseEventsPerSec"] = Math.Round(parsePerSec),
        ["durableCeilingEventsPerSec"] = Math.Round(ceilingPerSec),
        ["ingestEventsPerSec"] = Math.Round(ingestPerSec),
        ["ingestToCeilingRatio"] = Math.Round(ratio, 3),
        ["ingestGrainDirectWarmEventsPerSec"] = grainPerSec is { } g ? Math.Round(g) : null,
        ["ingestHttpWarmEventsPerSec"] = warmHttpPerSec is { } w ? Math.Round(w) : null,
        ["ingestFailedBatches"] = failedBatches,
        ["getP50Ms"] = Math.Round(p50, 3),
        ["getP99Ms"] = Math.Round(p99, 3),
        ["getPerSec"] = Math.Round(getPerSec),
        ["getRequests"] = getRequests,
        ["getConnections"] = connections,
        ["rssAfterMiB"] = Math.Round(rssAfter, 1),
        ["rssMiBPer100kEntities"] = Math.Round(rssPer100k, 1),
        ["projectedRssMiBWith100kEntities"] = Math.Round(projectedRss100k, 1),
        ["entities"] = world.EntityCount,
        ["events"] = events,
        ["batchSize"] = batchSize,
        ["senders"] = senders,
        ["facedCountries"] = faced <= 0 ? world.Countries.Length : faced,
        ["processorCount"] = Environment.ProcessorCount,
        ["targetIngestHalfOfCeilingMet"] = ratio >= 0.5,
        ["targetGetP99Under5MsMet"] = p99 < 5,
        ["target100kEntitiesUnder1GiBMet"] = projectedRss100k < 1024,
    };

    Table(result);
    Console.Out.WriteLine(JsonSerializer.Serialize(result));
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

static int Flag(string[] args, string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static double Percentile(double[] sorted, double q) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

static void Progress(string message) => Console.Error.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {message}");

static void Tick(string phase, int done, int total)
{
    if (done % Math.Max(1, total / 10) == 0 || done == total)
    {
        Progress($"{phase}: {done}/{total} batches");
    }
}

static void Table(SortedDictionary<string, object?> result)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine($"{"metric",-36} {"value",16}");
    Console.Error.WriteLine(new string('-', 53));
    foreach (var (key, value) in result)
    {
        var text = value switch
        {
            double d when Math.Abs(d) >= 1000 => d.ToString("N0", CultureInfo.InvariantCulture),
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            null => "-",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        Console.Error.WriteLine($"{key,-36} {text,16}");
    }

    Console.Error.WriteLine();
}
