using System.Collections.Immutable;
using Orleans.Concurrency;

namespace RiskMesh.Abstractions.Webhooks;

/// <summary>
/// Singleton (key <see cref="RiskMesh.Abstractions.GrainKeys.Singleton"/>): the durable set of cities whose outbox has
/// pending deliveries, so a starting silo can wake them without waiting for a new notice; and the durable set of cities
/// that have webhooks, so a city without any need not activate its outbox for every notice it issues.
/// </summary>
[Alias("riskmesh.IWebhookRegistryGrain")]
public interface IWebhookRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Lists or unlists a city; writes only when that changes the set.</summary>
    [Alias("SetPending")]
    Task SetPending(string city, bool pending);

    /// <summary>The cities listed.</summary>
    [Alias("GetCities")]
    Task<ImmutableArray<string>> GetCities();

    /// <summary>
    /// Records whether a city has webhooks; writes only when that changes the set. Its outbox records a city before it
    /// stores webhooks and forgets it only after it stored none, so a city with stored webhooks is always recorded.
    /// </summary>
    [Alias("SetHasWebhooks")]
    Task SetHasWebhooks(string city, bool hasWebhooks);

    /// <summary>False only when the city has no webhook: its notices then need not be handed to its outbox.</summary>
    [Alias("HasWebhooks"), ReadOnly]
    Task<bool> HasWebhooks(string city);
}

/// <summary>The silo-side control of a city's outbox (same grain as <see cref="RiskMesh.Abstractions.IWebhookOutboxGrain"/>).</summary>
[Alias("riskmesh.IWebhookOutboxControl")]
public interface IWebhookOutboxControl : IGrainWithStringKey
{
    /// <summary>Activates the outbox so it resumes delivering; true when it has pending deliveries (otherwise it unlists itself).</summary>
    [Alias("Wake")]
    Task<bool> Wake();

    /// <summary>The deliveries still pending, oldest first: (notice id, url, attempts).</summary>
    [Alias("GetPending")]
    Task<ImmutableArray<PendingDeliveryView>> GetPending();
}

/// <summary>A pending delivery as reported by <see cref="IWebhookOutboxControl.GetPending"/>.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.PendingDeliveryView")]
public sealed record PendingDeliveryView(string NoticeId, string Url, int Attempts, DateTimeOffset NextAttemptAt, string? LastError);
