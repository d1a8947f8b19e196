using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Webhooks;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>The city's response side: escalation with hysteresis and dwell, notices, plan, observers, webhooks.</summary>
public sealed partial class CityGrain : ICityResponseGrain
{
    /// <summary>How far back one evaluation catches up when the clock jumps.</summary>
    public const int MaxCatchUpDays = 60;

    private const int MaxStoredNotices = 2000;

    private ObserverManager<INoticeObserver>? _observers;

    private ObserverManager<INoticeObserver> Observers =>
        _observers ??= new ObserverManager<INoticeObserver>(TimeSpan.FromMinutes(5), Services.Loggers.CreateLogger<CityGrain>());

    /// <inheritdoc />
    public async Task<ImmutableArray<NoticeView>> EvaluateToToday()
    {
        // Notices stored before a crash but not yet in the outbox go first, so each webhook still gets them in order.
        await HandOffToOutboxAsync();
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        var escalation = _response.State.Escalation;
        var from = escalation.LastEvaluatedDay is { } last ? Math.Min(last + 1, today) : today;
        from = Math.Max(from, today - MaxCatchUpDays);
        await EnsureUpstreamAsync(topology, from, today);

        var plan = Plan();
        var ports = topology.PortsOfCity(Id).Select(p => p.Id).ToList();
        var before = Persisted(escalation);
        var issued = ImmutableArray.CreateBuilder<NoticeView>();
        for (var day = from; day <= today; day++)
        {
            var assessment = Assess(topology, day);
            if (EscalationPolicy.Evaluate(escalation, plan, day, assessment.Score) is { } change)
            {
                issued.Add(NewNotice(change.IsEscalation ? "escalation" : "de-escalation", change.PreviousLevel, change.NewLevel, assessment, null, plan.ActionsOf(change.NewLevel)));
            }

            var portScores = ports.Select(port => (port, UpstreamOn(port, day)?.Score));
            foreach (var (port, level) in EscalationPolicy.PortsAboveCity(escalation, plan, portScores))
            {
                issued.Add(NewNotice("port-above-city", escalation.Level, level, assessment, port, plan.ActionsOf(level)));
            }
        }

        // The last evaluated day alone is not worth a write: re-evaluating a day after a restart decides the same.
        if (issued.Count > 0 || Persisted(escalation) != before)
        {
            await _response.WriteStateAsync();
        }

        foreach (var notice in issued)
        {
            LogNotice(_logger, Id, notice.Id, notice.Kind, notice.PreviousLevel, notice.NewLevel);
            RiskMeshMetrics.NoticesIssued.Add(1, RiskMeshMetrics.Tag("kind", notice.Kind));
        }

        if (issued.Count > 0 && FaultInjection.KillAfterNoticeStored)
        {
            // Test hook (off by default): die as a crash would, with the notice stored and not yet in the outbox.
            LogKilledByTestHook(_logger, Id);
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            self.Kill();
        }

        await HandOffToOutboxAsync();
        foreach (var notice in issued)
        {
            await Observers.Notify(observer => observer.OnNotice(notice));
        }

        return issued.ToImmutable();
    }

    /// <inheritdoc />
    public Task<ImmutableArray<NoticeView>> GetNotices(string? status, long afterSequence) =>
        Task.FromResult<ImmutableArray<NoticeView>>(
        [
            .. _response.State.NoticesJson
                .Select(NoticeJson.Read)
                .Where(n => n.Sequence > afterSequence && (status is null || n.Status == status)),
        ]);

    /// <inheritdoc />
    public async Task<NoticeView?> Acknowledge(string noticeId, string acknowledgedBy, string? comment)
    {
        var notices = _response.State.NoticesJson;
        for (var i = 0; i < notices.Count; i++)
        {
            var notice = NoticeJson.Read(notices[i]);
            if (notice.Id != noticeId)
            {
                continue;
            }

            if (notice.Status == "acknowledged")
            {
                return notice;
            }

            var acknowledged = notice with { Status = "acknowledged", AcknowledgedBy = acknowledgedBy, AcknowledgedAt = _time.GetUtcNow(), AcknowledgementComment = comment };
            notices[i] = NoticeJson.Write(acknowledged);
            await _response.WriteStateAsync();
            return acknowledged;
        }

        return null;
    }

    /// <inheritdoc />
    public Task<ResponsePlanView> GetPlan() =>
        Task.FromResult(NoticeJson.ToView(Id, Plan(), _response.State.PlanJson is null));

    /// <inheritdoc />
    public async Task<ResponsePlanView> SetPlan(ImmutableArray<PlanLevelView> levels)
    {
        var plan = NoticeJson.FromView(levels);
        var problems = plan.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid plan: " + string.Join("; ", problems), nameof(levels));
        }

        _response.State.PlanJson = JsonSerializer.Serialize(NoticeJson.ToView(Id, plan, false).Levels, NoticeJson.Options);
        _plan = null;
        await _response.WriteStateAsync();

        // A plan whose thresholds today's score already crosses takes effect now, not at the next event.
        await EvaluateToToday();
        return NoticeJson.ToView(Id, plan, false);
    }

    /// <inheritdoc />
    public Task SubscribeNotices(INoticeObserver observer)
    {
        Observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnsubscribeNotices(INoticeObserver observer)
    {
        Observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Moves every stored notice the outbox has not been given yet into it, oldest first, then records that. The stored
    /// notices above <see cref="CityResponseState.HandedOffThrough"/> are the durable schedule of deliveries: storing a
    /// notice schedules it in the same write, and a crash before the hand-off only delays it to the next evaluation
    /// (every city evaluates when a silo starts). The outbox ignores a notice it already holds, so a hand-off repeated
    /// after a crash delivers nothing twice and nothing out of order.
    /// </summary>
    private async Task HandOffToOutboxAsync()
    {
        var state = _response.State;
        if (state.LastSequence <= state.HandedOffThrough)
        {
            return;
        }

        var outbox = GrainFactory.GetGrain<IWebhookOutboxGrain>(Id);
        foreach (var notice in state.NoticesJson.Select(NoticeJson.Read).Where(n => n.Sequence > state.HandedOffThrough).OrderBy(n => n.Sequence))
        {
            // As issued: an acknowledgement made meanwhile is not part of what the webhook receives.
            await outbox.Enqueue(notice with { Status = "open", AcknowledgedBy = null, AcknowledgedAt = null });
        }

        state.HandedOffThrough = state.LastSequence;
        await _response.WriteStateAsync();
    }

    private NoticeFaultInjection FaultInjection =>
        ServiceProvider.GetService<IOptions<NoticeFaultInjection>>()?.Value ?? NoticeFaultInjection.Off;

    private static string Persisted(EscalationState escalation) =>
        $"{escalation.Level}|{escalation.EnteredDay}|{escalation.BelowExitSinceDay}|{string.Join(",", escalation.PortLevelsNotified.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}";

    private ResponsePlan Plan()
    {
        if (_plan is { } cached)
        {
            return cached;
        }

        var plan = _response.State.PlanJson is { } json
            ? NoticeJson.FromView(JsonSerializer.Deserialize<ImmutableArray<PlanLevelView>>(json, NoticeJson.Options))
            : ResponsePlan.Default;
        _plan = plan;
        return plan;
    }

    private NoticeView NewNotice(string kind, int previous, int next, Assessment assessment, string? port, ImmutableArray<string> actions)
    {
        var state = _response.State;
        var sequence = ++state.LastSequence;
        var drivers = assessment.Components
            .OrderByDescending(c => c.Contribution)
            .Take(3)
            .Select(c => new RiskComponentView(c.Name, c.Value, c.Unit, c.Normalized, c.Weight, c.Contribution, c.Explanation))
            .ToImmutableArray();
        var notice = new NoticeView(
            $"{Id}-{sequence}", Id, sequence, kind, previous, next, assessment.Score, port, drivers, actions,
            assessment.Date, _time.GetUtcNow(), "open", null, null);
        state.NoticesJson.Add(NoticeJson.Write(notice));
        if (state.NoticesJson.Count > MaxStoredNotices)
        {
            state.NoticesJson.RemoveRange(0, state.NoticesJson.Count - MaxStoredNotices);
        }

        return notice;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "City {City} stored a notice and kills the process: RiskMesh:TestHooks:KillAfterNoticeStored is on")]
    private static partial void LogKilledByTestHook(ILogger logger, string city);

    [LoggerMessage(Level = LogLevel.Information, Message = "City {City} issued notice {NoticeId}: {Kind} {Previous} → {Next}")]
    private static partial void LogNotice(ILogger logger, string city, string noticeId, string kind, int previous, int next);
}
