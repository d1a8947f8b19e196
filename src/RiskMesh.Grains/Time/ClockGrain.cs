using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Time;

/// <summary>The durable clock state.</summary>
[GenerateSerializer, Alias("riskmesh.ClockGrainState")]
public sealed class ClockGrainState
{
    /// <summary>The replay date, or null in live mode.</summary>
    [Id(0)]
    public DateOnly? ReplayDate { get; set; }

    /// <summary>Increases on every change.</summary>
    [Id(1)]
    public long Version { get; set; }
}

/// <summary>The one clock: the wall clock's UTC date in live mode, or a date set by an operator in replay mode.</summary>
public sealed class ClockGrain(
    [PersistentState("clock", RiskMeshStorage.Name)] IPersistentState<ClockGrainState> state,
    TimeProvider time) : Grain, IClockGrain
{
    /// <inheritdoc />
    public Task<ClockState> Get() => Task.FromResult(Current());

    /// <inheritdoc />
    public async Task<ClockState> Set(DateOnly? replayDate)
    {
        state.State.ReplayDate = replayDate;
        state.State.Version++;
        await state.WriteStateAsync();
        return Current();
    }

    private ClockState Current() => state.State.ReplayDate is { } date
        ? new ClockState("replay", date, state.State.Version)
        : new ClockState("live", DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), state.State.Version);
}

/// <summary>
/// The silo's view of the clock, cached briefly so that grains do not call the clock grain on every read. A change
/// made through this silo is seen at once; one made through another silo within <see cref="CacheFor"/>.
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

    /// <summary>Sets the clock through the clock grain and remembers the answer.</summary>
    public async Task<ClockState> SetAsync(DateOnly? replayDate) =>
        Remember(await grains.GetGrain<IClockGrain>(GrainKeys.Singleton).Set(replayDate));

    private ClockState Remember(ClockState state)
    {
        _state = state;
        Volatile.Write(ref _readAt, time.GetTimestamp());
        return state;
    }
}
