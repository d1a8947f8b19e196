using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topologies;

namespace RiskMesh.Grains.Escalation;

/// <summary>
/// Time passes without events: every city evaluates each day up to the clock's, so windows slide, intelligence decays
/// and dwell periods run out, and de-escalation notices go out when the data goes quiet. After a topology replacement
/// the cities whose inputs it changed evaluate again through the same grain (<see cref="RunForTopology"/>).
/// </summary>
/// <remarks>
/// One per cluster: a singleton grain woken by one durable reminder (ADO.NET reminders on PostgreSQL, in memory on the
/// embedded SQLite host), which evaluates only when the clock's day has moved since its last run. Every silo calls
/// <see cref="Start"/> once at start so the reminder exists, and a fresh activation (after a crash, say) evaluates once,
/// so a pending de-escalation survives a restart; the calls of later silos find the day already evaluated. A city whose
/// evaluation fails does not hold back the others: it is counted, logged (<see cref="CityFailureLog"/>: a city that
/// keeps failing is not logged at Warning every minute), and evaluated again at the next minute check.
/// </remarks>
internal sealed partial class DailyEvaluationGrain(TopologyCatalog topology, RiskClock clock, TimeProvider time, ILogger<DailyEvaluationGrain> logger)
    : Grain, IDailyEvaluationGrain, IRemindable
{
    /// <summary>The reminder's name.</summary>
    public const string ReminderName = "daily-evaluation";

    /// <summary>How often the reminder checks the clock (Orleans' minimum reminder period).</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);

    private const int CitiesInFlight = 16;

    // At most this many cities' failures are logged at Warning a run; a database outage fails them all, and the run's
    // summary line counts the rest.
    private const int CityFailuresLogged = 20;

    private readonly CityFailureLog _failureLog = new(logger, time);

    // The day the last run evaluated to, and the clock's version it read: a clock moved away and back to the same day
    // during a run leaves the day as it was, but cities evaluated meanwhile stand on the other day.
    private DateOnly? _lastRun;
    private long? _lastRunClockVersion;
    private IGrainTimer? _catchUp;

    // The cities the last run could not evaluate to its day: the minute check tries them again while the day stands.
    private ImmutableArray<string> _failedCities = [];

    /// <inheritdoc />
    public async Task<ImmutableArray<NoticeView>> RunToClock(long clockVersion)
    {
        var run = await RunAsync("clock", clockVersion);
        return run.Failed == 0
            ? run.Notices
            : throw new InvalidOperationException($"{run.Failed} of {run.Cities} cities failed to evaluate to the clock's day (the first: {string.Join(", ", run.FailedCities)}); they are evaluated again at the next minute check.");
    }

    /// <inheritdoc />
    public Task<ClockEvaluation> RunToClockWithFailures(long clockVersion) => RunAsync("clock", clockVersion);

    /// <inheritdoc />
    public async Task Start()
    {
        if (_lastRun is null)
        {
            await RunAsync("start", null);
        }

        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, CheckEvery, CheckEvery);
        }
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        var now = await clock.StateAsync();
        if (MovedSinceLastRun(now))
        {
            await RunAsync("reminder", now.Version);
        }
        else if (!_failedCities.IsEmpty)
        {
            await RunAsync("retry", _lastRunClockVersion, _failedCities);
        }
    }

    // Every city of the topology, or only those of `only` still in it (unless the clock moved since the last run: see
    // CitiesToRun), to the clock's day as of clockVersion or later.
    private async Task<ClockEvaluation> RunAsync(string trigger, long? clockVersion, ImmutableArray<string>? only = null)
    {
        var reading = await clock.AtLeastAsync(clockVersion);
        var today = reading.Date;
        var day = LogDates.Iso(today);
        var (cities, everyCity) = CitiesToRun((await topology.CurrentAsync()).Cities.Select(c => c.Id), only, reading, _lastRun, _lastRunClockVersion);
        if (only is not null && everyCity)
        {
            // The day's run after all, as the minute check would have started it had its read seen the clock move, and
            // to the version read: a city on another silo whose cache still holds the last run's day must not stop there.
            trigger = "reminder";
            clockVersion = reading.Version;
        }

        var failed = new ConcurrentQueue<string>();
        var warned = 0;
        _failureLog.BeginRun();
        var issued = await EachCityAsync(cities, async response =>
        {
            var city = response.GetPrimaryKeyString();
            try
            {
                var notices = await (clockVersion is { } version ? response.EvaluateToClock(version) : response.EvaluateToToday());
                _failureLog.Evaluated(city, day);
                return notices;
            }
            catch (Exception ex)
            {
                // One city (a write the database refused, a bug in its state) must not leave every other city on the
                // day before, nor fail the clock change that asked for the run: counted, and tried again at the next check.
                failed.Enqueue(city);
                if (_failureLog.Failed(city, day, trigger, ex, mayWarn: Volatile.Read(ref warned) < CityFailuresLogged))
                {
                    Interlocked.Increment(ref warned);
                }

                return [];
            }
        });
        _failureLog.EndRun(day);
        _lastRun = today;
        _lastRunClockVersion = reading.Version;
        _failedCities = [.. failed.Order(StringComparer.Ordinal)];
        if (everyCity)
        {
            _failureLog.KeepOnly(_failedCities.ToHashSet(StringComparer.Ordinal));
        }

        RiskMeshMetrics.DailyEvaluations.Add(1, RiskMeshMetrics.Tag("trigger", trigger));
        ImmutableArray<NoticeView> notices = [.. issued.SelectMany(n => n).OrderBy(n => n.Date).ThenBy(n => n.City, StringComparer.Ordinal).ThenBy(n => n.Sequence)];
        if (_failedCities.IsEmpty)
        {
            LogEvaluated(logger, day, trigger, cities.Count, notices.Length, notices.Length == 1 ? "notice" : "notices");
        }
        else if (everyCity || warned > 0)
        {
            LogEvaluatedWithFailures(logger, day, trigger, cities.Count, _failedCities.Length, notices.Length, notices.Length == 1 ? "notice" : "notices");
        }
        else
        {
            // A retry that failed again as before: nothing new for the operator, whom the failure log reminds.
            LogRetryFailedAgain(logger, day, _failedCities.Length, cities.Count);
        }

        await CatchUpIfTheDayMovedAsync();
        return new ClockEvaluation(notices, cities.Count, _failedCities.Length, _failedCities.Length <= ClockEvaluation.NamedFailuresAtMost ? _failedCities : _failedCities[..ClockEvaluation.NamedFailuresAtMost]);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Here rather than in the caller so that, as for the daily run, one grain of the cluster reaches the cities (each
    /// activated wherever the cluster places it) with a bounded number of calls in flight, and a topology run and a
    /// daily run never evaluate at the same time. A city whose evaluation fails does not hold back the others: the
    /// topology is replaced already, and the city decides the day again at its next event or the daily evaluation.
    /// </remarks>
    public async Task<TopologyEvaluation> RunForTopology(long topologyVersion, ImmutableArray<string> cities)
    {
        var failed = 0;
        var issued = await EachCityAsync(cities, async response =>
        {
            try
            {
                return await response.EvaluateForTopology(topologyVersion);
            }
            catch (Exception ex)
            {
                // A cancelled call too (its silo stopping): one city must not fail the others, the topology is in force.
                Interlocked.Increment(ref failed);
                LogTopologyCityFailed(logger, response.GetPrimaryKeyString(), topologyVersion, ex);
                return [];
            }
        });
        var notices = issued.Sum(n => n.Length);
        LogTopologyEvaluated(logger, topologyVersion, cities.Length, failed, notices);
        await CatchUpIfTheDayMovedAsync();
        return new TopologyEvaluation(cities.Length, failed, notices);
    }

    // This grain runs one call at a time, so a clock change made during a long run (a topology run, or a daily run of
    // tens of thousands of cities) waits behind it, and Orleans drops a waiting request once its caller's response
    // timeout has passed (the clock API then answers "pending"): the day the clock moved to is evaluated right after
    // this run's turn, not at the reminder's next minute check.
    // The clock is compared by version too (as this silo sees it, its cached state at most RiskClock.CacheFor old):
    // moved away and back to the day of the last run, it leaves cities evaluated meanwhile on the other day, which a
    // run to the clock's version rewinds.
    // The check is best effort: its own failure (the clock grain unreachable for a moment) must not fail a run whose
    // cities all evaluated, and the reminder's minute check catches up all the same.
    private async Task CatchUpIfTheDayMovedAsync()
    {
        try
        {
            if (_catchUp is not null || !MovedSinceLastRun(await clock.StateAsync()))
            {
                return;
            }
        }
        catch (Exception ex)
        {
            LogCatchUpCheckFailed(logger, ex);
            return;
        }

        _catchUp = this.RegisterGrainTimer(
            async () =>
            {
                _catchUp?.Dispose();
                _catchUp = null;
                var now = await clock.StateAsync();
                if (MovedSinceLastRun(now))
                {
                    await RunAsync("catch-up", now.Version);
                }
            },
            new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private bool MovedSinceLastRun(ClockState now) => Moved(now, _lastRun, _lastRunClockVersion);

    private static bool Moved(ClockState now, DateOnly? lastRun, long? lastRunVersion) =>
        now.Date != lastRun || (lastRunVersion is { } version && now.Version != version);

    /// <summary>
    /// The cities a run evaluates: every city of the topology, or for a retry (<paramref name="only"/>) the failed ones
    /// still in it, as long as the clock stands where the last run left it. The minute check reads the clock before
    /// it decides on a retry and the run reads it again, from the silo's shared cache that another grain may refresh
    /// across midnight meanwhile (live mode): the failed cities alone evaluated to the new day would record that day
    /// as run, and every other city would miss it (review 12 L4).
    /// </summary>
    internal static (List<string> Cities, bool EveryCity) CitiesToRun(
        IEnumerable<string> inTopology, ImmutableArray<string>? only, ClockState reading, DateOnly? lastRun, long? lastRunVersion) =>
        only is { } retried && !Moved(reading, lastRun, lastRunVersion)
            ? ([.. inTopology.Intersect(retried, StringComparer.Ordinal)], false)
            : ([.. inTopology], true);

    // Every city's evaluation, at most CitiesInFlight calls at a time: a 100,000-entity topology has tens of thousands of cities.
    private async Task<ImmutableArray<NoticeView>[]> EachCityAsync(IEnumerable<string> cities, Func<ICityResponseGrain, Task<ImmutableArray<NoticeView>>> evaluate)
    {
        using var gate = new SemaphoreSlim(CitiesInFlight);
        return await Task.WhenAll(cities.Select(async city =>
        {
            await gate.WaitAsync();
            try
            {
                return await evaluate(GrainFactory.GetGrain<ICityResponseGrain>(city));
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    // "Issued by it": notices the day's events issued before the evaluation ran are logged as those events issue them.
    [LoggerMessage(Level = LogLevel.Information, Message = "Daily evaluation to {Day} ({Trigger}) of {Cities} cities: {Notices} {NoticesWord} issued by it")]
    private static partial void LogEvaluated(ILogger logger, string day, string trigger, int cities, int notices, string noticesWord);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily evaluation to {Day} ({Trigger}) of {Cities} cities: {Failed} failed, evaluated again at the next minute check; {Notices} {NoticesWord} issued by it")]
    private static partial void LogEvaluatedWithFailures(ILogger logger, string day, string trigger, int cities, int failed, int notices, string noticesWord);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Daily evaluation to {Day} (retry): {Failed} of {Cities} cities failed again as before")]
    private static partial void LogRetryFailedAgain(ILogger logger, string day, int failed, int cities);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The check after a run whether the clock moved meanwhile failed; the reminder's minute check catches up instead")]
    private static partial void LogCatchUpCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topology version {Version}: {Cities} cities whose inputs changed evaluated again ({Failed} failed), {Notices} notices issued")]
    private static partial void LogTopologyEvaluated(ILogger logger, long version, int cities, int failed, int notices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "City {City} failed to evaluate again after topology version {Version}; it decides at its next event or the daily evaluation")]
    private static partial void LogTopologyCityFailed(ILogger logger, string city, long version, Exception exception);
}

/// <summary>
/// At silo start, asks the cluster's <see cref="DailyEvaluationGrain"/> to make sure its reminder exists, retrying
/// until the cluster answers. It evaluates nothing itself: the reminder and the clock API do.
/// </summary>
internal sealed partial class DailyEvaluationStarter(IGrainFactory grains, ILogger<DailyEvaluationStarter> logger) : BackgroundService
{
    /// <summary>How long to wait before asking again after a failure.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IDailyEvaluationGrain>(GrainKeys.Singleton).Start();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }

            await Task.Delay(RetryEvery, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start the daily evaluation; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
