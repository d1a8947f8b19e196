using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// The silo's one timer for entity checkpoints: an entity with something unsaved is put on the schedule, due one
/// <see cref="RiskMeshGrainOptions.CheckpointInterval"/> plus a random share of another from then (so a batch that touched
/// thousands of entities does not make them all write in the same second), and when it is due the schedule asks its grain
/// to checkpoint (<see cref="IEntityCheckpoint.Checkpoint"/>), in a turn of its own like any call.
/// </summary>
/// <remarks>
/// A grain timer per entity did the same, but Orleans keeps a set of timers in each activation that ever registered
/// one, for as long as the activation lives: about 320 bytes of every active entity (32 MB at 100,000), though the
/// timer itself ran only while something was unsaved. Here a clean entity costs nothing and an unsaved one an entry.
/// Unlike a timer tick, the call counts as activity: a grain that wrote its state stays active at most two intervals
/// longer than its last fold, well inside the collection age. An entity that deactivates takes itself off the schedule
/// first (and checkpoints as it goes); a call that was already on its way then activates it again, which replays the
/// journal (nothing, since it just checkpointed) and finds nothing to write.
/// </remarks>
internal sealed partial class CheckpointSchedule : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    // The schedule's resolution: due entities are called within this much of their due time.
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();

    // Each scheduled entity and its due tick; the due ticks in order with the entities due then (an entity taken off the
    // schedule, or put on again for a later tick, stays in its old list and is skipped there).
    private readonly Dictionary<GrainId, long> _due = [];
    private readonly SortedDictionary<long, List<GrainId>> _byTick = [];
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Creates the schedule.</summary>
    public CheckpointSchedule(IGrainFactory grains, TimeProvider time, IOptions<RiskMeshGrainOptions> options, ILogger<CheckpointSchedule> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _grains = grains;
        _time = time;
        _interval = options.Value.CheckpointInterval;
        _logger = logger;
    }

    /// <summary>How many entities are on the schedule now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>Whether an entity is on the schedule now.</summary>
    public bool Contains(GrainId entity)
    {
        lock (_lock)
        {
            return _due.ContainsKey(entity);
        }
    }

    /// <summary>Puts an entity with something unsaved on the schedule, unless it is on it already.</summary>
    public void Add(GrainId entity)
    {
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next((int)Math.Max(1, _interval.TotalMilliseconds)));
        var tick = TickOf(_time.GetUtcNow() + _interval + jitter);
        lock (_lock)
        {
            if (_disposed || !_due.TryAdd(entity, tick))
            {
                return;
            }

            if (!_byTick.TryGetValue(tick, out var due))
            {
                _byTick.Add(tick, due = []);
            }

            due.Add(entity);
            _timer ??= _time.CreateTimer(static state => ((CheckpointSchedule)state!).OnTick(), this, Tick, Tick);
        }
    }

    /// <summary>Takes an entity off the schedule (it deactivates, or it has just written its state).</summary>
    public void Remove(GrainId entity)
    {
        lock (_lock)
        {
            _due.Remove(entity);
        }
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CheckpointSchedule), ServiceLifecycleStage.Active, _ => Task.CompletedTask, OnStopAsync);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _due.Clear();
            _byTick.Clear();
            _timer?.Dispose();
            _timer = null;
        }
    }

    // The Active stage stops before grains are deactivated: each then checkpoints as it deactivates, uncalled.
    private Task OnStopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    private long TickOf(DateTimeOffset time) => time.UtcTicks / Tick.Ticks + 1;

    private void OnTick()
    {
        List<GrainId>? calls = null;
        var now = TickOf(_time.GetUtcNow()) - 1;
        lock (_lock)
        {
            while (_byTick.Count > 0 && _byTick.First() is var (tick, entities) && tick <= now)
            {
                _byTick.Remove(tick);
                foreach (var entity in entities)
                {
                    // Taken off since, or put on again for another tick: not this one's.
                    if (_due.TryGetValue(entity, out var dueTick) && dueTick == tick)
                    {
                        _due.Remove(entity);
                        (calls ??= []).Add(entity);
                    }
                }
            }
        }

        foreach (var entity in calls ?? [])
        {
            // One-way: the grain puts itself on the schedule again if it still has something unsaved after the call.
            try
            {
                _grains.GetGrain<IEntityCheckpoint>(entity).Checkpoint().Ignore();
            }
            catch (Exception ex)
            {
                LogCallFailed(_logger, ex, entity.ToString());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The checkpoint schedule could not ask {Entity} to checkpoint; the journal still holds its events")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string entity);
}
