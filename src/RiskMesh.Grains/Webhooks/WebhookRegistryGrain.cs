using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// The durable set of cities with pending webhook deliveries. A sweep timer wakes each listed outbox now and then, so
/// an outbox deactivated for any reason (a silo lost from a cluster, idle collection) resumes on its own.
/// </summary>
internal sealed partial class WebhookRegistryGrain(
    [PersistentState("webhook-registry", RiskMeshStorage.Name)] IPersistentState<WebhookRegistryState> state,
    IOptions<WebhookOptions> options,
    ILogger<WebhookRegistryGrain> logger) : Grain, IWebhookRegistryGrain
{
    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Interleaved: a woken outbox calls SetPending while the sweep still waits for it.
        var every = options.Value.SweepInterval;
        this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(every, every) { Interleave = true, KeepAlive = true });
        return base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task SetPending(string city, bool pending)
    {
        ArgumentException.ThrowIfNullOrEmpty(city);
        var changed = pending ? state.State.Cities.Add(city) : state.State.Cities.Remove(city);
        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<ImmutableArray<string>> GetCities() =>
        Task.FromResult<ImmutableArray<string>>([.. state.State.Cities.Order(StringComparer.Ordinal)]);

    private async Task Sweep(CancellationToken cancellationToken)
    {
        var cities = state.State.Cities.ToImmutableArray();
        if (!cities.IsEmpty)
        {
            await WebhookResumer.WakeAsync(GrainFactory, cities, logger, cancellationToken);
        }
    }
}
