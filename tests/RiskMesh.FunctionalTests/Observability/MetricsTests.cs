using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using System.Net.Http.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Observability;

/// <summary>/metrics over real HTTP: RiskMesh's own metrics after an ingest, operators only; and one trace from HTTP to the grains.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private const int Events = 37;
    // Its webhook receiver listens on 127.0.0.1, which the webhook address policy refuses by default.
    private readonly RiskMeshHostFixture _host = RiskMeshHostFixture.Create("--RiskMesh:Webhooks:AllowLoopback=true");

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Metrics_AfterIngest_ShowRiskMeshCountersToOperatorsOnly()
    {
        var operatorKey = await _host.CreateKeyAsync("operator");
        var analystKey = await _host.CreateKeyAsync("analyst");
        using var operatorClient = _host.CreateClient(operatorKey);
        await _host.SetClockAsync("2020-04-20");

        // Other tests in this process share the static meter, so compare before and after rather than absolute values.
        var before = await ScrapeAsync(operatorClient);
        var source = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var batch = Json.Array([.. Enumerable.Range(0, Events).Select(i => (object)new
        {
            id = $"m-{i}", source, type = "country-cases", country = "MN", date = new DateOnly(2020, 4, 20).AddDays(-i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), newCases = i,
        })]);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostEventsAsync(batch)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostEventsAsync(batch)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.PostEventsAsync("""[{"id":"bad","type":"no-such-type"}]""")).StatusCode);

        // A notice stream held open while scraping shows as a listener.
        using var stream = await operatorClient.GetAsync("/api/v1/cities/suifenhe/notices/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        var after = before;
        // Bounded by time, not by tries: at load average 98 in a rehearsal, 50 tries of 200 ms were not enough.
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (DateTime.UtcNow < deadline && (Value(after, "riskmesh_ingest_events_duplicate_total") - Value(before, "riskmesh_ingest_events_duplicate_total") < Events
                                   || Value(after, "riskmesh_sse_listeners") < 1
                                   || !after.Contains("http_server_request_duration_seconds", StringComparison.Ordinal)))
        {
            // The exporter caches a scrape briefly, and the stream subscribes only once its headers are out: ask again.
            // ASP.NET Core's request histogram too (missing from one scrape in a CI rehearsal at load average 50, with
            // RiskMesh's counters already there, and again at load average 98 after 10 s; present on every run alone).
            await Task.Delay(200);
            after = await ScrapeAsync(operatorClient);
        }

        Assert.True(Value(after, "riskmesh_ingest_events_accepted_total") - Value(before, "riskmesh_ingest_events_accepted_total") >= Events, after);
        Assert.True(Value(after, "riskmesh_ingest_events_duplicate_total") - Value(before, "riskmesh_ingest_events_duplicate_total") >= Events, after);
        Assert.True(Value(after, "riskmesh_ingest_batches_total") - Value(before, "riskmesh_ingest_batches_total") >= 2, after);
        Assert.True(Value(after, "riskmesh_ingest_batches_rejected_total", "reason=\"invalid-events\"")
            - Value(before, "riskmesh_ingest_batches_rejected_total", "reason=\"invalid-events\"") >= 1, after);
        Assert.Contains("riskmesh_ingest_batch_duration_seconds_bucket", after, StringComparison.Ordinal);
        Assert.Contains("riskmesh_entity_activations_total", after, StringComparison.Ordinal);
        Assert.True(Value(after, "riskmesh_sse_listeners") >= 1, after);

        // ASP.NET Core and the runtime are exported beside RiskMesh's own (Orleans' meters: see the host-process test).
        Assert.Contains("http_server_request_duration_seconds", after, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", after, StringComparison.Ordinal);

        using var anonymous = _host.CreateClient();
        using var analyst = _host.CreateClient(analystKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/metrics")).StatusCode);
    }

    /// <remarks>
    /// Orleans binds its static instruments to the meter of the first host in a process; a test process that has started
    /// and stopped other hosts before has lost them, so Orleans' meters are checked on a host process of its own, as
    /// RiskMesh runs in production.
    /// </remarks>
    [Fact]
    public async Task Metrics_HostProcess_ExportsOrleansMetersBesideRiskMeshOwn()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-metrics-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var silo = await Durability.SiloProcess.StartAsync(dataDirectory);
            var adminKey = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "admin.key"))).Trim();
            using var admin = silo.CreateClient(adminKey);
            (await admin.GetAsync("/api/v1/clock")).EnsureSuccessStatusCode();
            var text = await ScrapeUntilAsync(admin, t => t.Contains("orleans_", StringComparison.Ordinal));
            Assert.Contains("orleans_", text, StringComparison.Ordinal);
            Assert.Contains("dotnet_gc_", text, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the stopping process: the temp folder is cleaned later.
            }
        }
    }

    [Fact]
    public async Task Metrics_NoticeToAWebhookThatIsDown_CountsTheNoticeFailuresAndOutboxDepth_ThenTheDelivery()
    {
        const string city = "dongning";
        using var scraper = _host.CreateClient(await _host.CreateKeyAsync("operator"));
        await using var receiver = await WebhookReceiver.StartAsync(down: true);
        var put = await _host.Admin.PutAsJsonAsync($"/api/v1/cities/{city}/webhooks", new[] { new { url = receiver.UrlOf("metrics"), secret = "secret-of-the-metrics-hook" } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var before = await ScrapeAsync(scraper);

        await _host.EscalateAsync(city, new DateOnly(2020, 4, 20));
        await receiver.WaitUntilAsync(r => r.Any(x => !x.Accepted), TimeSpan.FromSeconds(45), "a refused delivery");
        var down = await ScrapeUntilAsync(scraper, text => Value(text, "riskmesh_webhooks_outbox_depth") >= 1 && Value(text, "riskmesh_webhooks_failures_total") > Value(before, "riskmesh_webhooks_failures_total"));
        Assert.True(Value(down, "riskmesh_notices_issued_total") > Value(before, "riskmesh_notices_issued_total"), down);
        Assert.Contains("kind=\"", down.Split('\n').First(l => l.StartsWith("riskmesh_notices_issued_total", StringComparison.Ordinal)), StringComparison.Ordinal);

        receiver.Down = false;
        await receiver.WaitUntilAsync(r => r.Any(x => x.Accepted), TimeSpan.FromSeconds(45), "the delivery once the receiver is up");
        await ScrapeUntilAsync(scraper, text => Value(text, "riskmesh_webhooks_deliveries_total") > Value(before, "riskmesh_webhooks_deliveries_total"));
    }

    [Fact]
    public async Task Trace_IngestOverHttp_ReachesTheIngestGrainJournalAndEntityGrainsInOneTrace()
    {
        await _host.SetClockAsync("2020-04-20");
        var traceId = ActivityTraceId.CreateRandom();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.TraceId == traceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
        {
            Content = new StringContent(
                """[{"id":"trace-1","source":"trace-test","type":"country-cases","country":"KZ","date":"2020-04-19","newCases":5}]""",
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.Accepted, (await _host.Admin.SendAsync(request)).StatusCode);

        var names = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            names = [.. spans.Select(s => $"{s.Source.Name}: {s.DisplayName}")];
            if (names.Any(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(100);
        }

        var all = string.Join("\n", names);
        Assert.Contains(names, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && n.Contains("IIngestGrain", StringComparison.Ordinal));
        Assert.Contains(names, n => n == "RiskMesh: riskmesh.journal.append");
        Assert.True(names.Any(n => n.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && n.Contains("Country", StringComparison.Ordinal)), all);
    }

    private static async Task<string> ScrapeUntilAsync(HttpClient client, Func<string, bool> condition)
    {
        var text = "";
        for (var i = 0; i < 150; i++)
        {
            text = await ScrapeAsync(client);
            if (condition(text))
            {
                return text;
            }

            await Task.Delay(200);
        }

        Assert.Fail("The metrics never showed what was expected; last scrape:\n" + text);
        return text;
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return text;
    }

    /// <summary>The sum of a metric's series whose labels contain <paramref name="label"/>; 0 when absent.</summary>
    private static double Value(string exposition, string metric, string label = "")
    {
        var pattern = "^" + Regex.Escape(metric) + @"(\{[^}]*\})? (\S+)";
        return Regex.Matches(exposition, pattern, RegexOptions.Multiline)
            .Where(m => m.Groups[1].Value.Contains(label, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }
}
