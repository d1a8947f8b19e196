using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using RiskMesh.Abstractions;

namespace RiskMesh.Api.Notices;

/// <summary>
/// Fans a city's notices out to every SSE connection of this process: one Orleans observer per city, subscribed
/// while anybody listens and renewed before the city's observer registration expires. A city grain keeps its
/// observers in memory, so when it moves to another silo (a rolling restart, a crash) pushes stop until the next
/// renewal; each feed therefore also reads the city's stored notices after the last one it passed on every
/// <see cref="CatchUpEvery"/>, passes on what the pushes missed, in order, and subscribes again at once.
/// </summary>
public sealed class NoticeHub(IGrainFactory grains) : IAsyncDisposable
{
    /// <summary>How many notices a listener may fall behind before the hub closes it (it then resumes from Last-Event-ID).</summary>
    public const int ListenerCapacity = 256;

    /// <summary>How often observer registrations are renewed (the city forgets them after five minutes).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a feed reads the notices it may have missed: the longest a notice can be late on a stream when its
    /// city moved silos. Costs one grain call per watched city per API node per period, whatever the listener count.
    /// </summary>
    public static readonly TimeSpan CatchUpEvery = TimeSpan.FromSeconds(5);

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
            RiskMeshMetrics.SseListenerOpened();
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
        RiskMeshMetrics.SseListenerClosed();
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
        private readonly SemaphoreSlim _catchingUp = new(1, 1);
        private INoticeObserver? _reference;
        private Timer? _timer;
        private long _renewedAt = Stopwatch.GetTimestamp();

        // The last sequence passed on to the channels; notices go out in sequence order, each once. Null until known.
        private long? _passedOn;

        public Task OnNotice(NoticeView notice)
        {
            bool gap;
            lock (_channels)
            {
                gap = _passedOn is { } last && notice.Sequence > last + 1;
                if (_passedOn is { } passed && notice.Sequence == passed + 1)
                {
                    PassOn(notice);
                }
            }

            // An earlier notice has not arrived (pushes are one-way messages, and a moved city forgot this observer
            // for a while): read what is missing from the city, in order, rather than pass this one on out of turn.
            if (gap)
            {
                _ = CatchUpAsync();
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

            // Listeners read the backlog themselves after subscribing; the feed passes on only what comes after it. A
            // failure here fails the listener's request (retryable), rather than leave the feed without its baseline.
            var stored = await grains.GetGrain<ICityResponseGrain>(city).GetNotices(null, 0);
            lock (_channels)
            {
                _passedOn ??= stored.IsEmpty ? 0 : stored.Max(n => n.Sequence);
            }

            _timer = new Timer(_ => _ = TickAsync(), null, CatchUpEvery, CatchUpEvery);
        }

        public async Task StopAsync()
        {
            if (_timer is not null)
            {
                await _timer.DisposeAsync();
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

        private async Task TickAsync()
        {
            if (await CatchUpAsync() || Stopwatch.GetElapsedTime(_renewedAt) >= RenewEvery)
            {
                await Subscribe();
            }
        }

        /// <summary>Passes on, in order, the stored notices after the last one passed on; true when there were any.</summary>
        private async Task<bool> CatchUpAsync()
        {
            if (!await _catchingUp.WaitAsync(0))
            {
                return false;
            }

            try
            {
                long after;
                lock (_channels)
                {
                    if (_passedOn is null)
                    {
                        return false;
                    }

                    after = _passedOn.Value;
                }

                var stored = await grains.GetGrain<ICityResponseGrain>(city).GetNotices(null, after);
                var missed = false;
                lock (_channels)
                {
                    foreach (var notice in stored.Where(n => n.Sequence > _passedOn!.Value).OrderBy(n => n.Sequence))
                    {
                        PassOn(notice);
                        missed = true;
                    }
                }

                return missed;
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Tried again at the next tick.
                return false;
            }
            finally
            {
                _catchingUp.Release();
            }
        }

        // Called under the channels' lock.
        private void PassOn(NoticeView notice)
        {
            foreach (var channel in _channels)
            {
                Offer(channel, notice);
            }

            _passedOn = notice.Sequence;
        }

        private async Task Subscribe()
        {
            try
            {
                await grains.GetGrain<ICityResponseGrain>(city).SubscribeNotices(_reference!);
                _renewedAt = Stopwatch.GetTimestamp();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // A failed renewal is retried at the next tick; the catch-up passes on what pushes miss meanwhile.
            }
        }
    }
}
