using RiskMesh.Cli.Streaming;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class SseParserTests
{
    [Fact]
    public async Task ReadAsync_NoticeEvents_YieldsIdTypeAndData()
    {
        var text = ": keep-alive\n\nid: 1\nevent: notice\ndata: {\"a\":1}\n\nid: 2\nevent: notice\ndata: {\"b\":\ndata: 2}\n\n";
        var parser = new SseParser();

        var events = new List<SseEvent>();
        await foreach (var e in parser.ReadAsync(new StringReader(text), CancellationToken.None))
        {
            events.Add(e);
        }

        Assert.Equal(2, events.Count);
        Assert.Equal(new SseEvent("1", "notice", "{\"a\":1}"), events[0]);
        Assert.Equal(new SseEvent("2", "notice", "{\"b\":\n2}"), events[1]);
        Assert.Equal("2", parser.LastEventId);
    }

    [Fact]
    public void Feed_EventWithoutData_NotDispatchedButIdRemembered()
    {
        var parser = new SseParser();

        Assert.Null(parser.Feed("id: 7"));
        Assert.Null(parser.Feed(""));
        Assert.Equal("7", parser.LastEventId);
        Assert.Null(parser.Feed("data:x"));
        Assert.Equal(new SseEvent("7", "message", "x"), parser.Feed(""));
    }

    [Fact]
    public void Feed_IncompleteEventAtEnd_NotDispatched()
    {
        var parser = new SseParser();

        Assert.Null(parser.Feed("event: notice"));
        Assert.Null(parser.Feed("data: half"));
    }

    [Fact]
    public void Feed_RetryField_Read()
    {
        var parser = new SseParser();

        parser.Feed("retry: 2500");

        Assert.Equal(TimeSpan.FromMilliseconds(2500), parser.Retry);
    }
}
