using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskMesh.Bench;

/// <summary>Latencies of a GET load: percentiles in milliseconds, throughput, and answers that were not 2xx.</summary>
public sealed record GetLoadResult(double P50Ms, double P99Ms, double PerSec, long Requests, long Errors, string Generator)
{
    /// <summary>Each answered request's send and answer times, when the load was asked to keep them (in-process only).</summary>
    [JsonIgnore]
    public IReadOnlyList<RequestSpan> Spans { get; init; } = [];
}

/// <summary>
/// Closed-loop GET load: <c>connections</c> loops, each sending its next request when the last one is answered, over
/// random paths; used in-process and, as <c>get-client</c>, from a separate process.
/// </summary>
public static class GetLoad
{
    /// <summary>The command that runs this load as a separate process and prints its result as JSON.</summary>
    public const string ClientCommand = "get-client";

    /// <summary>Runs the load for <paramref name="duration"/>; with <paramref name="keepSpans"/>, keeps when each request was sent and answered.</summary>
    public static async Task<GetLoadResult> RunAsync(HttpClient http, IReadOnlyList<string> paths, int connections, TimeSpan duration, string generator, bool keepSpans = false)
    {
        var errors = 0L;
        var watch = Stopwatch.StartNew();
        var perWorker = await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var latencies = new List<double>();
            var spans = keepSpans ? new List<RequestSpan>() : null;
            var buffer = new byte[16 * 1024];
            while (watch.Elapsed < duration)
            {
                var path = paths[random.Next(paths.Count)];
                var start = Stopwatch.GetTimestamp();
                try
                {
                    // Every body is read to its end, into this loop's own buffer rather than a new array per response
                    // (ResponseContentRead): in-process, the client's garbage is collected with the host's and its
                    // pauses stop the host, which a client in another process would not do.
                    using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                    await using (var body = await response.Content.ReadAsStreamAsync())
                    {
                        while (await body.ReadAsync(buffer) > 0)
                        {
                        }
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        var end = Stopwatch.GetTimestamp();
                        latencies.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
                        spans?.Add(new RequestSpan(start, end));
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }

            return (latencies, spans);
        })));
        watch.Stop();
        var all = perWorker.SelectMany(w => w.latencies).ToArray();
        Array.Sort(all);
        return new GetLoadResult(Percentile(all, 0.50), Percentile(all, 0.99), all.Length / watch.Elapsed.TotalSeconds, all.Length, errors, generator)
        {
            Spans = keepSpans ? [.. perWorker.SelectMany(w => w.spans!)] : [],
        };
    }

    /// <summary>
    /// <c>get-client URL PATHS_FILE SECONDS CONNECTIONS</c>, key in <c>RISKMESH_API_KEY</c>: a 2 s warm-up, then the load;
    /// prints the result as one JSON line.
    /// </summary>
    public static async Task<int> ClientMainAsync(string[] args)
    {
        if (args.Length != 4)
        {
            await Console.Error.WriteLineAsync($"usage: {ClientCommand} URL PATHS_FILE SECONDS CONNECTIONS (key in RISKMESH_API_KEY)");
            return 2;
        }

        var key = Environment.GetEnvironmentVariable("RISKMESH_API_KEY") ?? "";
        var paths = await File.ReadAllLinesAsync(args[1]);
        var seconds = int.Parse(args[2], CultureInfo.InvariantCulture);
        var connections = int.Parse(args[3], CultureInfo.InvariantCulture);
        using var http = Client(new Uri(args[0]), key, connections);
        await RunAsync(http, paths, connections, TimeSpan.FromSeconds(2), "warm-up");
        var result = await RunAsync(http, paths, connections, TimeSpan.FromSeconds(seconds), "bench client process");
        Console.Out.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>An HTTP client for GET load: one pooled connection per loop, the key in the header.</summary>
    public static HttpClient Client(Uri baseAddress, string apiKey, int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    /// <summary>The q-quantile of sorted values (nearest rank).</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
}
