using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>
/// Keeps this node's key cache in step with revocations made anywhere: subscribed to the key directory, it drops a
/// revoked key before the revocation is acknowledged. The subscription is renewed every <see cref="RenewEvery"/>; if the
/// directory's count of revocations moved without this node being told (the directory moved to another silo, or a
/// notification was lost), the whole cache is dropped, so a missed revocation lasts one renewal at most.
/// </summary>
internal sealed partial class KeyRevocationListener(IGrainFactory grains, ApiKeyValidator validator, ILogger<KeyRevocationListener> logger)
    : IHostedService, IApiKeyRevocationObserver, IAsyncDisposable
{
    /// <summary>How often the subscription is renewed (well within the directory's one-minute expiry).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private IApiKeyRevocationObserver? _reference;
    private ITimer? _renewal;
    private long _known = -1;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = grains.CreateObjectReference<IApiKeyRevocationObserver>(this);

        // Not awaited: a node starts (and serves cached-free lookups) even while the directory cannot be reached.
        _renewal = TimeProvider.System.CreateTimer(_ => _ = RenewAsync(), null, TimeSpan.Zero, RenewEvery);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_renewal is not null)
        {
            await _renewal.DisposeAsync();
            _renewal = null;
        }

        if (_reference is { } reference)
        {
            _reference = null;
            try
            {
                await Directory().UnsubscribeRevocations(reference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
                // The directory forgets a listener that stops renewing anyway.
            }

            try
            {
                grains.DeleteObjectReference<IApiKeyRevocationObserver>(reference);
            }
            catch (ObjectDisposedException)
            {
                // Disposed with a host that failed to start (a busy HTTP port): the Orleans runtime went first, and the
                // reference went with it. Throwing here would hide the start-up failure behind a crash.
            }
        }
    }

    /// <inheritdoc />
    public Task Revoked(string keyId, long revocations)
    {
        validator.Forget(keyId);
        lock (_gate)
        {
            // Told of every revocation in turn, the count moves by one; a larger step means one was missed.
            if (_known >= 0 && revocations > _known + 1)
            {
                validator.ForgetAll();
            }

            _known = Math.Max(_known, revocations);
        }

        LogRevoked(logger, keyId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    private async Task RenewAsync()
    {
        if (_reference is not { } reference)
        {
            return;
        }

        try
        {
            var revocations = await Directory().SubscribeRevocations(reference);
            lock (_gate)
            {
                if (_known >= 0 && revocations != _known)
                {
                    validator.ForgetAll();
                    LogMissed(logger, revocations - _known);
                }

                _known = revocations;
            }
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException or InvalidOperationException)
        {
            LogRenewalFailed(logger, ex.Message);
        }
    }

    private IApiKeyDirectoryGrain Directory() => grains.GetGrain<IApiKeyDirectoryGrain>(GrainKeys.Singleton);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Key {KeyId} was revoked: dropped from this node's cache")]
    private static partial void LogRevoked(ILogger logger, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Missed} key revocation(s) happened while this node was not subscribed: its key cache was cleared")]
    private static partial void LogMissed(ILogger logger, long missed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the key revocation subscription (retried in a few seconds): {Reason}")]
    private static partial void LogRenewalFailed(ILogger logger, string reason);
}
