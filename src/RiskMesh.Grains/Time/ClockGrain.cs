using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Time;

namespace RiskMesh.Grains.Time;

/// <summary>The durable clock state.</summary>
[GenerateSerializer, Alias("riskmesh.ClockGrainState")]
internal sealed class ClockGrainState
{
    /// <summary>The replay date, or null in live mode.</summary>
    [Id(0)]
    public DateOnly? ReplayDate { get; set; }

    /// <summary>Increases on every change.</summary>
    [Id(1)]
    public long Version { get; set; }
}

/// <summary>
/// The one clock: the wall clock's UTC date in live mode, or a date set by an operator in replay mode, always within
/// <see cref="ClockRange"/>.
/// </summary>
internal sealed partial class ClockGrain(
    [PersistentState("clock", RiskMeshStorage.Name)] IPersistentState<ClockGrainState> state,
    TimeProvider time,
    ILogger<ClockGrain> logger) : Grain, IClockGrain
{
    // The API nodes whose notice streams are open; kept in memory, so an activation on another silo starts without
    // them until they renew (each node also reads the clock now and then, see NoticeHub).
    private readonly ObserverManager<IClockObserver> _observers = new(TimeSpan.FromMinutes(5), logger);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.ReplayDate is { } stored && !ClockRange.Contains(stored))
        {
            LogStoredOutOfRange(logger, LogDates.Iso(stored), LogDates.Iso(ClockRange.Clamp(stored)));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ClockState> Set(DateOnly? replayDate)
    {
        if (replayDate is { } date && !ClockRange.Contains(date))
        {
            throw new ArgumentOutOfRangeException(nameof(replayDate), date, $"the clock may be set {ClockRange.Describe()}");
        }

        state.State.ReplayDate = replayDate;
        state.State.Version++;
        await state.WriteStateAsync();
        var current = Current();
        await _observers.Notify(observer => observer.OnClockSet(current));
        return current;
    }

    /// <inheritdoc />
    public Task SubscribeMoves(IClockObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnsubscribeMoves(IClockObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ClockState> Get() => Task.FromResult(Current());

    // A date stored before the clock was bounded is read as the nearest day in range, so the host keeps working
    // (every date window would otherwise overflow) until an operator sets the clock again.
    private ClockState Current() => state.State.ReplayDate is { } date
        ? new ClockState("replay", ClockRange.Clamp(date), state.State.Version)
        : new ClockState("live", ClockRange.Clamp(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)), state.State.Version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored replay clock {Stored} is outside the supported range; it is read as {Used} until the clock is set again")]
    private static partial void LogStoredOutOfRange(ILogger logger, string stored, string used);
}
