namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// A city's outbox as stored (JSON through the ADO.NET provider): its webhooks and the deliveries not yet acknowledged
/// with a 2xx, in the order they were enqueued. The type names are part of the stored form: do not rename them.
/// </summary>
public sealed class WebhookOutboxState
{
    /// <summary>The city's webhooks.</summary>
    public List<WebhookEndpoint> Webhooks { get; set; } = [];

    /// <summary>Deliveries still to make, oldest first; for one webhook they go strictly in this order.</summary>
    public List<PendingDelivery> Pending { get; set; } = [];
}

/// <summary>A stored webhook.</summary>
public sealed class WebhookEndpoint
{
    /// <summary>Where notices are POSTed.</summary>
    public string Url { get; set; } = "";

    /// <summary>The HMAC key of the signature.</summary>
    public string Secret { get; set; } = "";
}

/// <summary>One notice still to be delivered to one webhook.</summary>
public sealed class PendingDelivery
{
    /// <summary>The notice's id, sent as <c>X-RiskMesh-Notice-Id</c>.</summary>
    public string NoticeId { get; set; } = "";

    /// <summary>The webhook's URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>The webhook's secret (kept current when the webhook's secret is replaced).</summary>
    public string Secret { get; set; } = "";

    /// <summary>The exact JSON body, fixed at enqueue time so every attempt sends and signs the same bytes.</summary>
    public string Body { get; set; } = "";

    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When it was enqueued (wall clock).</summary>
    public DateTimeOffset EnqueuedAt { get; set; }

    /// <summary>Not before this time (wall clock).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; set; }

    /// <summary>A copy, so a stored snapshot is never changed while it is being written.</summary>
    public PendingDelivery Clone() => (PendingDelivery)MemberwiseClone();
}

/// <summary>The registry as stored: cities whose outbox may have pending deliveries.</summary>
public sealed class WebhookRegistryState
{
    /// <summary>The cities.</summary>
    public HashSet<string> Cities { get; set; } = [];
}
