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
public sealed class DailyEvaluationGrain(TopologyCatalog topology) : Grain, IDailyEvaluationGrain
{
    private const int CitiesInFlight = 16;

    /// <inheritdoc />
    public async Task<ImmutableArray<NoticeView>> RunToToday()
    {
        var cities = (await topology.CurrentAsync()).Cities.Select(c => c.Id).ToList();
        using var gate = new SemaphoreSlim(CitiesInFlight);
        var issued = await Task.WhenAll(cities.Select(async city =>
        {
            await gate.WaitAsync();
            try
            {
                return await GrainFactory.GetGrain<ICityResponseGrain>(city).EvaluateToToday();
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. issued.SelectMany(n => n).OrderBy(n => n.Date).ThenBy(n => n.City, StringComparer.Ordinal).ThenBy(n => n.Sequence)];
    }
}

/// <summary>
/// Runs the daily evaluation at silo start (so a pending de-escalation survives a restart) and whenever the clock's
/// day has moved, checked every <see cref="CheckEvery"/>. Setting the clock through the API runs it at once.
/// </summary>
public sealed partial class DailyEvaluationService(IGrainFactory grains, RiskClock clock, ILogger<DailyEvaluationService> logger) : BackgroundService
{
    /// <summary>How often the clock is checked.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateOnly? lastRun = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var today = await clock.TodayAsync();
                if (lastRun != today)
                {
                    var notices = await grains.GetGrain<IDailyEvaluationGrain>(GrainKeys.Singleton).RunToToday();
                    lastRun = today;
                    LogEvaluated(logger, today, notices.Length);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }

            await Task.Delay(CheckEvery, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily evaluation to {Day} issued {Notices} notices")]
    private static partial void LogEvaluated(ILogger logger, DateOnly day, int notices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily evaluation failed; will retry")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
