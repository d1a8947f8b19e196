using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>One HTTP request a cluster test made: when, how long, and what came back.</summary>
/// <param name="What">Method and path.</param>
/// <param name="Start">Time since the test's clock started.</param>
/// <param name="Took">How long the answer took.</param>
/// <param name="Status">HTTP status, or 0 when no answer came.</param>
/// <param name="RetryAfter">Whether a Retry-After header came with it.</param>
/// <param name="Detail">The start of the answer's body when it was not a success.</param>
public sealed record Attempt(string What, TimeSpan Start, TimeSpan Took, int Status, bool RetryAfter, string? Detail = null)
{
    /// <summary>When the answer came, on the test's clock.</summary>
    public TimeSpan End => Start + Took;

    /// <summary>A 503 with Retry-After: the only failure a client of a failing-over cluster may see.</summary>
    public bool IsRetryableRefusal => Status == (int)HttpStatusCode.ServiceUnavailable && RetryAfter;
}

/// <summary>
/// A feed client as a cluster test needs it: sends batches through the API node, honours Retry-After on 503 and
/// resends the same batch until it is acknowledged (safe: duplicates are ignored), and records every request.
/// </summary>
public sealed class ClusterWorkload(HttpClient api, Stopwatch clock)
{
    private readonly List<Attempt> _attempts = [];

    /// <summary>Every request made so far.</summary>
    public List<Attempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Requests that got neither a success nor a 503 with Retry-After.</summary>
    public IEnumerable<Attempt> Failures => Attempts.Where(a => a.Status is not (>= 200 and < 300) && !a.IsRetryableRefusal);

    /// <summary>
    /// Posts an NDJSON batch until it is acknowledged; returns (accepted, duplicates). A request that gets no answer
    /// within the client's timeout is recorded with status 0 and retried.
    /// </summary>
    public async Task<(int Accepted, int Duplicates)> IngestAsync(string ndjson, TimeSpan budget)
    {
        var deadline = clock.Elapsed + budget;
        while (true)
        {
            var (response, body) = await SendAsync("POST /api/v1/events", () => api.PostAsync("/api/v1/events", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson")));
            if (response?.StatusCode == HttpStatusCode.Accepted)
            {
                using var json = JsonDocument.Parse(body);
                return (json.RootElement.GetProperty("accepted").GetInt32(), json.RootElement.GetProperty("duplicates").GetInt32());
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"a batch was not acknowledged within {budget}; last answer {(int?)response?.StatusCode}: {body}");
            }

            await Task.Delay(WaitBeforeRetry(response));
        }
    }

    /// <summary>POSTs a JSON body until it answers a success (503s are retried after Retry-After).</summary>
    public async Task PostJsonAsync(string path, string json, TimeSpan budget)
    {
        var deadline = clock.Elapsed + budget;
        while (true)
        {
            var (response, body) = await SendAsync("POST " + path, () => api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")));
            if (response?.IsSuccessStatusCode == true)
            {
                return;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"POST {path} did not succeed within {budget}; last answer {(int?)response?.StatusCode}: {body}");
            }

            await Task.Delay(WaitBeforeRetry(response));
        }
    }

    /// <summary>GETs a path until it answers 200 (503s are retried after Retry-After), and returns its JSON.</summary>
    public async Task<JsonElement> GetAsync(string path, TimeSpan budget)
    {
        var deadline = clock.Elapsed + budget;
        while (true)
        {
            var (response, body) = await SendAsync("GET " + path, () => api.GetAsync(path));
            if (response?.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(body).RootElement.Clone();
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"GET {path} did not succeed within {budget}; last answer {(int?)response?.StatusCode}: {body}");
            }

            await Task.Delay(WaitBeforeRetry(response));
        }
    }

    /// <summary>One line describing the requests that overlap a period (in flight at its start included): count, refusals, slowest.</summary>
    public string Describe(TimeSpan from, TimeSpan to)
    {
        var period = Attempts.Where(a => a.End >= from && a.Start < to).ToList();
        return period.Count == 0
            ? "no requests"
            : $"{period.Count} requests, {period.Count(a => a.IsRetryableRefusal)} answered 503 with Retry-After, slowest {period.Max(a => a.Took).TotalSeconds:F2} s";
    }

    private static TimeSpan WaitBeforeRetry(HttpResponseMessage? response) =>
        response?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);

    private async Task<(HttpResponseMessage? Response, string Body)> SendAsync(string what, Func<Task<HttpResponseMessage>> send)
    {
        var start = clock.Elapsed;
        try
        {
            var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            var detail = response.IsSuccessStatusCode ? null : body[..Math.Min(body.Length, 300)];
            Record(new Attempt(what, start, clock.Elapsed - start, (int)response.StatusCode, response.Headers.RetryAfter is not null, detail));
            return (response, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Record(new Attempt(what, start, clock.Elapsed - start, 0, false));
            return (null, ex.Message);
        }
    }

    private void Record(Attempt attempt)
    {
        lock (_attempts)
        {
            _attempts.Add(attempt);
        }
    }
}
