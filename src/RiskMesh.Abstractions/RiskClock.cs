namespace RiskMesh.Abstractions;

/// <summary>
/// A process's view of the clock (a silo's or an API node's), cached briefly so that grains and requests do not call
/// the clock grain on every read. A change made through this process is seen at once; one made elsewhere within
/// <see cref="CacheFor"/>.
/// </summary>
public sealed class RiskClock(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a read clock state is trusted.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);

    private ClockState? _state;
    private long _readAt;

    /// <summary>The clock's current day.</summary>
    public async ValueTask<DateOnly> TodayAsync() => (await StateAsync()).Date;

    /// <summary>The clock's state.</summary>
    public async ValueTask<ClockState> StateAsync()
    {
        var state = _state;
        if (state is not null && time.GetElapsedTime(Volatile.Read(ref _readAt)) < CacheFor)
        {
            return state;
        }

        return Remember(await grains.GetGrain<IClockGrain>(GrainKeys.Singleton).Get());
    }

    /// <summary>
    /// The clock's state at <paramref name="version"/> or later: the cached one if it is that recent, else read from
    /// the clock grain. For work another process asked for after it moved the clock (an API node's clock change runs
    /// the daily evaluation on the silos): the cache may still hold the day before the move for up to
    /// <see cref="CacheFor"/>, and a city evaluated "to today" by it would stop short of the day the clock was set to.
    /// Without a version, the same as <see cref="StateAsync"/>.
    /// </summary>
    public async ValueTask<ClockState> AtLeastAsync(long? version)
    {
        if (version is not { } wanted)
        {
            return await StateAsync();
        }

        var state = _state;
        return state is not null && state.Version >= wanted ? state : await ReadAsync();
    }

    /// <summary>
    /// The clock's day, read past the cache when the cached day is before <paramref name="seen"/>, a day something was
    /// dated by (a notice): the clock may have moved to it through another process within <see cref="CacheFor"/>, and
    /// the cached day would call that thing ahead of the clock (review 14: a notice issued for the day a replay moved to,
    /// marked "not in force" on another API node's stream, and never corrected there).
    /// </summary>
    public async ValueTask<DateOnly> TodayNotBeforeAsync(DateOnly seen)
    {
        var today = await TodayAsync();
        return today >= seen ? today : (await ReadAsync()).Date;
    }

    /// <summary>
    /// Reads the clock grain now, past the cache, and remembers the answer: for a decision that a day cached before a
    /// change made through another process (an API node) would get wrong.
    /// </summary>
    public async Task<ClockState> ReadAsync() =>
        Remember(await grains.GetGrain<IClockGrain>(GrainKeys.Singleton).Get());

    /// <summary>Sets the clock through the clock grain and remembers the answer.</summary>
    public async Task<ClockState> SetAsync(DateOnly? replayDate) =>
        Remember(await grains.GetGrain<IClockGrain>(GrainKeys.Singleton).Set(replayDate));

    private ClockState Remember(ClockState state)
    {
        // A read that the clock grain answered before a change may finish after it: an older version never replaces
        // a newer one, or the process would see yesterday's day for a while after the clock moved.
        while (true)
        {
            var known = Volatile.Read(ref _state);
            if (known is not null && state.Version < known.Version)
            {
                return known;
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref _state, state, known), known))
            {
                break;
            }
        }

        Volatile.Write(ref _readAt, time.GetTimestamp());
        return state;
    }
}
