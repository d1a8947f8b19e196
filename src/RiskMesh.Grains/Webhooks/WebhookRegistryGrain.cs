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

    // Whether this activation has added the stored outboxes to the set of cities with webhooks, and the reading under way.
    private bool _storedOutboxesMerged;
    private Task? _merging;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
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
    /// <remarks>
    /// The first question of an activation first adds the stored outboxes to the set
    /// (<see cref="MergeStoredOutboxesAsync"/>); while they cannot be read, every city may have webhooks. So may, always,
    /// a city whose key the stored outboxes cannot name (<see cref="StoredGrainKeys.IsStringKey"/>).
    /// </remarks>
    public async Task<bool> HasWebhooks(string city)
    {
        if (!_storedOutboxesMerged)
        {
            // Read-only calls interleave: concurrent first questions share one reading; one that failed is tried again.
            if (_merging is null || _merging.IsCompleted)
            {
                _merging = MergeStoredOutboxesAsync();
            }

            await _merging;
        }

        return !_storedOutboxesMerged || withWebhooks.State.Cities is not { } cities || cities.Contains(city) || !StoredGrainKeys.IsStringKey(city);
    }

    /// <summary>
    /// Adds every city whose outbox has a stored state to the set of cities with webhooks, once per activation. In a
    /// database written before the set existed this builds it; afterwards it adds what an outbox of a previous version
    /// stored without recording it (set through an older silo during a rolling upgrade, or after a rollback). A city
    /// listed whose outbox keeps no webhook hands its notices off as before, until its webhooks are next set. Not done in
    /// the activation, so a reading that fails (tried again at the next question) never keeps the registry from activating.
    /// </summary>
    private async Task MergeStoredOutboxesAsync()
    {
        try
        {
            var outboxType = GrainFactory.GetGrain<IWebhookOutboxGrain>("-").GetGrainId().Type;
            var stored = await storedKeys.ListAsync(outboxType, OutboxStateName);
            var building = withWebhooks.State.Cities is null;
            var cities = withWebhooks.State.Cities ??= new HashSet<string>(StringComparer.Ordinal);
            var added = stored.Count(cities.Add);
            if (building || added > 0)
            {
                await withWebhooks.WriteStateAsync();
            }

            _storedOutboxesMerged = true;
            if (building)
            {
                LogBuilt(logger, stored.Length);
            }
            else if (added > 0)
            {
                LogMerged(logger, added);
            }
        }
        catch (Exception ex)
        {
            LogMergeFailed(logger, ex);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook registry: {Count} cities have stored webhooks the registry did not list (set through a silo of a previous version?); they are listed now, and their notices reach their webhooks again")]
    private static partial void LogMerged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook registry: could not read the stored outboxes; until it can (tried again at the next question), every city counts as having webhooks")]
    private static partial void LogMergeFailed(ILogger logger, Exception exception);
}
