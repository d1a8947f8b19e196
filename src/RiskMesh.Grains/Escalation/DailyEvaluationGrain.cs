using System.Collections.Immutable;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topology;

namespace RiskMesh.Grains.Escalation;

/// <summary>
/// Time passes without events: every city evaluates each day up to the clock's, so windows slide, intelligence decays
/// and dwell periods run out, and de-escalation notices go out when the data goes quiet.
/// </summary>
/// <remarks>
/// One per cluster: a singleton grain woken by one durable reminder (ADO.NET reminders on PostgreSQL, in memory on the
/// embedded SQLite host), which evaluates only when the clock's day has moved since its last run. Every silo calls
/// <see cref="Start"/> once at start so the reminder exists, and a fresh activation (after a crash, say) evaluates once,
/// so a pending de-escalation survives a restart; the calls of later silos find the day already evaluated.
/// </remarks>
internal sealed partial class DailyEvaluationGrain(TopologyCatalog topology, RiskClock clock, ILogger<DailyEvaluationGrain> logger)
    : Grain, IDailyEvaluationGrain, IRemindable
{
    /// <summary>The reminder's name.</summary>
    public const string ReminderName = "daily-evaluation";

    /// <summary>How often the reminder checks the clock (Orleans' minimum reminder period).</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);

    private const int CitiesInFlight = 16;

    private DateOnly? _lastRun;

    /// <inheritdoc />
    public Task<ImmutableArray<NoticeView>> RunToClock(long clockVersion) => RunAsync("clock", clockVersion);

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
        if (reminderName == ReminderName && await clock.TodayAsync() != _lastRun)
        {
            await RunAsync("reminder", null);
        }
    }

    private async Task<ImmutableArray<NoticeView>> RunAsync(string trigger, long? clockVersion)
    {
        var today = (await clock.AtLeastAsync(clockVersion)).Date;
        var cities = (await topology.CurrentAsync()).Cities.Select(c => c.Id).ToList();
        using var gate = new SemaphoreSlim(CitiesInFlight);
        var issued = await Task.WhenAll(cities.Select(async city =>
        {
            await gate.WaitAsync();
            try
            {
                var response = GrainFactory.GetGrain<ICityResponseGrain>(city);
                return await (clockVersion is { } version ? response.EvaluateToClock(version) : response.EvaluateToToday());
            }
            finally
            {
                gate.Release();
            }
        }));
        _lastRun = today;
        RiskMeshMetrics.DailyEvaluations.Add(1, RiskMeshMetrics.Tag("trigger", trigger));
        ImmutableArray<NoticeView> notices = [.. issued.SelectMany(n => n).OrderBy(n => n.Date).ThenBy(n => n.City, StringComparer.Ordinal).ThenBy(n => n.Sequence)];
        LogEvaluated(logger, LogDates.Iso(today), trigger, notices.Length);
        return notices;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily evaluation to {Day} ({Trigger}) issued {Notices} notices")]
    private static partial void LogEvaluated(ILogger logger, string day, string trigger, int notices);
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
