using System.Text.Json;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>One Server-Sent Event as read off the wire.</summary>
internal sealed record SseEvent(string? Id, string? Event, string Data)
{
    /// <summary>The data as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>Reads an open SSE response line by line, as a browser's EventSource would.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private Task<string?>? _pendingLine;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    /// <summary>The raw lines read so far, for failure messages.</summary>
    public List<string> Lines { get; } = [];

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

    /// <summary>The next event, or null when none completes within the timeout.</summary>
    public async Task<SseEvent?> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? id = null;
        string? kind = null;
        var data = new List<string>();
        while (true)
        {
            _pendingLine ??= _reader.ReadLineAsync();
            var finished = await Task.WhenAny(_pendingLine, Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default));
            if (finished != _pendingLine)
            {
                // The unfinished read stays pending for the next call, so no line is lost.
                return null;
            }

            var line = await _pendingLine;
            _pendingLine = null;
            if (line is null)
            {
                return null;
            }

            Lines.Add(line);
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    return new SseEvent(id, kind, string.Join('\n', data));
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "event":
                    kind = value;
                    break;
                case "data":
                    data.Add(value);
                    break;
            }
        }
    }

    /// <summary>Reads events until one satisfies the condition; fails after the timeout.</summary>
    public async Task<List<SseEvent>> ReadUntilAsync(Func<List<SseEvent>, bool> done, TimeSpan timeout)
    {
        var events = new List<SseEvent>();
        var until = DateTime.UtcNow + timeout;
        while (!done(events))
        {
            var left = until - DateTime.UtcNow;
            var next = left > TimeSpan.Zero ? await NextAsync(left) : null;
            Assert.True(next is not null, "The stream ended or went quiet; lines so far:\n" + string.Join('\n', Lines));
            events.Add(next!);
        }

        return events;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
