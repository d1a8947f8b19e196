namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// A city's outbox as stored (JSON through the ADO.NET provider): its webhooks and the deliveries not yet acknowledged
/// with a 2xx, in the order they were enqueued. The type names are part of the stored form: do not rename them; and
/// the storage serializer reads back only types marked [GenerateSerializer], hence the attributes on every stored class.
/// </summary>
[GenerateSerializer, Alias("riskmesh.WebhookOutboxState")]
internal sealed class WebhookOutboxState
{
    /// <summary>The city's webhooks.</summary>
    [Id(0)]
    public List<WebhookEndpoint> Webhooks { get; set; } = [];

    /// <summary>Deliveries still to make, oldest first; for one webhook they go strictly in this order.</summary>
    [Id(1)]
    public List<PendingDelivery> Pending { get; set; } = [];

    /// <summary>
    /// The highest notice sequence of the city already queued: the city hands a notice off again after a crash, and
    /// that repeat is ignored rather than sent again behind later notices.
    /// </summary>
    [Id(2)]
    public long EnqueuedThrough { get; set; }
}

/// <summary>A stored webhook.</summary>
[GenerateSerializer, Alias("riskmesh.WebhookEndpoint")]
internal sealed class WebhookEndpoint
{
    /// <summary>Where notices are POSTed.</summary>
    [Id(0)]
    public string Url { get; set; } = "";

    /// <summary>The HMAC key of the signature, stored encrypted (<see cref="WebhookSecretProtector"/>); plaintext in older state.</summary>
    [Id(1)]
    public string Secret { get; set; } = "";

    /// <summary>When a notice was last POSTed to it (wall clock); null before the first attempt.</summary>
    [Id(2)]
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>When it last took a notice with a 2xx (wall clock).</summary>
    [Id(3)]
    public DateTimeOffset? LastDeliveredAt { get; set; }

    /// <summary>The first failed attempt since it last took a notice; null while the last attempt succeeded.</summary>
    [Id(4)]
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>The HTTP status of the last failed attempt, if it answered.</summary>
    [Id(5)]
    public int? LastFailedStatus { get; set; }

    /// <summary>Why the last attempt failed ("answered 401", "no answer within 10 s"); null while it succeeded.</summary>
    [Id(6)]
    public string? LastError { get; set; }

    /// <summary>A copy, so a stored snapshot is never changed while it is being written.</summary>
    public WebhookEndpoint Clone() => (WebhookEndpoint)MemberwiseClone();
}

/// <summary>One notice still to be delivered to one webhook.</summary>
[GenerateSerializer, Alias("riskmesh.PendingDelivery")]
internal sealed class PendingDelivery
{
    /// <summary>The notice's id, sent as <c>X-RiskMesh-Notice-Id</c>.</summary>
    [Id(0)]
    public string NoticeId { get; set; } = "";

    /// <summary>The webhook's URL.</summary>
    [Id(1)]
    public string Url { get; set; } = "";

    /// <summary>The webhook's secret (kept current when the webhook's secret is replaced).</summary>
    [Id(2)]
    public string Secret { get; set; } = "";

    /// <summary>The exact JSON body, fixed at enqueue time so every attempt sends and signs the same bytes.</summary>
    [Id(3)]
    public string Body { get; set; } = "";

    /// <summary>Failed attempts so far.</summary>
    [Id(4)]
    public int Attempts { get; set; }

    /// <summary>When it was enqueued (wall clock).</summary>
    [Id(5)]
    public DateTimeOffset EnqueuedAt { get; set; }

    /// <summary>Not before this time (wall clock).</summary>
    [Id(6)]
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed.</summary>
    [Id(7)]
    public string? LastError { get; set; }

    /// <summary>A copy, so a stored snapshot is never changed while it is being written.</summary>
    public PendingDelivery Clone() => (PendingDelivery)MemberwiseClone();
}

/// <summary>The registry as stored: cities whose outbox may have pending deliveries.</summary>
[GenerateSerializer, Alias("riskmesh.WebhookRegistryState")]
internal sealed class WebhookRegistryState
{
    /// <summary>The cities.</summary>
    [Id(0)]
    public HashSet<string> Cities { get; set; } = [];
}

/// <summary>The registry's second set as stored: cities that have webhooks (null until built from the stored outboxes).</summary>
[GenerateSerializer, Alias("riskmesh.WebhookCitiesState")]
internal sealed class WebhookCitiesState
{
    /// <summary>The cities; null in a database that has never had the set, which the registry then builds once.</summary>
    [Id(0)]
    public HashSet<string>? Cities { get; set; }
}
