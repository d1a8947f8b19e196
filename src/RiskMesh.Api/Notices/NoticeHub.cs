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
/// <para>
/// The clock's day travels the same way: while any stream is open, the hub is subscribed to the clock grain, which tells
/// every subscribed node each time the clock is set, and it reads the clock every <see cref="ClockCatchUpEvery"/> (the
/// live clock's midnight sets nothing; a clock grain that moved silos forgot its observers until they renew). Each
/// listener is handed the day as it starts listening, then each new day, so a page showing "now" reads it again at once
/// rather than polling (a report that issues no notice still moves "now"; that is the page's own slow read).
/// </para>
/// <para>
/// Acknowledgements come on the city's observer too, each passed on to every listener of the city as it comes. Unlike
/// notices they have no sequence to catch up by: one pushed while the city forgot this node (it moved silos) is not
/// passed on, and the reader learns it from its next read of the list.
/// </para>
/// </summary>
public sealed class NoticeHub(IGrainFactory grains, RiskClock clock) : IAsyncDisposable
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

    /// <summary>
    /// How often the hub reads the clock while any stream is open: the longest a day's move can be late on a stream when
    /// its push was lost (the clock grain moved silos) or nothing pushed it (the live clock's midnight). One grain call per
    /// API node per period, whatever the number of cities and listeners; a set clock is pushed at once.
    /// </summary>
    public static readonly TimeSpan ClockCatchUpEvery = TimeSpan.FromSeconds(30);

    private readonly IGrainFactory _grains = grains;
    private readonly RiskClock _clock = clock;
    private readonly ConcurrentDictionary<string, CityFeed> _feeds = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);

    // Taken around the clock's day passed on to every listener and a listener's first day with its joining, so no
    // listener starts on a day older than one passed on after it read it. Before a feed's own lock, never after.
    private readonly Lock _clockGate = new();
    private ClockWatch? _clockWatch;
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
                var ended = Channel.CreateUnbounded<Item>();
                ended.Writer.TryComplete();
                return new Listener(ended.Reader, () => Task.CompletedTask);
            }

            if (_clockWatch is null)
            {
                _clockWatch = new ClockWatch(this);
                await _clockWatch.StartAsync();
            }

            if (!_feeds.TryGetValue(city, out var feed))
            {
                feed = new CityFeed(_grains, city);
                await feed.StartAsync();
                _feeds[city] = feed;
            }

            var channel = CreateListenerChannel();
            lock (_clockGate)
            {
                // The day as the hub knows it first (none when the clock could not be read: the next read hands it).
                if (_clockWatch.Known is { } day)
                {
                    Offer(channel, new Item(null, day));
                }

                feed.Add(channel);
            }

            RiskMeshMetrics.SseListenerOpened();
            return new Listener(channel.Reader, () => Remove(city, feed, channel));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A listener's queue: bounded, so a stalled connection cannot hold notices without limit (see <see cref="Offer(Channel{Item}, Item)"/>).</summary>
    public static Channel<Item> CreateListenerChannel() =>
        Channel.CreateBounded<Item>(new BoundedChannelOptions(ListenerCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>
    /// Hands a notice to a listener; false when its queue was full, in which case the queue is closed. A listener that far
    /// behind is closed rather than fed selectively: its stream ends after what it holds, and the client reconnects with
    /// Last-Event-ID, reading what it missed from the city's stored notices.
    /// </summary>
    public static bool Offer(Channel<Item> channel, NoticeView notice) => Offer(channel, new Item(notice, null));

    /// <summary>Hands a notice or the clock's day to a listener; false when its queue was full (and is now closed).</summary>
    public static bool Offer(Channel<Item> channel, Item item)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Writer.TryWrite(item))
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

        if (_clockWatch is not null)
        {
            await _clockWatch.StopAsync();
        }

        _feeds.Clear();
        _lock.Dispose();
    }

    private async Task Remove(string city, CityFeed feed, Channel<Item> channel)
    {
        RiskMeshMetrics.SseListenerClosed();
        await _lock.WaitAsync();
        try
        {
            if (feed.Remove(channel) == 0 && _feeds.TryRemove(city, out _))
            {
                await feed.StopAsync();
            }

            // Nobody listens on this node any more: the clock is neither watched nor read until somebody does.
            if (_feeds.IsEmpty && _clockWatch is { } watch)
            {
                _clockWatch = null;
                await watch.StopAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    // The clock's new day, to every listener of every city (each stream skips a day it already sent).
    private void PassOnClock(ClockState state)
    {
        foreach (var feed in _feeds.Values)
        {
            feed.PassOnClock(state);
        }
    }

    /// <summary>
    /// What a listener is handed (exactly one is set): a notice as issued, the clock's state after its day moved, or a
    /// notice as just acknowledged.
    /// </summary>
    public readonly record struct Item(NoticeView? Notice, ClockState? Clock, NoticeView? Acknowledged = null);

    /// <summary>A listener's notices and clock days; dispose to stop listening.</summary>
    public sealed class Listener(ChannelReader<Item> reader, Func<Task> stop) : IAsyncDisposable
    {
        /// <summary>Notices and the clock's days as they arrive.</summary>
        public ChannelReader<Item> Reader { get; } = reader;

        /// <inheritdoc />
        public async ValueTask DisposeAsync() => await stop();
    }

    private sealed class CityFeed(IGrainFactory grains, string city) : INoticeObserver
    {
        private readonly List<Channel<Item>> _channels = [];
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

        public Task OnAcknowledged(NoticeView notice)
        {
            OfferAll(new Item(null, null, notice));
            return Task.CompletedTask;
        }

        public void Add(Channel<Item> channel)
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

        public void PassOnClock(ClockState state) => OfferAll(new Item(null, state));

        private void OfferAll(Item item)
        {
            lock (_channels)
            {
                foreach (var channel in _channels)
                {
                    Offer(channel, item);
                }
            }
        }

        public int Remove(Channel<Item> channel)
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
    /// <summary>
    /// The clock as this node's streams see it: subscribed to the clock grain (renewed every <see cref="RenewEvery"/>),
    /// read every <see cref="ClockCatchUpEvery"/>; a day that moved is passed on to every listener.
    /// </summary>
    private sealed class ClockWatch(NoticeHub hub) : IClockObserver
    {
        private IClockObserver? _reference;
        private Timer? _timer;
        private long _renewedAt;
        private ClockState? _known;

        /// <summary>The newest clock state seen; null until the clock was read.</summary>
        public ClockState? Known => Volatile.Read(ref _known);

        public async Task StartAsync()
        {
            _reference = hub._grains.CreateObjectReference<IClockObserver>(this);
            await Subscribe();
            await ReadAsync();
            _timer = new Timer(_ => _ = TickAsync(), null, ClockCatchUpEvery, ClockCatchUpEvery);
        }

        public async Task StopAsync()
        {
            if (_timer is not null)
            {
                await _timer.DisposeAsync();
            }

            if (_reference is { } reference)
            {
                _reference = null;
                try
                {
                    await Clock().UnsubscribeMoves(reference);
                }
                catch (Exception ex) when (ex is OrleansException or TimeoutException or ObjectDisposedException)
                {
                    // The clock forgets an observer that is not renewed anyway.
                }

                try
                {
                    hub._grains.DeleteObjectReference<IClockObserver>(reference);
                }
                catch (ObjectDisposedException)
                {
                    // The Orleans runtime stopped first (the host is going away); the reference went with it.
                }
            }
        }

        public async Task OnClockSet(ClockState state)
        {
            // The process's cached clock learns the move before the listeners do: a page told of the new day reads
            // "now" at once, and a cache still on the day before (up to RiskClock.CacheFor) would answer that day.
            // Pushes are one-way and may arrive out of order: Take keeps the newest.
            try
            {
                await hub._clock.ReadAsync();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // The pushed state stands.
            }

            Take(state);
        }

        private async Task TickAsync()
        {
            await ReadAsync();
            if (Stopwatch.GetElapsedTime(_renewedAt) >= RenewEvery)
            {
                await Subscribe();
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                Take(await hub._clock.ReadAsync());
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Read again at the next tick.
            }
        }

        // A state newer than the one known is kept; when its day differs, every listener is handed it.
        private void Take(ClockState state)
        {
            lock (hub._clockGate)
            {
                if (_known is { } known && !Newer(state, known))
                {
                    return;
                }

                var moved = _known?.Date != state.Date;
                Volatile.Write(ref _known, state);
                if (moved)
                {
                    hub.PassOnClock(state);
                }
            }
        }

        // Set later (a higher version), or the live clock's next day (the same version, a later date).
        private static bool Newer(ClockState state, ClockState than) =>
            state.Version > than.Version || (state.Version == than.Version && state.Date > than.Date);

        private IClockGrain Clock() => hub._grains.GetGrain<IClockGrain>(GrainKeys.Singleton);

        private async Task Subscribe()
        {
            try
            {
                await Clock().SubscribeMoves(_reference!);
                _renewedAt = Stopwatch.GetTimestamp();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                // Retried at the next tick; the tick's read passes on a day the pushes miss meanwhile.
            }
        }
    }
}
