using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// When a silo becomes active, wakes every outbox the registry lists, so deliveries pending at the last stop resume
/// without waiting for a new notice.
/// </summary>
internal sealed partial class WebhookResumer(IGrainFactory grains, ILogger<WebhookResumer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int WakesInFlight = 16;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(WebhookResumer), ServiceLifecycleStage.Active, ResumeAsync);
    }

    /// <summary>Wakes every listed outbox; failures are logged, never fail the silo's start.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var cities = await grains.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton).GetCities();
            if (cities.IsEmpty)
            {
                return;
            }

            LogResuming(logger, cities.Length);
            await WakeAsync(grains, cities, logger, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The registry's sweep wakes them later; a start must not fail because of webhooks.
            LogResumeFailed(logger, ex);
        }
    }

    /// <summary>Wakes the outboxes of <paramref name="cities"/>, a few at a time; returns how many still have pending deliveries.</summary>
    public static async Task<int> WakeAsync(IGrainFactory grains, ImmutableArray<string> cities, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var pending = 0;
        await Parallel.ForEachAsync(
            cities,
            new ParallelOptions { MaxDegreeOfParallelism = WakesInFlight, CancellationToken = cancellationToken },
            async (city, _) =>
            {
                try
                {
                    if (await grains.GetGrain<IWebhookOutboxControl>(city).Wake())
                    {
                        Interlocked.Increment(ref pending);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogWakeFailed(logger, ex, city);
                }
            });
        return pending;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waking the webhook outboxes of {Cities} cities with pending deliveries")]
    private static partial void LogResuming(ILogger logger, int cities);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not read the webhook registry at start; its sweep will wake pending outboxes later")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not wake the webhook outbox of {City}")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string city);
}
