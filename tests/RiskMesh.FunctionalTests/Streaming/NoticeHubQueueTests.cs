using RiskMesh.Abstractions;
using RiskMesh.Api.Notices;

namespace RiskMesh.FunctionalTests.Streaming;

/// <summary>The per-listener queue behind each SSE connection: bounded, and closed (not silently thinned) when full.</summary>
public sealed class NoticeHubQueueTests
{
    [Fact]
    public async Task Offer_ListenerThatNeverReads_QueueStopsAtCapacityAndCloses_ReaderGetsWhatItHeldInOrder()
    {
        var channel = NoticeHub.CreateListenerChannel();

        var accepted = Enumerable.Range(1, NoticeHub.ListenerCapacity + 10).Select(i => NoticeHub.Offer(channel, Notice(i))).ToList();

        Assert.All(accepted.Take(NoticeHub.ListenerCapacity), Assert.True);
        Assert.All(accepted.Skip(NoticeHub.ListenerCapacity), Assert.False);
        var read = new List<long>();
        await foreach (var notice in channel.Reader.ReadAllAsync())
        {
            read.Add(notice.Notice!.Sequence);
        }

        // The reader drains what was queued and then sees the end, so the SSE stream closes and the client resumes.
        Assert.Equal(Enumerable.Range(1, NoticeHub.ListenerCapacity).Select(i => (long)i), read);
        Assert.True(channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Offer_ListenerThatKeepsUp_NeverCloses()
    {
        var channel = NoticeHub.CreateListenerChannel();

        for (var i = 1; i <= NoticeHub.ListenerCapacity * 3; i++)
        {
            Assert.True(NoticeHub.Offer(channel, Notice(i)));
            Assert.True(channel.Reader.TryRead(out var notice));
            Assert.Equal(i, notice.Notice!.Sequence);
        }

        Assert.False(channel.Reader.Completion.IsCompleted);
    }

    private static NoticeView Notice(long sequence) => new(
        $"heihe-{sequence}", "heihe", sequence, "escalation", 1, 2, 30, null, [], [], new DateOnly(2020, 4, 10),
        DateTimeOffset.UnixEpoch, "open", null, null);
}
