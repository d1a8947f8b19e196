using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>One POST the receiver got.</summary>
/// <param name="Path">The request path, e.g. <c>/hooks/a</c>.</param>
/// <param name="Body">The exact body bytes.</param>
/// <param name="Headers">Request headers (first value of each).</param>
/// <param name="Accepted">True when it was answered 200, false when answered 503 because the receiver was down.</param>
public sealed record ReceivedRequest(string Path, byte[] Body, IReadOnlyDictionary<string, string> Headers, bool Accepted);

/// <summary>
/// A real HTTP receiver for webhooks: Kestrel on 127.0.0.1 and a free port, recording every POST, answering 503 while
/// <see cref="Down"/> and 200 otherwise.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    /// <summary>While true, every POST is answered 503 (and still recorded).</summary>
    public bool Down { get; set; }

    /// <summary>The receiver's root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>The requests answered 200 on a path, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> AcceptedAt(string path) =>
        [.. _requests.Where(r => r.Accepted && r.Path == path)];

    /// <summary>Starts a receiver, down or up.</summary>
    public static async Task<WebhookReceiver> StartAsync(bool down)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { Down = down };
        app.MapPost("/hooks/{name}", (Func<HttpContext, Task<IResult>>)receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>The URL of a named hook on this receiver.</summary>
    public string UrlOf(string name) => $"{BaseUrl}/hooks/{name}";

    /// <summary>Waits until <paramref name="condition"/> holds over the requests, checking on each arrival; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Requests))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                Assert.Fail($"Timed out after {timeout} waiting for {what}; got {Requests.Count} requests: "
                    + string.Join(", ", Requests.Select(r => $"{r.Path} {(r.Accepted ? 200 : 503)} {r.Headers.GetValueOrDefault("X-RiskMesh-Notice-Id")}")));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var accepted = !Down;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(context.Request.Path.Value ?? "", buffer.ToArray(), headers, accepted));
        _arrived.Release();
        return accepted ? Results.Ok() : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }
}
