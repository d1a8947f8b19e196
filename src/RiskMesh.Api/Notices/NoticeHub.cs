using System.Collections.Concurrent;
using System.Threading.Channels;
using RiskMesh.Abstractions;

namespace RiskMesh.Api.Notices;

/// <summary>
/// Fans a city's notices out to every SSE connection of this process: one Orleans observer per city, subscribed
/// while anybody listens and renewed before the city's observer registration expires.
/// </summary>
public sealed class NoticeHub(IGrainFactory grains) : IAsyncDisposable
{
    /// <summary>How many notices a listener may fall behind before the hub closes it (it then resumes from Last-Event-ID).</summary>
    public const int ListenerCapacity = 256;

    /// <summary>How often observer registrations are renewed (the city forgets them after five minutes).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, CityFeed> _feeds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile bool _closed;

    /// <summary>Starts listening to a city; the returned reader sees every notice issued from now on.</summary>
    public async Task<Listener> ListenAsync(string city)
    {
        await _lock.WaitAsync();
        try
        {
            if (_closed)
            {
                // The host is stopping: a stream opened now ends at once, and its client resumes elsewhere or later.
                var ended = Channel.CreateUnbounded<NoticeView>();
                ended.Writer.TryComplete();
                return new Listener(ended.Reader, () => Task.CompletedTask);
            }

            if (!_feeds.TryGetValue(city, out var feed))
            {
                feed = new CityFeed(grains, city);
                await feed.StartAsync();
                _feeds[city] = feed;
            }

            var channel = CreateListenerChannel();
            feed.Add(channel);
            RiskMeshMetrics.SseListeners.Add(1);
            return new Listener(channel.Reader, () => Remove(city, feed, channel));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A listener's queue: bounded, so a stalled connection cannot hold notices without limit (see <see cref="Offer"/>).</summary>
    public static Channel<NoticeView> CreateListenerChannel() =>
        Channel.CreateBounded<NoticeView>(new BoundedChannelOptions(ListenerCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>
    /// Hands a notice to a listener; false when its queue was full, in which case the queue is closed. A listener that far
    /// behind is closed rather than fed selectively: its stream ends after what it holds, and the client reconnects with
    /// Last-Event-ID, reading what it missed from the city's stored notices.
    /// </summary>
    public static bool Offer(Channel<NoticeView> channel, NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Writer.TryWrite(notice))
        {
            return true;
        }

        channel.Writer.TryComplete();
        return false;
    }

    /// <summary>
    /// Ends every stream (their readers complete) and refuses new ones; called when the host starts stopping, so
    /// that open SSE connections close at once instead of holding the shutdown until its timeout.
    /// </summary>
    public void CloseAll()
    {
        _closed = true;
        foreach (var feed in _feeds.Values)
        {
            feed.CompleteAll();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var feed in _feeds.Values)
        {
            await feed.StopAsync();
        }

        _feeds.Clear();
        _lock.Dispose();
    }

    private async Task Remove(string city, CityFeed feed, Channel<NoticeView> channel)
    {
        RiskMeshMetrics.SseListeners.Add(-1);
        await _lock.WaitAsync();
        try
        {
            if (feed.Remove(channel) == 0 && _feeds.TryRemove(city, out _))
            {
                await feed.StopAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A listener's notices; dispose to stop listening.</summary>
    public sealed class Listener(ChannelReader<NoticeView> reader, Func<Task> stop) : IAsyncDisposable
    {
        /// <summary>Notices as they arrive.</summary>
        public ChannelReader<NoticeView> Reader { get; } = reader;

        /// <inheritdoc />
        public async ValueTask DisposeAsync() => await stop();
    }

    private sealed class CityFeed(IGrainFactory grains, string city) : INoticeObserver
    {
        private readonly List<Channel<NoticeView>> _channels = [];
        private INoticeObserver? _reference;
        private Timer? _renewal;

        public Task OnNotice(NoticeView notice)
        {
            lock (_channels)
            {
                foreach (var channel in _channels)
                {
                    Offer(channel, notice);
                }
            }

            return Task.CompletedTask;
        }

        public void Add(Channel<NoticeView> channel)
        {
            lock (_channels)
            {
                _channels.Add(channel);
            }
        }

        public void CompleteAll()
        {
            lock (_channels)
            {
                foreach (var channel in _channels)
                {
                    channel.Writer.TryComplete();
                }
            }
        }

        public int Remove(Channel<NoticeView> channel)
        {
            lock (_channels)
            {
                _channels.Remove(channel);
                channel.Writer.TryComplete();
                return _channels.Count;
            }
        }

        public async Task StartAsync()
        {
            _reference = grains.CreateObjectReference<INoticeObserver>(this);
            await Subscribe();
            _renewal = new Timer(_ => _ = Subscribe(), null, RenewEvery, RenewEvery);
        }

        public async Task StopAsync()
        {
            if (_renewal is not null)
            {
                await _renewal.DisposeAsync();
            }

            if (_reference is not null)
            {
                try
                {
                    await grains.GetGrain<ICityResponseGrain>(city).UnsubscribeNotices(_reference);
                }
                catch (Exception ex) when (ex is OrleansException or TimeoutException)
                {
                    // The city forgets an observer that is not renewed anyway.
                }

                grains.DeleteObjectReference<INoticeObserver>(_reference);
            }
        }

        private async Task Subscribe()
        {
            try
            {
                await grains.GetGrain<ICityResponseGrain>(city).SubscribeNotices(_reference!);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // A failed renewal is retried at the next tick; SSE clients resume from Last-Event-ID meanwhile.
            }
        }
    }
}
