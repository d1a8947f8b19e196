using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// The durable set of cities with pending webhook deliveries. A sweep timer wakes each listed outbox now and then, so
/// an outbox deactivated for any reason (a silo lost from a cluster, idle collection) resumes on its own. Also the
/// durable set of cities with webhooks, which cities ask before handing notices to their outbox.
/// </summary>
internal sealed partial class WebhookRegistryGrain(
    [PersistentState("webhook-registry", RiskMeshStorage.Name)] IPersistentState<WebhookRegistryState> state,
    [PersistentState("webhook-cities", RiskMeshStorage.Name)] IPersistentState<WebhookCitiesState> withWebhooks,
    StoredGrainKeys storedKeys,
    IOptions<WebhookOptions> options,
    ILogger<WebhookRegistryGrain> logger) : Grain, IWebhookRegistryGrain
{
    /// <summary>The state name of a city's outbox (<see cref="WebhookOutboxGrain"/>).</summary>
    internal const string OutboxStateName = "outbox";

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (withWebhooks.State.Cities is null)
        {
            await BuildCitiesWithWebhooksAsync(cancellationToken);
        }

        // Interleaved: a woken outbox calls SetPending while the sweep still waits for it.
        var every = options.Value.SweepInterval;
        this.RegisterGrainTimer(Sweep, new GrainTimerCreationOptions(every, every) { Interleave = true, KeepAlive = true });
        await base.OnActivateAsync(cancellationToken);
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

    /// <inheritdoc />
    public async Task SetHasWebhooks(string city, bool hasWebhooks)
    {
        ArgumentException.ThrowIfNullOrEmpty(city);
        var cities = withWebhooks.State.Cities ??= new HashSet<string>(StringComparer.Ordinal);
        var changed = hasWebhooks ? cities.Add(city) : cities.Remove(city);
        if (changed)
        {
            await withWebhooks.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    /// <remarks>A city whose key the stored outboxes cannot name (<see cref="StoredGrainKeys.IsStringKey"/>) may always have webhooks.</remarks>
    public Task<bool> HasWebhooks(string city) =>
        Task.FromResult(withWebhooks.State.Cities is not { } cities || cities.Contains(city) || !StoredGrainKeys.IsStringKey(city));

    /// <summary>
    /// Builds the set of cities with webhooks the first time, in a database written before it existed: every city whose
    /// outbox has a stored state (those without webhooks only hand their notices off as before until their webhooks are
    /// next set). Webhooks set from then on keep the set current.
    /// </summary>
    private async Task BuildCitiesWithWebhooksAsync(CancellationToken cancellationToken)
    {
        var outboxType = GrainFactory.GetGrain<IWebhookOutboxGrain>("-").GetGrainId().Type;
        var cities = await storedKeys.ListAsync(outboxType, OutboxStateName, cancellationToken);
        withWebhooks.State.Cities = new HashSet<string>(cities, StringComparer.Ordinal);
        await withWebhooks.WriteStateAsync();
        LogBuilt(logger, cities.Length);
    }

    private async Task Sweep(CancellationToken cancellationToken)
    {
        var cities = state.State.Cities.ToImmutableArray();
        if (!cities.IsEmpty)
        {
            await WebhookResumer.WakeAsync(GrainFactory, cities, logger, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook registry: built the set of cities that may have webhooks from the stored outboxes ({Count} cities)")]
    private static partial void LogBuilt(ILogger logger, int count);
}
