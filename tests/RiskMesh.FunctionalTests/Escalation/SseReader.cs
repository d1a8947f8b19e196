using System.Net.ServerSentEvents;
using System.Text.Json;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>One Server-Sent Event as read off the wire.</summary>
internal sealed record SseEvent(string? Id, string? Event, string Data)
{
    /// <summary>The data as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>Reads an open SSE response with the framework's <see cref="SseParser"/>, as the CLI does.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;
    private Task<bool>? _pendingMove;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    /// <summary>Every event read so far, empty ones included, for failure messages.</summary>
    public List<string> Seen { get; } = [];

    /// <summary>Opens the stream; the response must be 200 with text/event-stream.</summary>
    public static async Task<SseReader> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"GET {path} answered {(int)response.StatusCode}: {text}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>
    /// The next event with data (empty connected and keep-alive events are skipped, as EventSource does; so are clock
    /// events unless <paramref name="clock"/>, as a reader of notices such as the CLI skips them), or null when none
    /// comes within the timeout.
    /// </summary>
    public async Task<SseEvent?> NextAsync(TimeSpan timeout, bool clock = false)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            _pendingMove ??= _items.MoveNextAsync().AsTask();
            var finished = await Task.WhenAny(_pendingMove, Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
            if (finished != _pendingMove)
            {
                // The unfinished read stays pending for the next call, so no event is lost.
                return null;
            }

            var moved = await _pendingMove;
            _pendingMove = null;
            if (!moved)
            {
                return null;
            }

            var item = _items.Current;
            Seen.Add($"id={item.EventId} event={item.EventType} data={item.Data}");
            if (item.Data.Length > 0 && (clock || item.EventType != "clock"))
            {
                return new SseEvent(item.EventId, item.EventType, item.Data);
            }
        }
    }

    /// <summary>Reads events (clock events too when <paramref name="clock"/>) until they satisfy the condition; fails after the timeout.</summary>
    public async Task<List<SseEvent>> ReadUntilAsync(Func<List<SseEvent>, bool> done, TimeSpan timeout, bool clock = false)
    {
        var events = new List<SseEvent>();
        var until = DateTime.UtcNow + timeout;
        while (!done(events))
        {
            var left = until - DateTime.UtcNow;
            var next = left > TimeSpan.Zero ? await NextAsync(left, clock) : null;
            Assert.True(next is not null, "The stream ended or went quiet; events so far:\n" + string.Join('\n', Seen));
            events.Add(next!);
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the response ends a pending read; its outcome no longer matters.
        _response.Dispose();
        if (_pendingMove is not null)
        {
            await _pendingMove.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await _items.DisposeAsync();
    }
}
