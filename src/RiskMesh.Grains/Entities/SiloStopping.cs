namespace RiskMesh.Grains.Entities;

/// <summary>
/// Tells entity grains that their silo has begun to stop, so that a push to downstream grains is awaited only
/// <see cref="PushGrace"/> longer.
/// </summary>
/// <remarks>
/// A push and its answer form a cycle: a port that pushes a change to its city waits while the city evaluates, and the
/// city asks that same port for its days (an interleaving call). When the port's silo stops, the port is deactivating;
/// Orleans holds every message to a deactivating activation until the deactivation ends, and the deactivation waits
/// for the port's running push. Nothing breaks that wait but the silo's 30 s deactivation timeout: one silo took 30.3 s
/// to stop in <c>RollingRestartTests</c>. Giving up the wait ends the push (the caller gets a retryable
/// <see cref="SiloUnavailableException"/>: nothing was acknowledged), the deactivation completes, and the held call is
/// passed to the port's next activation, so the city's evaluation completes too. The push itself was delivered: the
/// downstream grain still takes the change in.
/// </remarks>
internal sealed class SiloStopping : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How long pushes in flight when the silo begins to stop are still awaited.</summary>
    public static readonly TimeSpan PushGrace = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _pushesAbandoned = new();

    /// <summary>Cancelled <see cref="PushGrace"/> after the silo began to stop.</summary>
    public CancellationToken PushesAbandoned => _pushesAbandoned.Token;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloStopping), ServiceLifecycleStage.Active, _ => Task.CompletedTask, OnStopAsync);

    /// <inheritdoc />
    public void Dispose() => _pushesAbandoned.Dispose();

    private Task OnStopAsync(CancellationToken cancellationToken)
    {
        // The Active stage stops before grains are deactivated: the grace runs while they are.
        _pushesAbandoned.CancelAfter(PushGrace);
        return Task.CompletedTask;
    }
}
