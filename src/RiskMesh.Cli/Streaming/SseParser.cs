using System.Text;

namespace RiskMesh.Cli.Streaming;

/// <summary>
/// The text/event-stream format, fed one line at a time: <c>id:</c>, <c>event:</c> and <c>data:</c> fields, comments
/// starting with <c>:</c>, and a blank line that dispatches the event. The last id persists across events, as the
/// specification says, so it is what a reconnect sends as <c>Last-Event-ID</c>.
/// </summary>
internal sealed class SseParser
{
    private readonly StringBuilder _data = new();
    private string? _type;
    private bool _hasData;

    /// <summary>The id of the last event, or null before any.</summary>
    public string? LastEventId { get; private set; }

    /// <summary>The reconnection delay the server asked for, if any.</summary>
    public TimeSpan? Retry { get; private set; }

    /// <summary>Feeds a line (without its line break); returns an event when the line completes one.</summary>
    public SseEvent? Feed(string line)
    {
        if (line.Length == 0)
        {
            return Dispatch();
        }

        if (line[0] == ':')
        {
            return null;
        }

        var colon = line.IndexOf(':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? "" : line[(colon + 1)..];
        if (value.StartsWith(' '))
        {
            value = value[1..];
        }

        switch (field)
        {
            case "data":
                if (_hasData)
                {
                    _data.Append('\n');
                }

                _data.Append(value);
                _hasData = true;
                break;
            case "event":
                _type = value;
                break;
            case "id" when !value.Contains('\0'):
                LastEventId = value;
                break;
            case "retry" when int.TryParse(value, out var ms) && ms >= 0:
                Retry = TimeSpan.FromMilliseconds(ms);
                break;
        }

        return null;
    }

    /// <summary>Reads events from a stream until it ends.</summary>
    public async IAsyncEnumerable<SseEvent> ReadAsync(TextReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? line;
        while ((line = await reader.ReadLineAsync(cancellationToken)) is not null)
        {
            if (Feed(line) is { } sseEvent)
            {
                yield return sseEvent;
            }
        }
    }

    private SseEvent? Dispatch()
    {
        var type = string.IsNullOrEmpty(_type) ? "message" : _type;
        var hadData = _hasData;
        var data = _data.ToString();
        _data.Clear();
        _hasData = false;
        _type = null;
        return hadData ? new SseEvent(LastEventId, type, data) : null;
    }
}
