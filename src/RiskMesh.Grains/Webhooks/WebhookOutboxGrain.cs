using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// A city's durable webhook outbox. <see cref="Enqueue"/> stores one delivery per webhook before it returns (a notice of
/// a sequence already queued is ignored, so the city may hand a notice off again after a crash); a timer
/// POSTs, for each webhook, its oldest pending delivery, removes it on 2xx and otherwise retries it after an exponential
/// backoff, so each webhook receives the city's notices in order and a webhook that is down loses nothing.
/// </summary>
/// <remarks>
/// The delivery timer interleaves with grain calls, so a slow or silent receiver never holds up <see cref="Enqueue"/>
/// (and with it the city grain). Hence the working queue lives in fields, every write stores a fresh copy of it, and
/// writes and registry updates go one at a time through <see cref="_saveGate"/>.
/// </remarks>
internal sealed partial class WebhookOutboxGrain(
    [PersistentState(WebhookRegistryGrain.OutboxStateName, RiskMeshStorage.Name)] IPersistentState<WebhookOutboxState> state,
    WebhookSender sender,
    WebhookSecretProtector secrets,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookOutboxGrain> logger) : Grain, IWebhookOutboxGrain, IWebhookOutboxControl
{
    /// <summary>Longest timer sleep while deliveries are pending: its ticks keep the activation alive.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _saveGate = new(1, 1);
    private ImmutableArray<WebhookConfig> _webhooks = [];

    // How delivery to each webhook went, by its URL: stored with it (WebhookEndpoint), so a team reads it after a restart.
    private Dictionary<string, WebhookEndpoint> _delivery = new(StringComparer.Ordinal);
    private List<PendingDelivery> _pending = [];
    private long _enqueuedThrough;
    private IGrainTimer? _timer;
    private bool _registered;

    private string City => this.GetPrimaryKeyString();

    private IWebhookRegistryGrain Registry => GrainFactory.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton);

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The silo that activates the outbox next reports its depth.
        RiskMeshMetrics.SetOutboxDepth(this, 0);
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Secrets are stored encrypted and held in memory in the clear; plaintext from older state is read as is.
        _webhooks = [.. state.State.Webhooks.Select(w => new WebhookConfig(w.Url, Reveal(w.Secret)))];
        _delivery = state.State.Webhooks.DistinctBy(w => w.Url, StringComparer.Ordinal).ToDictionary(w => w.Url, DeliveryOf, StringComparer.Ordinal);
        _pending = [.. state.State.Pending.Select(p =>
        {
            var copy = p.Clone();
            copy.Secret = Reveal(p.Secret);
            return copy;
        })];
        _enqueuedThrough = state.State.EnqueuedThrough;

        // A stored pending delivery implies the registry lists the city: it is listed before the delivery is written.
        _registered = _pending.Count > 0;
        RiskMeshMetrics.SetOutboxDepth(this, _pending.Count);
        if (_pending.Count > 0)
        {
            LogResuming(logger, City, _pending.Count);
            Schedule(TimeSpan.Zero);
        }

        if (!_webhooks.IsEmpty)
        {
            await EnsureListedAsync();
        }

        if (state.State.Webhooks.Any(w => !WebhookSecretProtector.IsProtected(w.Secret))
            || state.State.Pending.Any(p => !WebhookSecretProtector.IsProtected(p.Secret)))
        {
            // Migrate on read: plaintext secrets an older version stored are rewritten encrypted at once.
            LogSecretsMigrated(logger, City);
            await SaveAsync();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<WebhookConfig>> GetWebhooks() => Task.FromResult(_webhooks);

    /// <summary>
    /// Webhooks stored by an outbox of a previous version (a rolling upgrade, a rollback) were never recorded in the
    /// registry, so the city would hand them nothing: an outbox that finds webhooks records its city (the registry writes
    /// only when that changes its set). A failure is logged, not thrown: the outbox still delivers what it holds.
    /// </summary>
    private async Task EnsureListedAsync()
    {
        try
        {
            await Registry.SetHasWebhooks(City, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogListingFailed(logger, ex, City);
        }
    }

    /// <inheritdoc />
    public async Task SetWebhooks(ImmutableArray<WebhookConfig> webhooks)
    {
        webhooks = webhooks.IsDefault ? [] : webhooks;
        var problems = WebhookValidation.Validate([.. webhooks], options.Value.AllowLoopback);
        if (problems.Length > 0)
        {
            throw new ArgumentException("Invalid webhooks: " + string.Join("; ", problems), nameof(webhooks));
        }

        var kept = webhooks.ToDictionary(w => KeyOf(w.Url), StringComparer.Ordinal);
        foreach (var dropped in _pending.Where(p => !kept.ContainsKey(KeyOf(p.Url))).GroupBy(p => p.Url, StringComparer.Ordinal))
        {
            LogDropped(logger, City, WebhookValidation.Redact(dropped.Key), dropped.Count());
        }

        _pending.RemoveAll(p => !kept.ContainsKey(KeyOf(p.Url)));
        foreach (var delivery in _pending)
        {
            // A kept webhook with a new secret or spelling: the receiver now checks the new secret.
            var webhook = kept[KeyOf(delivery.Url)];
            delivery.Url = webhook.Url;
            delivery.Secret = webhook.Secret;
        }

        // The registry lists a city with webhooks before they are stored and unlists it only once none are, so a city
        // that is told it has none has none stored; the city is then told to ask again before its next hand-off.
        var hasWebhooks = !webhooks.IsEmpty;
        if (hasWebhooks)
        {
            await Registry.SetHasWebhooks(City, true);
        }

        _webhooks = webhooks;
        // A kept webhook keeps its record (a new secret may be what mends it, and the team then sees it recover).
        _delivery = webhooks.Select(w => w.Url).Distinct(StringComparer.Ordinal)
            .ToDictionary(url => url, url => _delivery.GetValueOrDefault(url) ?? new WebhookEndpoint { Url = url }, StringComparer.Ordinal);
        await SaveAsync();
        if (!hasWebhooks)
        {
            await Registry.SetHasWebhooks(City, false);
        }

        await GrainRefs.Get<ICityResponseGrain>(GrainFactory, City).OnWebhooksChanged();
    }

    /// <summary>
    /// A notice as its webhooks receive it: the notice's JSON, with <c>url</c> an absolute link to its page when
    /// <see cref="WebhookOptions.PublicBaseUrl"/> is set (fixed at enqueue, so retries carry the same link).
    /// </summary>
    public static string Body(NoticeView notice, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(options);
        // The notice's own JSON (NoticeJson), "+" and "'" as they are: the body is signed as sent, so a relay's text and
        // the signature are over the same bytes.
        var json = JsonSerializer.SerializeToNode(notice, NoticeJson.Options)!.AsObject();
        json["url"] = options.Link(notice.Url);
        return json.ToJsonString(NoticeJson.Options);
    }

    /// <inheritdoc />
    public async Task Enqueue(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (_webhooks.IsDefaultOrEmpty && _pending.Count == 0)
        {
            // No webhook configured when it was handed off: nothing to keep, so no activation is kept either. A city
            // the registry knows to have no webhooks hands nothing off (CityGrain.HandOffToOutboxAsync); one that
            // hands off anyway (it could not ask the registry) leaves no activation behind (at 100,000 entities the
            // bench once left 27,653 outbox activations in memory for nothing).
            DeactivateOnIdle();
            return;
        }

        if (_webhooks.IsDefaultOrEmpty || notice.Sequence <= _enqueuedThrough)
        {
            // No webhook configured when it was handed off, or already queued (and maybe delivered) before.
            return;
        }

        var body = Body(notice, options.Value);
        var now = time.GetUtcNow();
        var added = 0;
        foreach (var webhook in _webhooks)
        {
            // The same notice enqueued twice (a retried call) is one delivery while the first is still pending.
            if (_pending.Any(p => p.NoticeId == notice.Id && p.Url == webhook.Url))
            {
                continue;
            }

            _pending.Add(Delivery(notice, webhook, body, now));
            added++;
        }

        _enqueuedThrough = notice.Sequence;
        if (added > 0)
        {
            await SaveAsync();
            Schedule(TimeSpan.Zero);
        }
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<string>> EnqueueFor(string url, ImmutableArray<NoticeView> notices)
    {
        ArgumentNullException.ThrowIfNull(url);
        var key = KeyOf(url);
        var webhook = _webhooks.FirstOrDefault(w => KeyOf(w.Url) == key)
            ?? throw new ArgumentException($"City '{City}' has no webhook '{WebhookValidation.Redact(url)}'.", nameof(url));
        var now = time.GetUtcNow();
        var queued = ImmutableArray.CreateBuilder<string>();
        foreach (var notice in (notices.IsDefault ? [] : notices).OrderBy(n => n.Sequence))
        {
            // Already waiting for this webhook: one delivery is enough. _enqueuedThrough is left alone: it is what keeps
            // the city's later hand-off of a notice from reaching the other webhooks twice.
            if (_pending.Any(p => p.NoticeId == notice.Id && p.Url == webhook.Url))
            {
                continue;
            }

            _pending.Add(Delivery(notice, webhook, Body(notice, options.Value), now));
            queued.Add(notice.Id);
        }

        if (queued.Count > 0)
        {
            LogSentAgain(logger, City, queued.Count, WebhookValidation.Redact(webhook.Url));
            await SaveAsync();
            Schedule(TimeSpan.Zero);
        }

        return queued.ToImmutable();
    }

    // One notice for one webhook, due now: Enqueue and EnqueueFor queue alike, and the delivery loop signs and retries it.
    private static PendingDelivery Delivery(NoticeView notice, WebhookConfig webhook, string body, DateTimeOffset now) => new()
    {
        NoticeId = notice.Id,
        Url = webhook.Url,
        Secret = webhook.Secret,
        Body = body,
        EnqueuedAt = now,
        NextAttemptAt = now,
    };

    /// <inheritdoc />
    public async Task<bool> Wake()
    {
        if (_pending.Count > 0)
        {
            Schedule(TimeSpan.Zero);
            return true;
        }

        await SaveAsync();
        return false;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<WebhookDeliveryState>> GetDeliveries() =>
        Task.FromResult<ImmutableArray<WebhookDeliveryState>>([.. _webhooks.Select(w =>
        {
            var waiting = _pending.Where(p => p.Url == w.Url).ToList();
            var head = waiting.FirstOrDefault();
            var record = _delivery.GetValueOrDefault(w.Url) ?? new WebhookEndpoint { Url = w.Url };
            return new WebhookDeliveryState(
                w.Url, waiting.Count, head?.NoticeId, head?.Attempts ?? 0, head?.NextAttemptAt,
                record.LastAttemptAt, record.LastDeliveredAt, record.FailingSince, record.LastFailedStatus, record.LastError);
        })]);

    // A webhook's delivery record, without its secret (the secret is held in _webhooks).
    private static WebhookEndpoint DeliveryOf(WebhookEndpoint stored)
    {
        var record = stored.Clone();
        record.Secret = "";
        return record;
    }

    /// <inheritdoc />
    public Task<ImmutableArray<PendingDeliveryView>> GetPending() =>
        Task.FromResult<ImmutableArray<PendingDeliveryView>>(
            [.. _pending.Select(p => new PendingDeliveryView(p.NoticeId, p.Url, p.Attempts, p.NextAttemptAt, p.LastError))]);

    private string Reveal(string stored)
    {
        if (secrets.Unprotect(stored) is { } secret)
        {
            return secret;
        }

        // Deliveries go on, with signatures the receiver will refuse, until an operator sets the secret again.
        LogSecretUnreadable(logger, City);
        return stored;
    }

    private static string KeyOf(string url) => WebhookValidation.TryKey(url, out var key) ? key : url;

    /// <summary>Each webhook's oldest pending delivery: the only one of that webhook that may be sent.</summary>
    private List<PendingDelivery> Heads() =>
        [.. _pending.GroupBy(p => p.Url, StringComparer.Ordinal).Select(g => g.First())];

    /// <summary>The timer's tick: sends every due head, applies the outcomes, repeats while heads are due.</summary>
    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                var due = Heads().Where(d => d.NextAttemptAt <= now).ToList();
                if (due.Count == 0)
                {
                    break;
                }

                var outcomes = await Task.WhenAll(due.Select(d =>
                    sender.SendAsync(d.Url, d.Secret, d.NoticeId, Encoding.UTF8.GetBytes(d.Body), cancellationToken)));
                if (cancellationToken.IsCancellationRequested)
                {
                    // Deactivating: the deliveries stay pending as stored and resume on the next activation.
                    return;
                }

                Apply(due, outcomes);
                await SaveAsync();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // What was delivered but not yet stored as removed is sent again later: at least once, never lost.
            LogRoundFailed(logger, ex, City);
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                ScheduleNext();
            }
        }
    }

    private void Apply(List<PendingDelivery> sent, WebhookAttempt[] outcomes)
    {
        var now = time.GetUtcNow();
        for (var i = 0; i < sent.Count; i++)
        {
            var delivery = sent[i];
            var outcome = outcomes[i];
            Record(delivery.Url, outcome, now);
            if (outcome.Delivered)
            {
                // False when SetWebhooks dropped it meanwhile; nothing more to do then.
                _pending.Remove(delivery);
                LogDelivered(logger, City, delivery.NoticeId, WebhookValidation.Redact(delivery.Url), delivery.Attempts + 1);
                continue;
            }

            delivery.Attempts++;
            delivery.LastError = outcome.Error;
            var delay = WebhookBackoff.Delay(delivery.Attempts, options.Value, Random.Shared.NextDouble());
            delivery.NextAttemptAt = now + delay;
            LogAttemptFailed(logger, City, delivery.NoticeId, WebhookValidation.Redact(delivery.Url), delivery.Attempts, outcome.Error, delay);
        }
    }

    /// <summary>What an attempt to a webhook came to, for its team (<see cref="GetDeliveries"/>).</summary>
    private void Record(string url, WebhookAttempt outcome, DateTimeOffset now)
    {
        if (!_delivery.TryGetValue(url, out var record))
        {
            // A webhook removed while the attempt was in flight: nothing to tell of it.
            return;
        }

        record.LastAttemptAt = now;
        if (outcome.Delivered)
        {
            record.LastDeliveredAt = now;
            record.FailingSince = null;
            record.LastFailedStatus = null;
            record.LastError = null;
        }
        else
        {
            record.FailingSince ??= now;
            record.LastFailedStatus = outcome.StatusCode;
            record.LastError = outcome.Error;
        }
    }

    /// <summary>
    /// Writes a fresh snapshot of the outbox. The registry lists the city before a pending delivery is stored and unlists
    /// it only after an empty queue is stored, so a stored delivery is always found by a restarting silo.
    /// </summary>
    private async Task SaveAsync()
    {
        await _saveGate.WaitAsync();
        try
        {
            var snapshot = new WebhookOutboxState
            {
                Webhooks = [.. _webhooks.Select(w => WithSecret(_delivery.GetValueOrDefault(w.Url), w))],
                Pending = [.. _pending.Select(p =>
                {
                    var copy = p.Clone();
                    copy.Secret = secrets.Protect(p.Secret);
                    return copy;
                })],
                EnqueuedThrough = _enqueuedThrough,
            };
            if (snapshot.Pending.Count > 0 && !_registered)
            {
                await Registry.SetPending(City, true);
                _registered = true;
            }

            state.State = snapshot;
            await state.WriteStateAsync();
            RiskMeshMetrics.SetOutboxDepth(this, snapshot.Pending.Count);
            if (snapshot.Pending.Count == 0)
            {
                // Also unlists a city listed by a write that never completed (harmless, and only written when listed).
                await Registry.SetPending(City, false);
                _registered = false;
            }
        }
        finally
        {
            _saveGate.Release();
        }
    }

    // A webhook as stored: its delivery record, with its URL and its secret encrypted.
    private WebhookEndpoint WithSecret(WebhookEndpoint? record, WebhookConfig webhook)
    {
        var stored = record is null ? new WebhookEndpoint() : DeliveryOf(record);
        stored.Url = webhook.Url;
        stored.Secret = secrets.Protect(webhook.Secret);
        return stored;
    }

    private void ScheduleNext()
    {
        if (_pending.Count == 0)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var wait = Heads().Min(d => d.NextAttemptAt) - time.GetUtcNow();
        Schedule(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Heartbeat ? Heartbeat : wait);
    }

    private void Schedule(TimeSpan dueTime)
    {
        if (_timer is null)
        {
            _timer = this.RegisterGrainTimer(
                DeliverDueAsync,
                new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        }
        else
        {
            // During a tick the change takes effect once the tick completes, so ticks never overlap.
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook outbox of {City} could not record in the registry that the city has webhooks; until the registry or this outbox records it, the city may hand it no notices")]
    private static partial void LogListingFailed(ILogger logger, Exception exception, string city);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook outbox of {City} resumes {Pending} pending deliveries")]
    private static partial void LogResuming(ILogger logger, string city, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook outbox of {City} queues {Count} open notices again for {Url}")]
    private static partial void LogSentAgain(ILogger logger, string city, int count, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Url} of {City} was removed: {Count} pending deliveries to it are dropped")]
    private static partial void LogDropped(ILogger logger, string city, string url, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notice {NoticeId} of {City} delivered to {Url} at attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string city, string noticeId, string url, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} of {City} not delivered to {Url} (attempt {Attempts}): {Error}; retrying in {Delay}")]
    private static partial void LogAttemptFailed(ILogger logger, string city, string noticeId, string url, int attempts, string? error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook outbox of {City} held plaintext secrets from an older version; they are now stored encrypted")]
    private static partial void LogSecretsMigrated(ILogger logger, string city);

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook secret of {City} cannot be decrypted (data-protection key ring lost or not shared?); set the city's webhooks again")]
    private static partial void LogSecretUnreadable(ILogger logger, string city);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery round of {City} failed; pending deliveries are kept and retried")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string city);
}
