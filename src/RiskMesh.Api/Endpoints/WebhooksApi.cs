using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Notices;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Abstractions.Webhooks;

namespace RiskMesh.Api.Endpoints;

/// <summary>A webhook as sent in <c>PUT /cities/{id}/webhooks</c>.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookRequest(string? Url, string? Secret);

/// <summary>
/// A webhook as shown: its URL, its secret masked to the last four characters, and (on <c>GET</c>) how delivery to it goes.
/// </summary>
public sealed record WebhookView(string Url, string Secret)
{
    /// <summary>How delivery of the city's notices to it goes; on <c>GET</c> only.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public WebhookDeliveryView? Delivery { get; init; }
}

/// <summary>
/// How delivery of a city's notices to one webhook goes, for its team (newcomer 22a, L3): whether the last attempt
/// failed and since when, how many notices wait and when the oldest is tried again. What the receiver answered
/// (<see cref="LastStatus"/>, <see cref="LastError"/>) is shown to operators only, as with test sends: a responder key
/// learns whether its webhook takes the notices, not what an intranet address answers (review 20, finding 3).
/// </summary>
/// <param name="State"><c>delivering</c> (the last attempt took its notice), <c>failing</c> (the last attempt failed: its notices wait and are retried with backoff) or <c>not-tried</c> (no notice was sent to it yet).</param>
/// <param name="Pending">Notices waiting for it; they go in order, each after the one before.</param>
/// <param name="OldestPending">The oldest waiting notice's id: the one being tried.</param>
/// <param name="Attempts">Failed attempts at it so far.</param>
/// <param name="NextAttemptAt">When it is tried next.</param>
/// <param name="LastAttemptAt">When a notice was last sent to it.</param>
/// <param name="LastDeliveredAt">When it last took one with a 2xx.</param>
/// <param name="FailingSince">The first failed attempt since it last took one.</param>
/// <param name="LastStatus">The HTTP status of the last failed attempt (operators only).</param>
/// <param name="LastError">Why the last attempt failed, e.g. "answered 401" (operators only).</param>
public sealed record WebhookDeliveryView(
    string State, int Pending, string? OldestPending, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastDeliveredAt, DateTimeOffset? FailingSince, int? LastStatus, string? LastError)
{
    /// <summary>The view of a delivery state, with what the receiver answered only when <paramref name="detail"/>.</summary>
    public static WebhookDeliveryView Of(WebhookDeliveryState state, bool detail)
    {
        ArgumentNullException.ThrowIfNull(state);
        var status = state.FailingSince is not null ? "failing" : state.LastAttemptAt is null ? "not-tried" : "delivering";
        return new WebhookDeliveryView(
            status, state.Pending, state.OldestPending, state.Attempts, state.NextAttemptAt, state.LastAttemptAt, state.LastDeliveredAt,
            state.FailingSince, detail ? state.LastFailedStatus : null, detail ? state.LastError : null);
    }
}

/// <summary>The body of <c>POST /cities/{id}/webhooks/send-open</c>: which of the city's webhooks is sent its open notices.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record SendOpenRequest(string? Url);

/// <summary>
/// What <c>POST /cities/{id}/webhooks/send-open</c> did: the city's open notices (unacknowledged, not superseded, not
/// dated after the clock's day), oldest first, and those of them queued for the webhook now; the others were already
/// waiting for it.
/// </summary>
public sealed record SendOpenResult(string Url, ImmutableArray<string> Open, ImmutableArray<string> Queued);

/// <summary>What a test send to one webhook came to.</summary>
public sealed record WebhookTestResult(string Url, bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// Control of a city's webhooks, which receive its notices signed, through a durable outbox: by operators for every
/// city, and by a city's response team (a responder key) for the cities its key covers, so the team's own receiver
/// needs no key that also edits plans and moves the shared clock (newcomer 20b F4).
/// </summary>
public static partial class WebhooksApi
{
    /// <summary>The mask shown in place of all but the last four characters of a secret.</summary>
    public const string SecretMask = "****";

    private const string InvalidTitle = "Invalid webhooks: the old ones stay in force";

    /// <summary>
    /// What a responder's test send says of a webhook that did not take the message, in place of its status or error.
    /// The same words whatever the receiver answered: the secret is named for every failure (a receiver that checks
    /// signatures answers a wrong one 401 or 403, newcomer 24a L8), since naming it only then would tell the team that
    /// the address answered 401 or 403, the intranet probe the bare "not delivered" exists to prevent.
    /// </summary>
    public const string NotDeliveredForResponders = "not delivered: check that the receiver is running and answers 2xx, and that the webhook's secret matches the receiver's; an operator's test send, or the log, says what it answered";

    /// <summary>
    /// Maps <c>GET</c> and <c>PUT /cities/{id}/webhooks</c> and <c>POST …/webhooks/test</c>: operators for every city,
    /// responders for their key's cities (each endpoint checks the city, as a city's notices do).
    /// </summary>
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cities/{id}/webhooks", GetWebhooks).RequireAuthorization(RiskMeshPolicies.Responder).WithName("GetWebhooks")
            .WithSummary("A city's webhooks, secrets masked, each with how delivery to it goes (delivery: state delivering, failing or not-tried, pending notices, the oldest and its attempts, next attempt, last attempt, last delivered, failing since; for operators also the last failed status and error; absent while the city's outbox runs on a silo of an earlier build, during a rolling upgrade).");
        api.MapPut("/cities/{id}/webhooks", PutWebhooks).RequireAuthorization(RiskMeshPolicies.Responder).WithName("PutWebhooks")
            .Accepts<WebhookRequest[]>("application/json")
            .WithSummary("Replace a city's webhooks ([{\"url\", \"secret\"}], at most 10; [] for none); pending deliveries to a removed URL are dropped.");
        api.MapPost("/cities/{id}/webhooks/test", TestWebhooks).RequireAuthorization(RiskMeshPolicies.Responder).WithName("TestWebhooks")
            .WithSummary("POST a signed test notice (kind \"test\") to each of the city's webhooks now, outside the outbox, and report what each answered.");
        api.MapPost("/cities/{id}/webhooks/send-open", SendOpen).RequireAuthorization(RiskMeshPolicies.Responder).WithName("SendOpenNotices")
            .Accepts<SendOpenRequest>("application/json")
            .WithSummary("Send one of the city's webhooks ({\"url\"}) the city's open notices (unacknowledged, not superseded, not dated after the clock's day), as issued, through the outbox (signed, in order, retried); for a webhook added after they were issued. Notices already waiting for it are not queued twice; the other webhooks get nothing. Receivers dedupe on X-RiskMesh-Notice-Id.");
        return api;
    }

    /// <summary>A secret as shown: the mask and its last four characters.</summary>
    public static string Mask(string secret) => SecretMask + (secret.Length >= 4 ? secret[^4..] : "");

    private static async Task<Results<Ok<ImmutableArray<WebhookView>>, ProblemHttpResult>> GetWebhooks(
        string id, ClaimsPrincipal user, IGrainFactory grains, TopologyCatalog topology, ILoggerFactory loggers)
    {
        if (await CityAccess.RefusalAsync(id, user, topology) is { } refused)
        {
            return refused;
        }

        var detail = user.RiskMeshRole() != ApiKeyRoles.Responder;
        return TypedResults.Ok(await ViewsAsync(id, grains.GetGrain<IWebhookOutboxGrain>(id), detail, loggers.CreateLogger(typeof(WebhooksApi))));
    }

    /// <summary>
    /// A city's webhooks as <c>GET</c> shows them: each with how delivery to it goes, or without it when the city's
    /// outbox runs on a silo of a build before <see cref="IWebhookOutboxGrain.GetDeliveries"/> (review 22 F4: during a
    /// rolling upgrade an API node of this build beside such a silo failed the whole request, so no team could read its
    /// webhooks until every silo was upgraded). That silo cannot resolve the call's type and answers
    /// <see cref="TypeLoadException"/> (<c>OlderSiloWebhooksTests</c> shows Orleans doing so); any other failure is the
    /// request's.
    /// </summary>
    public static async Task<ImmutableArray<WebhookView>> ViewsAsync(string city, IWebhookOutboxGrain outbox, bool detail, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        var views = ViewOf(await outbox.GetWebhooks());
        ImmutableArray<WebhookDeliveryState> deliveries;
        try
        {
            deliveries = await outbox.GetDeliveries();
        }
        catch (TypeLoadException ex)
        {
            LogDeliveriesUnknown(logger, city, ex.Message);
            return views;
        }

        var byUrl = deliveries.ToDictionary(d => d.Url, StringComparer.Ordinal);
        return ImmutableArray.CreateRange(views.Select(view => byUrl.TryGetValue(view.Url, out var delivery)
            ? view with { Delivery = WebhookDeliveryView.Of(delivery, detail) }
            : view));
    }

    private static async Task<Results<Ok<ImmutableArray<WebhookView>>, ProblemHttpResult>> PutWebhooks(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TopologyCatalog topology, IOptions<WebhookOptions> options, ILoggerFactory loggers)
    {
        if (await CityAccess.RefusalAsync(id, user, topology) is { } refused)
        {
            return refused;
        }

        List<WebhookRequest?>? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<List<WebhookRequest?>>(request.Body, RequestJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest(InvalidTitle, $"The body must be a JSON array of {{\"url\", \"secret\"}}: {Problems.JsonDetail(ex, typeof(WebhookRequest))}");
        }

        if (body is null)
        {
            return Problems.BadRequest(InvalidTitle, "The body must be a JSON array of {\"url\", \"secret\"}, [] for none.");
        }

        var webhooks = body.Select(w => w is null ? null : new WebhookConfig(w.Url?.Trim() ?? "", w.Secret ?? "")).ToList();
        var allowLoopback = options.Value.AllowLoopback;
        var problems = WebhookValidation.Validate(webhooks, allowLoopback);
        if (problems.Length == 0)
        {
            // Names are resolved now too: a name pointing at a refused address is refused like the address itself.
            var resolved = await Task.WhenAll(webhooks.Select(w =>
                WebhookAddressPolicy.RefusalAsync(new Uri(w!.Url), allowLoopback, request.HttpContext.RequestAborted)));
            problems = [.. resolved.Select((refusal, i) => refusal is null ? null : $"webhooks[{i}].url '{WebhookValidation.Redact(webhooks[i]!.Url)}' is refused: {refusal}").OfType<string>()];
        }

        if (problems.Length > 0)
        {
            return Problems.BadRequest(InvalidTitle, string.Join("; ", problems), new Dictionary<string, object?> { ["problems"] = problems });
        }

        var accepted = webhooks.Select(w => w!).ToImmutableArray();
        var outbox = grains.GetGrain<IWebhookOutboxGrain>(id);
        await outbox.SetWebhooks(accepted);

        // Who changed where a city's notices go, now that a city's team may as well as an operator: the URLs without
        // query or user info (which may carry tokens), never the secrets.
        var urls = accepted.IsEmpty ? "none" : string.Join(", ", accepted.Select(w => WebhookValidation.Redact(w.Url)));
        LogWebhooksSet(loggers.CreateLogger(typeof(WebhooksApi)), id, user.KeyId(), user.RiskMeshRole() ?? "none", accepted.Length, urls);
        return TypedResults.Ok(ViewOf(accepted));
    }

    private static async Task<Results<Ok<ImmutableArray<WebhookTestResult>>, ProblemHttpResult>> TestWebhooks(
        string id, IGrainFactory grains, TopologyCatalog topology, WebhookSender sender, TimeProvider time, IOptions<WebhookOptions> options,
        WebhookTestSendLimit limit, ILoggerFactory loggers, HttpContext context)
    {
        if (CityAccess.Refusal(id, context.User, await topology.CurrentAsync(), out var city) is { } refused)
        {
            return refused;
        }

        // A responder key is a city team's, handed out widely: its test sends are limited, and it learns only whether
        // each webhook took the message, not what an intranet address answered (review 20, finding 3). Operators see
        // the status or error, as does the log.
        var responder = context.User.RiskMeshRole() == ApiKeyRoles.Responder;
        if (responder && limit.Take(context.User.KeyId(), id) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                $"A responder key may test-send a city's webhooks once every {WebhookTestSendLimit.Interval.TotalSeconds:0} s: try again in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many test sends");
        }

        var webhooks = await grains.GetGrain<IWebhookOutboxGrain>(id).GetWebhooks();
        if (webhooks.IsDefaultOrEmpty)
        {
            return TypedResults.Ok(ImmutableArray<WebhookTestResult>.Empty);
        }

        var noticeId = $"{id}-test";
        // A receiver that relays `summary` to people (as notices' bodies are meant to be relayed) relays a sentence
        // saying what this is, not an empty message; `cityName` as a notice carries it.
        var sentAt = time.GetUtcNow();
        var summary = $"Test message from RiskMesh to the webhooks of {city!.Name}, sent {sentAt:yyyy-MM-dd HH:mm} UTC: no notice was issued.";
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new { id = noticeId, city = id, cityName = city.Name, kind = "test", sentAt, summary, url = options.Value.Link($"/webhooks?city={Uri.EscapeDataString(id)}") },
            NoticeJson.Options);
        var attempts = await Task.WhenAll(webhooks.Select(w => sender.SendAsync(w.Url, w.Secret, noticeId, body, context.RequestAborted)));
        var logger = loggers.CreateLogger(typeof(WebhooksApi));
        foreach (var (webhook, attempt) in webhooks.Zip(attempts))
        {
            LogWebhookTested(logger, id, context.User.KeyId(), context.User.RiskMeshRole() ?? "none", WebhookValidation.Redact(webhook.Url), attempt.Delivered ? "delivered" : "not delivered", attempt.Error ?? "none");
        }

        return TypedResults.Ok(webhooks.Zip(attempts, (w, a) => responder
            ? new WebhookTestResult(w.Url, a.Delivered, null, a.Delivered ? null : NotDeliveredForResponders)
            : new WebhookTestResult(w.Url, a.Delivered, a.StatusCode, a.Error)).ToImmutableArray());
    }

    private static async Task<Results<Ok<SendOpenResult>, ProblemHttpResult>> SendOpen(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TopologyCatalog topology, RiskClock clock, ILoggerFactory loggers)
    {
        if (await CityAccess.RefusalAsync(id, user, topology) is { } refused)
        {
            return refused;
        }

        const string invalid = "Invalid send-open request";
        SendOpenRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SendOpenRequest>(request.Body, RequestJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest(invalid, $"The body must be {{\"url\": \"…\"}}, one of the city's webhooks: {Problems.JsonDetail(ex, typeof(SendOpenRequest))}");
        }

        if (string.IsNullOrWhiteSpace(body?.Url))
        {
            return Problems.BadRequest(invalid, "The body must be {\"url\": \"…\"}, one of the city's webhooks: 'url' is missing.");
        }

        var outbox = grains.GetGrain<IWebhookOutboxGrain>(id);
        var webhooks = await outbox.GetWebhooks();
        var url = body.Url.Trim();
        var key = WebhookValidation.TryKey(url, out var normal) ? normal : url;
        if (webhooks.FirstOrDefault(w => (WebhookValidation.TryKey(w.Url, out var k) ? k : w.Url) == key) is not { } webhook)
        {
            // The URL asked for without its user info or query (which may carry tokens), and the registered ones counted,
            // never listed here: GET …/webhooks shows them to whoever may read them.
            var has = webhooks.IsDefaultOrEmpty
                ? $"it has no webhooks: add it with PUT /api/v1/cities/{id}/webhooks first"
                : $"it has {webhooks.Length} webhook{(webhooks.Length == 1 ? "" : "s")}, listed by GET /api/v1/cities/{id}/webhooks";
            return TypedResults.Problem(
                $"City '{id}' has no webhook '{WebhookValidation.Redact(url)}': {has}.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown webhook",
                extensions: new Dictionary<string, object?> { ["webhookCount"] = webhooks.IsDefault ? 0 : webhooks.Length });
        }

        // Open is what a team must still act on: unacknowledged, replaced by no later notice, and in force on the
        // clock's day. Supersession needs every notice; the outbox is given them as issued (unmarked), as its hand-off is.
        var all = await grains.GetGrain<ICityResponseGrain>(id).GetNotices(null, 0);
        var inForce = (await NoticeSupersession.MarkAsync(all, clock))
            .Where(n => n.Status == NoticeStatuses.Open && n.SupersededBy is null && n.AheadOfClock != true)
            .Select(n => n.Sequence)
            .ToHashSet();
        ImmutableArray<NoticeView> open = [.. all.Where(n => inForce.Contains(n.Sequence)).OrderBy(n => n.Sequence)];
        var queued = open.IsEmpty ? [] : await outbox.EnqueueFor(webhook.Url, open);
        LogSentOpen(loggers.CreateLogger(typeof(WebhooksApi)), id, user.KeyId(), user.RiskMeshRole() ?? "none", WebhookValidation.Redact(webhook.Url), open.Length, queued.Length);
        return TypedResults.Ok(new SendOpenResult(webhook.Url, [.. open.Select(n => n.Id)], queued));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Open notices of {City} sent to {Url} by key {KeyId} ({Role}): {Open} open, {Queued} queued")]
    private static partial void LogSentOpen(ILogger logger, string city, string keyId, string role, string url, int open, int queued);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook test send to {City} by key {KeyId} ({Role}): {Url} {Outcome}; error: {Error}")]
    private static partial void LogWebhookTested(ILogger logger, string city, string keyId, string role, string url, string outcome, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks of {City} shown without their delivery: its outbox runs on a silo of an earlier build (a rolling upgrade?), which does not know GetDeliveries: {Error}")]
    private static partial void LogDeliveriesUnknown(ILogger logger, string city, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhooks of {City} set by key {KeyId} ({Role}): {Count} now, {Urls}")]
    private static partial void LogWebhooksSet(ILogger logger, string city, string keyId, string role, int count, string urls);

    private static ImmutableArray<WebhookView> ViewOf(ImmutableArray<WebhookConfig> webhooks) =>
        webhooks.IsDefault ? [] : [.. webhooks.Select(w => new WebhookView(w.Url, Mask(w.Secret)))];
}
