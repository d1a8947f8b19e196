using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// A rolling restart, as Kubernetes does one: each of three silos in turn gets SIGTERM, stops, and is started again,
/// while a client replays April 2020 day by day through the API node, a feed ingests steadily, and SSE streams and a
/// webhook receiver watch two cities' notices. Nothing acknowledged is lost or counted twice, every notice reaches both
/// SSE and the webhook, and no request gets a 5xx other than 503 with Retry-After.
/// </summary>
[Collection(ClusterProcesses.Collection)]
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private static readonly string[] Watched = ["suifenhe", "heihe"];
    private static readonly string[] FeedCities = ["khorgos", "alashankou", "tacheng"];

    /// <summary>
    /// The watched cities' notices as one process replaying the same days decides them (kind, day, level, port): the
    /// feed touches neither city, so a cluster restarted in turn must decide exactly these, none lost, none added.
    /// </summary>
    private static readonly Dictionary<string, string[]> Decided = new()
    {
        ["suifenhe"] =
        [
            // Newcomer 20b F3: its technicians short of target from its report of 1 April (6 per 100,000 against 10),
            // made good by its report of 14 April.
            "testing-shortfall 2020-04-01 1 -",
            "port-above-city 2020-04-04 2 suifenhe-road", "escalation 2020-04-05 2 -", "port-above-city 2020-04-05 3 suifenhe-road",
            "escalation 2020-04-07 3 -", "port-above-city 2020-04-07 4 suifenhe-road", "testing-shortfall-ended 2020-04-14 3 -", "escalation 2020-04-16 4 -",
            // Review 19 M4: the ports the city's step downs leave above it are told so (the road port at 4 on 2 May, the
            // rail port at 2 on 5 May), and the road port, now told, is followed up when no longer above (7 May).
            "de-escalation 2020-05-02 2 -", "port-above-city 2020-05-02 4 suifenhe-road",
            "de-escalation 2020-05-05 1 -", "port-above-city 2020-05-05 2 suifenhe-rail", "port-no-longer-above-city 2020-05-07 1 suifenhe-road",
        ],
        ["heihe"] = ["port-above-city 2020-04-16 2 heihe-river"],
    };

    private static readonly DateOnly First = new(2020, 3, 20);
    private static readonly DateOnly Last = new(2020, 5, 10);

    /// <summary>The host's shutdown timeout is 30 s; a silo that takes longer is killed by Kubernetes after its grace.</summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ThreeSilos_EachSigtermedAndRestartedInTurnDuringReplayAndIngest_NothingLost_EveryNoticeOnSseAndWebhook_OnlyRetryable503s()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        string[] loopback = ["--RiskMesh:Webhooks:AllowLoopback=true"];
        await using var cluster = await ClusterProcesses.StartAsync("rr", silos: 3, siloArgs: loopback, apiArgs: loopback);
        using var http = cluster.Api.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        var client = new ClusterWorkload(http, clock);
        await SetClockAsync(client, First);
        foreach (var city in Watched)
        {
            var put = await http.PutAsJsonAsync($"/api/v1/cities/{city}/webhooks", new[] { new { url = receiver.UrlOf(city), secret = "rolling-restart-secret-" + city } });
            Assert.True(put.IsSuccessStatusCode, $"PUT webhooks for {city}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }

        // The SSE readers outlive the feed: they must still be reading while the last notices of the replay (issued by
        // its last clock moves, or passed on by a feed's catch-up up to NoticeHub.CatchUpEvery later) come through.
        using var stopFeed = new CancellationTokenSource();
        using var stopStreams = new CancellationTokenSource();
        var streams = Watched.ToDictionary(c => c, c => new NoticeStream(cluster.Api.Process!.BaseAddress, cluster.AdminKey, c));
        var streamTasks = streams.Values.Select(s => s.RunAsync(stopStreams.Token)).ToList();
        await Task.WhenAll(streams.Values.Select(s => s.Connected.Task));

        // The feed: one local case in each feed city per batch, from a source of the batch's own, dated the clock's day.
        var day = First.DayNumber;
        var fed = new ConcurrentDictionary<int, DateOnly>();
        var feed = Task.Run(async () =>
        {
            for (var batch = 0; !stopFeed.IsCancellationRequested; batch++)
            {
                var date = DateOnly.FromDayNumber(Volatile.Read(ref day));
                await client.IngestAsync(FeedBatch(batch, date), TimeSpan.FromSeconds(90));
                fed[batch] = date;
                await Task.Delay(200);
            }
        });

        // The rolling restart: SIGTERM a silo, wait for it to end, start it again and wait until it is ready; next.
        var restarts = new List<string>();
        var restarting = new TaskCompletionSource();
        var rolling = Task.Run(async () =>
        {
            await restarting.Task;
            foreach (var silo in cluster.Silos)
            {
                var stoppingAt = clock.Elapsed;
                var took = await silo.StopAsync();
                var startingAt = clock.Elapsed;
                await silo.StartAsync();
                restarts.Add($"{silo.Name}: stopped in {took.TotalSeconds:F1} s (exit code {silo.LastExitCode}), ready again {(clock.Elapsed - startingAt).TotalSeconds:F1} s after its start; meanwhile {client.Describe(stoppingAt, clock.Elapsed)}");
                Assert.True(took < StopBound, $"{silo.Name} took {took.TotalSeconds:F1} s to stop");
                Assert.Equal(0, silo.LastExitCode);
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
        });

        // The replay: each day the clock moves, then that day's events; slowly while silos restart, then at full speed.
        var scenario = ScenarioByDay();
        for (var date = First; date <= Last; date = date.AddDays(1))
        {
            if (date > First)
            {
                // The day's events follow at once, as the CLI's replay sends them: the silo that ingests them must not
                // judge them by a day it cached before the clock moved through the API node.
                await SetClockAsync(client, date);
            }

            Volatile.Write(ref day, date.DayNumber);
            if (scenario.TryGetValue(date, out var events))
            {
                var (accepted, duplicates) = await client.IngestAsync(string.Join('\n', events), TimeSpan.FromSeconds(90));
                Assert.Equal(events.Count, accepted + duplicates);
            }

            if (date == First.AddDays(5))
            {
                restarting.SetResult();
            }

            if (!rolling.IsCompleted)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
        }

        await rolling;
        await stopFeed.CancelAsync();
        await feed;
        foreach (var line in restarts)
        {
            output.WriteLine(line);
        }

        // Each silo took load again after its restart: grains of the later restarts were placed on the earlier ones.
        var activations = await cluster.ActivationsBySiloPortAsync("Grain");
        output.WriteLine("activations after the restarts: " + string.Join(", ", cluster.Silos.Select(s => $"{s.Name} {activations.GetValueOrDefault(s.SiloPort)}")));
        foreach (var silo in cluster.Silos.SkipLast(1))
        {
            Assert.True(activations.GetValueOrDefault(silo.SiloPort) > 0, $"{silo.Name} hosts no grain after its restart");
        }

        // Counted once: each feed city's 14-day local cases are exactly the acknowledged feed events of those days.
        // A silo trusts the day it last read for 0.5 s (README, "Rolling restart"), so a view read right after the last
        // clock move may still be of the day before: wait for the view of the last day, then count.
        var window = fed.Values.Count(d => d > Last.AddDays(-14) && d <= Last);
        foreach (var city in FeedCities)
        {
            var view = await client.GetAsync($"/api/v1/cities/{city}", TimeSpan.FromSeconds(30));
            for (var tries = 0; view.GetProperty("asOf").GetString() != Last.ToString("yyyy-MM-dd") && tries < 20; tries++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
                view = await client.GetAsync($"/api/v1/cities/{city}", TimeSpan.FromSeconds(30));
            }

            Assert.Equal(Last.ToString("yyyy-MM-dd"), view.GetProperty("asOf").GetString());
            Assert.Equal(window, view.Metric("localCases14d"));
        }

        foreach (var (batch, date) in fed.Where(f => f.Key % 5 == 0))
        {
            Assert.Equal((0, FeedCities.Length), await client.IngestAsync(FeedBatch(batch, date), TimeSpan.FromSeconds(30)));
        }

        // Every notice as listed reached every SSE stream and the webhook, each once on SSE.
        foreach (var city in Watched)
        {
            var notices = (await client.GetAsync($"/api/v1/cities/{city}/notices", TimeSpan.FromSeconds(30))).EnumerateArray().ToList();
            var listed = notices.Select(n => n.GetProperty("id").GetString()!).ToList();
            Assert.Equal(Decided[city], notices.Select(n => $"{n.GetProperty("kind").GetString()} {n.GetProperty("date").GetString()} {n.GetProperty("newLevel").GetInt32()} {(n.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.String ? port.GetString() : "-")}"));
            var stream = streams[city];
            await WaitAsync(() => listed.All(stream.Received.Contains) || stream.Stopped, TimeSpan.FromSeconds(60), $"{city}: SSE to receive {string.Join(", ", listed)}; got {string.Join(", ", stream.Received)} over {stream.Connections} connection(s); errors: {string.Join("; ", stream.Errors)}");
            Assert.False(stream.Stopped, $"{city}: the SSE reader stopped before it received {string.Join(", ", listed.Except(stream.Received))}");
            await receiver.WaitUntilAsync(
                requests => listed.All(id => requests.Any(r => r.Accepted && r.Path == $"/hooks/{city}" && r.Headers.GetValueOrDefault("X-RiskMesh-Notice-Id") == id)),
                TimeSpan.FromSeconds(90),
                $"{city}: the webhook to receive {string.Join(", ", listed)}");
            var hooked = receiver.AcceptedAt($"/hooks/{city}").Select(r => r.Headers["X-RiskMesh-Notice-Id"]).ToList();
            output.WriteLine($"{city}: {listed.Count} notices listed; SSE received {stream.Received.Count} over {stream.Connections} connection(s); webhook {hooked.Count} deliveries of {hooked.Distinct().Count()} notices");
            Assert.Equal(listed, stream.Received);
            Assert.Equal(listed.Order(), hooked.Distinct().Order());
        }

        await stopStreams.CancelAsync();
        await Task.WhenAll(streamTasks);
        output.WriteLine($"all requests: {client.Describe(TimeSpan.Zero, clock.Elapsed)}; feed batches acknowledged: {fed.Count}");
        Assert.True(!client.Failures.Any(), "requests answered neither 2xx nor 503 with Retry-After: " + string.Join("; ", client.Failures.Select(f => $"{f.What} at {f.Start.TotalSeconds:F1} s: {f.Status} after {f.Took.TotalSeconds:F2} s {f.Detail}")));
    }

    private static async Task SetClockAsync(ClusterWorkload client, DateOnly date)
    {
        var body = JsonSerializer.Serialize(new { date = date.ToString("yyyy-MM-dd") });
        await client.PostJsonAsync("/api/v1/clock", body, TimeSpan.FromSeconds(90));
    }

    private static string FeedBatch(int batch, DateOnly date) => string.Join('\n', FeedCities.Select(city => JsonSerializer.Serialize(new
    {
        id = $"rr-{batch}-{city}",
        source = $"rr-{batch}",
        type = "case",
        location = $"city:{city}",
        date = date.ToString("yyyy-MM-dd"),
        count = 1,
        classification = "local-confirmed",
    })));

    /// <summary>The April 2020 scenario's events by their date.</summary>
    private static Dictionary<DateOnly, List<string>> ScenarioByDay() =>
        Directory.GetFiles(Path.Combine(Deployment.HostEnvironment.RepositoryRoot, "deploy", "scenarios", "april-2020"), "*.ndjson")
            .SelectMany(File.ReadLines)
            .Where(l => l.Trim().Length > 0)
            .GroupBy(l => DateOnly.Parse(JsonDocument.Parse(l).RootElement.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.ToList());

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// A city's notice stream as a browser's EventSource reads it: on any end or failure it reconnects after a moment
    /// with Last-Event-ID, so it resumes where it was. Records every notice id in order of arrival.
    /// </summary>
    private sealed class NoticeStream(Uri api, string key, string city)
    {
        private readonly List<string> _received = [];
        private string? _lastEventId;
        private volatile bool _stopped;

        public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Connections { get; private set; }

        /// <summary>True once <see cref="RunAsync"/> returned: nothing more is received.</summary>
        public bool Stopped => _stopped;

        public List<string> Errors { get; } = [];

        public List<string> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public async Task RunAsync(CancellationToken stop)
        {
            try
            {
                await ReadAsync(stop);
            }
            finally
            {
                _stopped = true;
            }
        }

        private async Task ReadAsync(CancellationToken stop)
        {
            using var http = new HttpClient { BaseAddress = api, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cities/{city}/notices/stream");
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                    if (_lastEventId is not null)
                    {
                        request.Headers.Add("Last-Event-ID", _lastEventId);
                    }

                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
                    if (!response.IsSuccessStatusCode)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), stop);
                        continue;
                    }

                    Connections++;
                    await using var body = await response.Content.ReadAsStreamAsync(stop);
                    await foreach (var item in SseParser.Create(body).EnumerateAsync(stop))
                    {
                        Connected.TrySetResult();
                        if (item.EventType != "notice" || item.Data.Length == 0)
                        {
                            continue;
                        }

                        using var notice = JsonDocument.Parse(item.Data);
                        lock (_received)
                        {
                            _received.Add(notice.RootElement.GetProperty("id").GetString()!);
                        }

                        _lastEventId = item.EventId;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // The stream broke: reconnect as EventSource does.
                    lock (_received)
                    {
                        Errors.Add(ex.GetType().Name + ": " + ex.Message);
                    }
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
