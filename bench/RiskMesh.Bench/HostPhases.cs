using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Silo;

namespace RiskMesh.Bench;

/// <summary>The real embedded host, started in this process, and the measurements taken through its HTTP API.</summary>
public sealed class HostPhases : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private const int MaxIngestAttempts = 5;
    private int _failedBatches;
    private int _retriedBatches;

    private HostPhases(WebApplication app, HttpClient http, string apiKey, GrainCallCounter calls)
    {
        _app = app;
        Calls = calls;
        _http = http;
        ApiKey = apiKey;
    }

    /// <summary>The grain calls the host's silo received, counted by the bench.</summary>
    public GrainCallCounter Calls { get; }

    /// <summary>The host's HTTP address.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>The admin key the bench signs in with.</summary>
    public string ApiKey { get; }

    /// <summary>Starts the host on free loopback ports with its data in <paramref name="dataDirectory"/>, and signs in as admin.</summary>
    public static async Task<HostPhases> StartAsync(string dataDirectory)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        string[] args =
        [
            "--urls", url,
            $"--RiskMesh:DataDirectory={dataDirectory}",
            $"--RiskMesh:SiloPort={FreePort()}",
            $"--RiskMesh:GatewayPort={FreePort()}",
        ];
        var builder = RiskMeshApp.CreateBuilder(args);

        // stdout carries only the JSON result: the host logs to stderr, at the levels of the shipped appsettings.json.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        var calls = new GrainCallCounter();
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(calls);
        var app = RiskMeshApp.Build(builder);
        await app.StartAsync();

        var keyFile = Path.Combine(dataDirectory, "admin.key");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(keyFile) || new FileInfo(keyFile).Length == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no admin key appeared at {keyFile}");
            }

            await Task.Delay(100);
        }

        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        return new HostPhases(app, http, key, calls);
    }

    /// <summary>Sets the replay clock and installs the generated topology.</summary>
    public async Task PrepareAsync(Workload world)
    {
        await Ensure(await _http.PostAsync("/api/v1/clock", Json($$"""{"date":"{{Workload.Today:yyyy-MM-dd}}"}""")));
        var current = await _http.GetStringAsync("/api/v1/topology");
        var extended = world.ExtendTopology(current);
        // A bulk install of a new world: its new cities of new ports are not evaluated at the PUT (that would activate every
        // grain it adds before the cold ingest); they decide at their first event, as the ingest measures.
        await Ensure(await _http.PutAsync("/api/v1/topology?evaluateNewCities=false", Json(extended)));
        TopologyChars = extended.Length;
        StoredTopologyChars = (await _http.GetStringAsync("/api/v1/topology")).Length;
    }

    /// <summary>Length of the topology the bench sent, in characters.</summary>
    public int TopologyChars { get; private set; }

    /// <summary>Length of the topology as the host stores and answers it, in characters.</summary>
    public int StoredTopologyChars { get; private set; }

    /// <summary>Ingest tries answered 503 and retried.</summary>
    public int RetriedBatches => _retriedBatches;

    /// <summary>Batches that failed (error answer or timeout) in the ingest runs so far; their events count as not accepted.</summary>
    public int FailedBatches => _failedBatches;

    /// <summary>Posts the batches over HTTP with <paramref name="senders"/> concurrent senders; accepted events per second.</summary>
    public async Task<double> IngestHttpAsync(IReadOnlyList<byte[]> batches, int senders, Action<int> progress)
    {
        return await Senders(batches, senders, progress, async body =>
        {
            // As a feed would: a 503 (the silo too busy or failing over) is retried after its Retry-After, and
            // events stored by an earlier try then count as duplicates, not twice.
            for (var attempt = 1; ; attempt++)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var response = await _http.PostAsync("/api/v1/events", content);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    return ReadAccepted(text);
                }

                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == MaxIngestAttempts)
                {
                    throw new InvalidOperationException($"ingest answered {(int)response.StatusCode} (try {attempt}): {text}");
                }

                Interlocked.Increment(ref _retriedBatches);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2));
            }
        });
    }

    /// <summary>The same, straight to the ingest grain (no HTTP, no auth): splits HTTP cost from the silo's.</summary>
    public async Task<double> IngestGrainAsync(IReadOnlyList<byte[]> batches, int senders, Action<int> progress)
    {
        var grain = _app.Services.GetRequiredService<IGrainFactory>().GetGrain<IIngestGrain>(GrainKeys.Singleton);
        return await Senders(batches, senders, progress, async body =>
        {
            var result = await grain.Ingest(body, IngestFormat.NdJson);
            return result.Rejected ? throw new InvalidOperationException("ingest grain rejected a batch") : result.Accepted;
        });
    }

    /// <summary>
    /// Activates every country, port and city of <paramref name="world"/> with a call that changes nothing (following a
    /// topology version every silo already has), 256 at a time; activations per second.
    /// </summary>
    public async Task<double> ActivateEveryEntityAsync(Workload world)
    {
        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        var keys = world.Countries.Select(code => (IRiskEntityGrain)grains.GetGrain<ICountryGrain>(code))
            .Concat(world.Ports.Select(id => (IRiskEntityGrain)grains.GetGrain<IPortGrain>(id)))
            .Concat(world.Cities.Select(id => (IRiskEntityGrain)grains.GetGrain<ICityGrain>(id)))
            .ToArray();
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 256).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < keys.Length)
            {
                await keys[index].FollowTopology(0);
            }
        })));
        return keys.Length / watch.Elapsed.TotalSeconds;
    }

    /// <summary>GETs every path once, from <paramref name="connections"/> loops; views per second.</summary>
    public async Task<double> ReadEveryViewOnceAsync(IReadOnlyList<string> paths, int connections)
    {
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < paths.Count)
            {
                using var response = await _http.GetAsync(paths[index]);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET {paths[index]} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        return paths.Count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>GETs random <paramref name="paths"/> from <paramref name="connections"/> loops in this process, keeping each request's span.</summary>
    public Task<GetLoadResult> GetLoadAsync(IReadOnlyList<string> paths, int connections, TimeSpan duration) =>
        GetLoad.RunAsync(_http, paths, connections, duration, "in-process client", keepSpans: true);

    /// <summary>Managed heap after a full collection, in MiB.</summary>
    public static double ManagedAfterGcMiB() => GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);

    /// <summary>Working set after a full, compacting collection that also returns free memory to the OS, in MiB.</summary>
    public static double RssAfterGcMiB()
    {
        // Aggressive: a forced collection alone leaves the server GC's freed regions committed, which is memory the
        // process could give back rather than memory its live objects need.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<double> Senders(IReadOnlyList<byte[]> batches, int senders, Action<int> progress, Func<byte[], Task<int>> send)
    {
        var next = -1;
        var accepted = 0L;
        var done = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                try
                {
                    Interlocked.Add(ref accepted, await send(batches[index]));
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException)
                {
                    // A failed batch is reported and left out of the rate, so one slow batch does not lose the whole run.
                    Interlocked.Increment(ref _failedBatches);
                    await Console.Error.WriteLineAsync($"[bench] batch {index} failed: {ex.Message.Split('\n')[0]}");
                }

                progress(Interlocked.Increment(ref done));
            }
        })));
        watch.Stop();
        return accepted / watch.Elapsed.TotalSeconds;
    }

    private static int ReadAccepted(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("accepted").GetInt32();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task Ensure(HttpResponseMessage response)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    // A free port below Linux's ephemeral range (32768-60999 by default): a port the kernel handed out for one
    // listener and took back may next be the local end of one of the bench's own outgoing connections, and a host
    // started on it then failed to bind ("address already in use") once the warm-up started a host per round.
    private static int FreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
                // Taken: try another.
            }
        }
    }
}
