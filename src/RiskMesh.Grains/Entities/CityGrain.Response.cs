using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Grains.Webhooks;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Entities;

/// <summary>The city's response side: escalation with hysteresis and dwell, notices, plan, observers, webhooks.</summary>
internal sealed partial class CityGrain : ICityResponseGrain
{
    /// <summary>
    /// When the clock jumps forward, the days in between are evaluated one by one as a replay would, so dwells run out
    /// on the day they would have: the first <see cref="CatchUpDays"/> days after the last evaluated day (where data
    /// going quiet plays out) and the last <see cref="CatchUpDays"/> days before the new day (where recent data is). A
    /// longer gap between the two is passed over with the standing unchanged: evaluating years of empty days would
    /// hold the clock change for tens of seconds, and data inside such a gap is only seen by replaying it day by day.
    /// </summary>
    public const int CatchUpDays = 180;

    private const int MaxStoredNotices = 2000;

    /// <summary>Days evaluated between two upstream fetches while catching up, bounding what one fetch holds.</summary>
    private const int CatchUpChunkDays = 60;

    // Plans that applied on earlier days, by their JSON; null until one is read (most cities never change their plan).
    private Dictionary<string, ResponsePlan>? _plans;
    private ObserverManager<INoticeObserver>? _observers;
    private IssuedKey[]? _issuedKeys;

    // The testing-shortfall notices stored, read with the keys: what the city's team was told of its testing shortfall
    // as of a day (TestingShortfallTold), so a day decided again, a restart or a clock jump tells nothing twice.
    private ToldShortfall[]? _shortfallsTold;

    // The last day this activation decided and what it was decided with (see EvaluateToTodayAsync).
    private DecidedDay? _lastDecided;

    // Whether the city has webhooks, as the registry last said (null: ask before the next hand-off), when it said so,
    // and how many times the city was told its webhooks changed: an answer asked for before such a change is not kept.
    private bool? _hasWebhooks;
    private DateTimeOffset _hasWebhooksAnsweredAt;
    private int _webhookChanges;

    /// <summary>
    /// How long a "no webhooks" answer is believed. The outbox tells the city when webhooks are set, but if that call
    /// fails after the webhooks were stored (the PUT then answers 5xx, yet the webhooks stand), the city would skip
    /// every later hand-off for the rest of its activation: asking again this often bounds that to seconds. A "has
    /// webhooks" answer is kept: handing notices to an outbox that no longer has webhooks loses nothing.
    /// </summary>
    internal static readonly TimeSpan NoWebhooksBelievedFor = TimeSpan.FromSeconds(30);

    private ObserverManager<INoticeObserver> Observers =>
        _observers ??= new ObserverManager<INoticeObserver>(TimeSpan.FromMinutes(5), Services.Loggers.CreateLogger<CityGrain>());

    /// <inheritdoc />
    public Task<ImmutableArray<NoticeView>> EvaluateToToday() => ChangingResponseAsync(() => EvaluateToTodayAsync(null));

    /// <inheritdoc />
    public Task<ImmutableArray<NoticeView>> EvaluateToClock(long clockVersion) => ChangingResponseAsync(() => EvaluateToTodayAsync(clockVersion));

    /// <inheritdoc />
    public Task<ImmutableArray<NoticeView>> EvaluateForTopology(long topologyVersion) => ChangingResponseAsync(async () =>
    {
        // Every process trusts its copy of the topology for a few seconds: this silo's, and those of the silos where
        // the city's ports and their countries live (whose days the evaluation pulls), are brought to the new version
        // first, so that no day is computed with the topology that was replaced.
        var topology = await Services.Topology.AtLeastAsync(topologyVersion);
        var ports = topology.PortsOfCity(Id);
        await Task.WhenAll(ports.Select(p => GrainRefs.Get<IPortGrain>(GrainFactory, p.Id).FollowTopology(topologyVersion)));
        await Task.WhenAll(ports.SelectMany(p => p.Faces).Distinct(StringComparer.Ordinal)
            .Select(code => GrainRefs.Get<ICountryGrain>(GrainFactory, code).FollowTopology(topologyVersion)));

        // Its score may have moved with its inputs: the ranking takes its entry anew, as after an event.
        MarkRankingStale();

        // Today was decided with the old inputs: deciding it again issues what follows from the new ones, and nothing
        // already issued (notices are once per day, kind and level).
        return await EvaluateToTodayAsync(null);
    });

    private async Task<ImmutableArray<NoticeView>> EvaluateToTodayAsync(long? clockVersion)
    {
        // Notices stored before a crash but not yet in the outbox go first, so each webhook still gets them in order.
        await HandOffToOutboxAsync();
        await EnsureIssuedKeysAsync();
        var today = (await Services.Clock.AtLeastAsync(clockVersion)).Date.DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        var state = _response.State;
        var escalation = state.Escalation;
        var before = escalation.Snapshot();
        var levelBefore = escalation.Level;
        var rewound = false;
        int from;
        if (escalation.LastEvaluatedDay is not { } last)
        {
            from = today;
        }
        else if (today < last)
        {
            // The clock moved back: resume from where the city stood then, not from where it stands later.
            escalation = state.Escalation = state.Timeline.RewindTo(today);
            rewound = true;
            from = today;
        }
        else
        {
            from = Math.Min(last + 1, today);
        }

        var ports = topology.PortsOfCity(Id);
        var portScores = new (string Port, double? Score)[ports.Length];
        var issued = ImmutableArray.CreateBuilder<NoticeView>();
        DecidedDay? decided = null;
        foreach (var (chunk, chunkEnd) in DaysToEvaluate(from, today))
        {
            await EnsureUpstreamAsync(topology, chunk, chunkEnd);
            for (var day = chunk; day <= chunkEnd; day++)
            {
                // The score decides; a whole assessment, with its texts, is made only for a notice (its drivers' explanations).
                var score = ScoreOn(topology, day);
                var plan = PlanOn(day);

                // A plain array filled per day: the city decides on every change of itself or a port. One that a
                // decided day kept is left to it.
                if (ReferenceEquals(portScores, decided?.PortScores))
                {
                    portScores = new (string Port, double? Score)[ports.Length];
                }

                for (var i = 0; i < ports.Length; i++)
                {
                    portScores[i] = (ports[i].Id, UpstreamOn(ports[i].Id, day)?.Score);
                }

                // Deciding a day again with the scores and plan it was decided with changes nothing (a level is
                // entered at once and left only after its dwell, both judged by the day and the score alone:
                // EscalationPolicy.Step is idempotent, EscalationPropertyTests), so it is not decided again. Most
                // evaluations are of today with today's scores unmoved by the change that asked for them.
                if (!rewound && escalation.LastEvaluatedDay == day && _lastDecided is { } same && same.Matches(day, plan, score, portScores))
                {
                    decided = same;

                    // Local cases need not move the score (a city at its ports' floor, a late report of a past day):
                    // whether they begin an episode is asked of the ledger on every evaluation.
                    IssueLocalTransmission(issued, topology, state.Timeline.LevelBefore(day), escalation.Level, day, plan);

                    // Likewise a capacity report need not move the score (a city without one, stale like Ruili).
                    IssueTestingShortfall(issued, topology, state.Timeline.LevelBefore(day), escalation.Level, day, plan);
                    continue;
                }

                // A day that stepped down without a score (the clock's tick during a feed outage) and is decided again
                // with other inputs (the city's report for it came) is decided from the day before's standing, so its
                // standing is that of its final inputs (EscalationTimeline.StandingToDecide, review 17 M2). A day
                // decided on a score is decided again on top of that decision, as before: a level it entered stands
                // (hysteresis), and the notice that told it stays true. The level the earlier decision left is what
                // the team was told.
                int? toldLevel = null;
                if (!rewound && escalation.LastEvaluatedDay == day && escalation.EnteredDay == day
                    && (_lastDecided is { } earlier && earlier.Day == day ? earlier.Score is null : await SteppedWithoutScoreAsync(day, escalation.Level)))
                {
                    toldLevel = escalation.Level;
                    escalation = state.Escalation = state.Timeline.StandingToDecide(escalation, day);
                }

                var change = EscalationPolicy.Evaluate(escalation, plan, day, score);

                // Deciding again may undo the day's step (the report's score still meets the level's exit): the notice
                // that told it would stand in force beside a level it no longer states, so the team is told the level
                // the day ends at, from the level it was told; issued later, it replaces that notice. A change the day
                // still makes is told as from the day before (3 -> 1, replacing the earlier 3 -> 2): one change of the
                // day in force, the one its final inputs make.
                if (change is null && toldLevel is { } told && told != escalation.Level)
                {
                    change = new LevelChange(day, told, escalation.Level);
                }

                if (change is not null)
                {
                    Issue(issued, topology, change.IsEscalation ? NoticeKinds.Escalation : NoticeKinds.DeEscalation, change.PreviousLevel, change.NewLevel, Assess(topology, day, explain: true), null, plan);
                }

                foreach (var (port, level) in EscalationPolicy.PortsAboveCity(escalation, plan, day, portScores))
                {
                    var date = DateOnly.FromDayNumber(day);
                    var (portScore, portDrivers) = await PortStandingAsync(port, date, day);
                    Issue(issued, topology, NoticeKinds.PortAboveCity, escalation.Level, level, date, portScore, portDrivers, port, plan, testing: TestingCapacityOf(Assess(topology, day, explain: true)),
                        portHold: NoticePortHold.Of(escalation.Ports[port], plan, portScore));
                }

                // A port told above the city that stepped down to a lower level still above it: the team keeps the
                // told level's port measures while that notice stands, so it is told the new level (a port-above-city
                // notice that says it stepped down, and from which level), whose port measures it lists.
                foreach (var (port, level, toldAt) in EscalationPolicy.PortsSteppedDownAboveCity(escalation))
                {
                    var date = DateOnly.FromDayNumber(day);
                    var (portScore, portDrivers) = await PortStandingAsync(port, date, day);
                    Issue(issued, topology, NoticeKinds.PortAboveCity, escalation.Level, level, date, portScore, portDrivers, port, plan,
                        testing: TestingCapacityOf(Assess(topology, day, explain: true)), portSteppedDownFrom: toldAt, portHold: NoticePortHold.Of(escalation.Ports[port], plan, portScore));
                }

                // A port told above the city that stands at or below it again: its notice no longer holds (review 17
                // L4), and this one, of the same port, replaces it. The actions are the city's level's, which the port
                // now follows.
                foreach (var (port, level) in EscalationPolicy.PortsNoLongerAboveCity(escalation))
                {
                    var date = DateOnly.FromDayNumber(day);
                    var (portScore, portDrivers) = await PortStandingAsync(port, date, day);
                    Issue(issued, topology, NoticeKinds.PortNoLongerAboveCity, escalation.Level, level, date, portScore, portDrivers, port, plan,
                        testing: TestingCapacityOf(Assess(topology, day, explain: true)), planActions: plan.ActionsOf(escalation.Level), continuedActions: plan.ContinuedActionsOf(escalation.Level));
                }

                // After the day's change of level, so the notice states the level the day ends at; it changes none.
                IssueLocalTransmission(issued, topology, state.Timeline.LevelBefore(day), escalation.Level, day, plan);
                IssueTestingShortfall(issued, topology, state.Timeline.LevelBefore(day), escalation.Level, day, plan);
                state.Timeline.Record(day, escalation);
                decided = new DecidedDay(day, plan, score, portScores);
            }
        }

        // The city ranking shows the level in force (RankingEntry.ResponseLevel): a level that moved without the score
        // (a plan set, the clock moved, a dwell run out) must reach it too.
        if (escalation.Level != levelBefore)
        {
            MarkRankingStale();
        }

        // The last evaluated day alone is not worth a write: re-evaluating a day after a restart decides the same.
        if (issued.Count > 0 || rewound || !escalation.SameAs(before))
        {
            await _response.WriteStateAsync();
        }

        foreach (var notice in issued)
        {
            Services.NoticeLog.Issued(notice);
        }

        if (issued.Count > 0 && FaultInjection.KillAfterNoticeStored)
        {
            // Test hook (off by default): die as a crash would, with the notice stored and not yet in the outbox.
            LogKilledByTestHook(_logger, Id);
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            self.Kill();
        }

        await HandOffToOutboxAsync();

        // Nobody ever subscribed: no observer list is made (it cost 150 bytes in every city that issued a notice).
        if (_observers is { } observers)
        {
            foreach (var notice in issued)
            {
                await observers.Notify(observer => observer.OnNotice(notice));
            }
        }

        // Remembered only once everything above succeeded: a failure discards the activation (ChangingResponseAsync).
        _lastDecided = decided;
        return issued.ToImmutable();
    }

    // After a restart (nothing decided in this activation): whether the day's change of level, as its latest notice
    // of one tells it, was a step without a score. Asked only of a city whose level was entered that day. The change is
    // usually among the last few notices, but each port told above the city may issue one after it the same day (nine
    // ports stepping down with their city: the change was not among the last 8 read, and the day was decided on top of
    // the step), so the notices are read back a window at a time, each twice as long, until a change is found.
    private async Task<bool> SteppedWithoutScoreAsync(int day, int level)
    {
        NoticeView? change = null;
        var through = _response.State.LastSequence;
        for (var window = 8L; change is null && through > 0; window *= 2)
        {
            var after = Math.Max(0, through - window);
            change = (await NoticesAsync(after, through)).LastOrDefault(n => n.Port is null && n.Kind is NoticeKinds.Escalation or NoticeKinds.DeEscalation);
            through = after;
        }

        return change is { Score: null } && change.Date.DayNumber == day && change.NewLevel == level && change.Kind == NoticeKinds.DeEscalation;
    }

    /// <inheritdoc />
    public async Task<ImmutableArray<NoticeView>> GetNotices(string? status, long afterSequence) =>
        [.. (await NoticesAsync(afterSequence)).Where(n => status is null || n.Status == status)];

    /// <inheritdoc />
    public Task<NoticeView?> Acknowledge(string noticeId, string acknowledgedBy, string? comment) =>
        ChangingResponseAsync(() => AcknowledgeAsync(noticeId, acknowledgedBy, comment));

    private async Task<NoticeView?> AcknowledgeAsync(string noticeId, string acknowledgedBy, string? comment)
    {
        // A notice's id is its city's and its sequence ("suifenhe-3"): only that row is read, however many the city keeps.
        if (!noticeId.StartsWith(Id + "-", StringComparison.Ordinal)
            || !long.TryParse(noticeId.AsSpan(Id.Length + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            || sequence <= 0)
        {
            return null;
        }

        foreach (var notice in await NoticesAsync(sequence - 1, sequence))
        {
            if (notice.Id != noticeId)
            {
                continue;
            }

            // The first acknowledgement stands, never overwritten; the answer says it was there before this call.
            if (notice.Status == NoticeStatuses.Acknowledged)
            {
                return notice with { AlreadyAcknowledged = true };
            }

            var acknowledged = notice with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = acknowledgedBy, AcknowledgedAt = _time.GetUtcNow(), AcknowledgementComment = comment };
            _response.State.NoticesJson.Replace(acknowledged);
            await _response.WriteStateAsync();

            // Told to every API node following the city, as notices are, so every open inbox and watcher of the city
            // learns it at once (one-way: a node gone meanwhile holds nothing up). Nobody subscribed: nothing to tell.
            if (_observers is { } observers)
            {
                await observers.Notify(observer => observer.OnAcknowledged(acknowledged));
            }

            return acknowledged with { AlreadyAcknowledged = false };
        }

        return null;
    }

    /// <inheritdoc />
    public Task<ResponsePlanView> GetPlan() =>
        Task.FromResult(PlanJson.ToView(Id, Plan(), _response.State.PlanJson is null));

    /// <inheritdoc />
    public async Task<ResponsePlanView> SetPlan(ImmutableArray<PlanLevelView> levels, bool levelsStandAlone = false)
    {
        var plan = PlanJson.FromView(levels, levelsStandAlone);
        var problems = plan.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid plan: " + string.Join("; ", problems), nameof(levels));
        }

        return await ChangingResponseAsync(() => SetValidPlanAsync(plan));
    }

    private async Task<ResponsePlanView> SetValidPlanAsync(ResponsePlan plan)
    {
        // Days up to the latest notice keep the plan they were decided with, so re-evaluating them (the clock moved
        // back and forward) contradicts no notice; later days, or every day of a city without notices, take this one.
        var state = _response.State;
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var latestNotice = (await NoticesAsync(0)).Select(n => (int?)n.Date.DayNumber).Max();
        var json = PlanJson.Write(plan);
        state.Plans.Set(PlanSchedule.EffectiveFrom(today, latestNotice), json, state.PlanJson);
        state.PlanJson = json;
        _plan = null;
        _plans = null;
        await _response.WriteStateAsync();

        // A plan whose thresholds today's score already crosses takes effect now, not at the next event.
        await EvaluateToTodayAsync(null);
        return PlanJson.ToView(Id, plan, false);
    }

    /// <inheritdoc />
    public Task OnWebhooksChanged()
    {
        _hasWebhooks = null;
        _webhookChanges++;
        return Task.CompletedTask;
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
    /// The plan's level the city stands at, from its escalation state (as last evaluated) or, for an earlier day, from
    /// its escalation timeline (the standing decided for that day), with the dwell's end. Name and actions are those of
    /// the plan in force on that day.
    /// </summary>
    protected override ResponseLevelView? ResponseInForce(int? knownOnDay)
    {
        var escalation = StandingOn(knownOnDay);
        var plan = knownOnDay is { } day ? PlanOn(day) : Plan();
        var level = plan.LevelOf(escalation.Level);
        DateOnly? dwellUntil = level is not null && escalation.BelowExitSinceDay is { } below
            ? DateOnly.FromDayNumber(below + Math.Max(1, level.DwellDays) - 1)
            : null;
        return new ResponseLevelView(
            escalation.Level,
            plan.NameOf(escalation.Level),
            escalation.EnteredDay is { } entered ? DateOnly.FromDayNumber(entered) : null,
            plan.ActionsOf(escalation.Level),
            dwellUntil)
        {
            ContinuedActions = plan.ContinuedActionsOf(escalation.Level),
        };
    }

    /// <inheritdoc />
    public Task<ImmutableArray<int>> GetResponseLevels(DateOnly from, DateOnly to)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);
        var levels = ImmutableArray.CreateBuilder<int>(to.DayNumber - from.DayNumber + 1);
        for (var day = from.DayNumber; day <= to.DayNumber; day++)
        {
            levels.Add(StandingOn(day).Level);
        }

        return Task.FromResult(levels.MoveToImmutable());
    }

    /// <summary>The city's standing at the end of a day (null: now): the current one from its last evaluated day on.</summary>
    private LevelTracker StandingOn(int? day)
    {
        var state = _response.State;
        if (day is not { } d || state.Escalation.LastEvaluatedDay is not { } last || d >= last)
        {
            return state.Escalation;
        }

        return state.Timeline.Snapshots.LastOrDefault(s => s.Day <= d)?.State ?? new LevelTracker();
    }

    /// <summary>
    /// Runs a change of the response state. The state is changed in memory first and written once at the end, so a
    /// failure on the way (a grain call to a port or the outbox, or the write itself, as when a silo stops) leaves the
    /// activation ahead of what is stored: a port's level stepped with its notice never issued, or a notice key taken
    /// for a notice never written. Kept, such a state would decide the next evaluation (a port already "at" its level
    /// is never reported) and reach storage with a later write. So the activation is discarded, and the next call
    /// reads the stored state and decides the same days again, issuing what was not stored.
    /// </summary>
    private async Task<T> ChangingResponseAsync<T>(Func<Task<T>> change)
    {
        try
        {
            return await change();
        }
        catch (Exception ex)
        {
            LogChangeFailed(_logger, Id, ex);
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Moves every stored notice the outbox has not been given yet into it, oldest first, then records that. The stored
    /// notices above <see cref="CityResponseState.HandedOffThrough"/> are the durable schedule of deliveries: storing a
    /// notice schedules it in the same write, and a crash before the hand-off only delays it to the next evaluation
    /// (every city evaluates when a silo starts). The outbox ignores a notice it already holds, so a hand-off repeated
    /// after a crash delivers nothing twice and nothing out of order. That is also why the new mark is not written on
    /// its own: it travels with the city's next write, and until then a restart merely hands the same notices off
    /// again, which the outbox ignores (a second write per notice halved the ingest rate of notice-heavy feeds).
    /// A city without webhooks hands nothing off: its outbox would ignore every notice (it keeps none while it has no
    /// webhook), and activating it for each notice cost a cold ingest an activation and a state read per notice.
    /// </summary>
    private async Task HandOffToOutboxAsync()
    {
        var state = _response.State;
        if (state.LastSequence <= state.HandedOffThrough)
        {
            return;
        }

        if (!await HasWebhooksAsync())
        {
            state.HandedOffThrough = state.LastSequence;
            return;
        }

        var outbox = GrainRefs.Get<IWebhookOutboxGrain>(GrainFactory, Id);
        foreach (var notice in await NoticesAsync(state.HandedOffThrough))
        {
            // As issued: an acknowledgement made meanwhile is not part of what the webhook receives.
            await outbox.Enqueue(notice with { Status = NoticeStatuses.Open, AcknowledgedBy = null, AcknowledgedAt = null, AcknowledgementComment = null });
        }

        state.HandedOffThrough = state.LastSequence;
    }

    /// <summary>
    /// Whether the city has webhooks, asked of the registry once per activation and again after the outbox says they
    /// changed (<see cref="OnWebhooksChanged"/>, which the outbox awaits before answering the change): a notice handed
    /// off after webhooks were set reaches them. When the registry cannot answer, the notices are handed off as before.
    /// </summary>
    private async Task<bool> HasWebhooksAsync()
    {
        if (_hasWebhooks is { } known && (known || _time.GetUtcNow() - _hasWebhooksAnsweredAt < NoWebhooksBelievedFor))
        {
            return known;
        }

        var changes = _webhookChanges;
        var askedAt = _time.GetUtcNow();
        bool answer;
        try
        {
            answer = await GrainFactory.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton).HasWebhooks(Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWebhookRegistryUnanswered(_logger, Id, ex);
            return true;
        }

        if (changes == _webhookChanges)
        {
            _hasWebhooks = answer;
            _hasWebhooksAnsweredAt = askedAt;
        }

        return answer;
    }

    private NoticeFaultInjection FaultInjection =>
        ServiceProvider.GetService<IOptions<NoticeFaultInjection>>()?.Value ?? NoticeFaultInjection.Off;

    /// <summary>The plan that applied on a day (the current one unless it was changed after that day).</summary>
    private ResponsePlan PlanOn(int day)
    {
        var state = _response.State;
        var json = state.Plans.PlanOn(day, state.PlanJson);
        if (ReferenceEquals(json, state.PlanJson) || json == state.PlanJson)
        {
            return Plan();
        }

        if (json is null)
        {
            return ResponsePlan.Default;
        }

        _plans ??= new Dictionary<string, ResponsePlan>(StringComparer.Ordinal);
        if (!_plans.TryGetValue(json, out var plan))
        {
            _plans[json] = plan = PlanJson.Read(json);
        }

        return plan;
    }

    private ResponsePlan Plan()
    {
        if (_plan is { } cached)
        {
            return cached;
        }

        var plan = _response.State.PlanJson is { } json
            ? PlanJson.Read(json)
            : ResponsePlan.Default;
        _plan = plan;
        return plan;
    }

    /// <summary>
    /// Issues a notice unless one of the same (day, kind, level, port) was issued before: re-evaluating a day (the clock
    /// moved back and forward again) changes the city's standing as before but tells nobody twice.
    /// </summary>
    private void Issue(ImmutableArray<NoticeView>.Builder issued, Topology topology, string kind, int previous, int next, Assessment assessment, string? port, ResponsePlan plan) =>
        Issue(issued, topology, kind, previous, next, assessment.Date, assessment.Score, Standing.DriversOf(assessment.Components.Select(ViewMapper.ToView)), port, plan, NoticeDataQuality.OfCity(assessment), TestingCapacityOf(assessment));

    /// <summary>
    /// A port-above-city notice speaks of the port: its score and its own drivers (the city's would explain the
    /// wrong entity). The port may be waiting on this city (its push is awaited), so it is asked through an
    /// interleaving call. For a day other than the port's current one, its day summary gives the score and no drivers.
    /// </summary>
    private async Task<(double? Score, ImmutableArray<RiskComponentView> Drivers)> PortStandingAsync(string port, DateOnly date, int day)
    {
        var standing = await GrainRefs.Get<IPortGrain>(GrainFactory, port).GetStandingInterleaved();
        return standing.AsOf == date ? (standing.Score, standing.Drivers) : (UpstreamOn(port, day)?.Score, []);
    }

    /// <summary>
    /// Issues a local-transmission notice when local cases seen on the day begin an episode (<see
    /// cref="LocalTransmission.OnsetSeenOn"/>) and no such notice was issued for that episode: once for its first day,
    /// also when a late report of an earlier day of it comes after the notice (that day then reads as its first).
    /// It states the city's level as the day ends (newLevel) and as it began (previousLevel: another level only when the
    /// day's escalation or step down, told in its own notice, changed it), its score and drivers, and the plan's actions
    /// at that level with the plan's testing, tracing and quarantine measures; it changes no level.
    /// </summary>
    private void IssueLocalTransmission(ImmutableArray<NoticeView>.Builder issued, Topology topology, int levelBefore, int level, int day, ResponsePlan plan)
    {
        if (LocalTransmission.OnsetSeenOn(Ledger, day) is not { } onset || LocalTransmissionIssued(onset.Day))
        {
            return;
        }

        var assessment = Assess(topology, day, explain: true);
        var local = new NoticeLocalCases(DateOnly.FromDayNumber(onset.Day), onset.Count, onset.Confirmed, onset.Asymptomatic, LocalTransmission.QuietDays, onset.FirstReported);
        Issue(issued, topology, NoticeKinds.LocalTransmission, levelBefore, level, assessment.Date, assessment.Score, Standing.DriversOf(assessment.Components.Select(ViewMapper.ToView)), null, plan,
            NoticeDataQuality.OfCity(assessment), TestingCapacityOf(assessment), local, LocalTransmission.Actions(plan, level),
            // The lower levels' measures against local spread are among its actions already (LocalTransmission.Actions).
            continuedActions: plan.ContinuedActionsOf(level).RemoveAll(LocalTransmission.IsLocalMeasure));
    }

    // Whether a local-transmission notice was issued for this episode: for any first day the ledger joins to the
    // onset without a quiet gap, earlier or later, also one after the day (the clock moved back), so neither a late
    // report that moves the episode's start earlier nor the clock moved back and forward tells the team twice.
    private bool LocalTransmissionIssued(int onset)
    {
        foreach (var key in IssuedKeys())
        {
            if (key.Kind == NoticeKinds.LocalTransmission && LocalTransmission.SameEpisode(Ledger, onset, key.Day))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Issues a testing-shortfall notice when the day's laboratories and technicians change what the team was told
    /// (<see cref="TestingShortfall.Decide"/>: the shortfall starts where the assistance ranking tells the province to
    /// dispatch testing kits and technicians, is told again only when clearly worse, and ends well within the line),
    /// whatever the city's level. What was told is the last such notice dated up to the day, so it reads the same after
    /// a restart and after the clock moved back (a notice dated later is not in force). It states the level as the
    /// day ends and as it began, and changes none.
    /// </summary>
    private void IssueTestingShortfall(ImmutableArray<NoticeView>.Builder issued, Topology topology, int levelBefore, int level, int day, ResponsePlan plan)
    {
        var capacity = Ledger.CapacityAsOf(day);
        var population = topology.TryGetCity(Id, out var city) ? city.Population : (long?)null;
        var (labs, technicians) = RiskMesh.Scoring.Assistance.AssistanceModel.CityTestingGaps(population, capacity.Labs, capacity.Technicians, Model);
        var gaps = new TestingGaps(Round(labs), Round(technicians));
        var change = TestingShortfall.Decide(TestingShortfallTold(day), gaps, Services.Assistance.TestingGapThreshold);
        if (change == TestingShortfallChange.None)
        {
            return;
        }

        var assessment = Assess(topology, day, explain: true);
        var testing = TestingCapacityOf(assessment);
        var ended = change == TestingShortfallChange.Ended;
        Issue(issued, topology, ended ? NoticeKinds.TestingShortfallEnded : NoticeKinds.TestingShortfall, levelBefore, level, assessment.Date, assessment.Score,
            Standing.DriversOf(assessment.Components.Select(ViewMapper.ToView)), null, plan, NoticeDataQuality.OfCity(assessment), testing,
            planActions: ended ? plan.ActionsOf(level) : NoticeActions.ForTestingShortfall(plan, level),
            // The request alone: the level's measures, continued or not, are the level's notices' to say.
            continuedActions: ended ? null : [],
            shortfall: new NoticeTestingShortfall(gaps.Laboratories, gaps.Technicians, change == TestingShortfallChange.Worsened));

        // Stored gaps are rounded, and so are those decided on: a restart reads what this activation compared.
        static double? Round(double? gap) => gap is { } g ? Math.Round(g, 4, MidpointRounding.AwayFromZero) : null;
    }

    // The gaps of the shortfall the team was told of as of a day (the last testing-shortfall notice dated up to it, in
    // issue order within a day), or null when none is in force (never told, or its end was the last told).
    private TestingGaps? TestingShortfallTold(int day)
    {
        ToldShortfall? last = null;
        foreach (var told in _shortfallsTold ?? [])
        {
            if (told.Day <= day && (last is not { } l || told.Day > l.Day || (told.Day == l.Day && told.Sequence > l.Sequence)))
            {
                last = told;
            }
        }

        return last?.Gaps;
    }

    private void Issue(ImmutableArray<NoticeView>.Builder issued, Topology topology, string kind, int previous, int next, DateOnly date, double? score, ImmutableArray<RiskComponentView> drivers, string? port, ResponsePlan plan, NoticeDataQuality? cityQuality = null, TestingCapacity? testing = null, NoticeLocalCases? localCases = null, ImmutableArray<string>? planActions = null, int? portSteppedDownFrom = null, ImmutableArray<string>? continuedActions = null, NoticePortHold? portHold = null, NoticeTestingShortfall? shortfall = null)
    {
        if (!TakeIssuedKey(KeyOf(date.DayNumber, kind, next, port, localCases, shortfall)))
        {
            LogAlreadyIssued(_logger, Id, kind, next, LogDates.Iso(date));
            return;
        }

        var state = _response.State;
        var sequence = ++state.LastSequence;
        // The lower levels' actions that stay in force beside the level's own (none when the plan's levels stand alone).
        var continued = continuedActions ?? plan.ContinuedActionsOf(next);
        // The city's isolation capacity that day, by its capacity answer's rule: a testing-shortfall notice's request
        // stays the testing one alone, but says the beds too when they are short.
        var isolation = IsolationCapacity.OfCity(Assess(topology, date.DayNumber, explain: false), Services.Assistance, Model);
        var testingKind = kind is NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded;
        var notice = new NoticeView(
            // A day without a score has no drivers: its components (an assumed capacity gap, say) drove nothing, and a
            // notice that named one beside "no score" read as if a score existed (newcomer 17 F1).
            $"{Id}-{sequence}", Id, sequence, kind, previous, next, score, port, score is null ? [] : drivers, NoticeActions.Of(planActions ?? plan.ActionsOf(next), testing, continued, testingKind ? null : isolation),
            date, _time.GetUtcNow(), NoticeStatuses.Open, null, null)
        {
            // Names as of issue, for the summary people read in webhook relays and SSE; the ids stay for programs.
            CityName = NameOf(topology),
            PortName = port is not null && topology.TryGetPort(port, out var portInfo) ? portInfo.Name : null,
            // The levels as the plan in force that day names them ("level 2 (heightened)"), never by score-band words.
            PreviousLevelName = plan.NameOf(previous),
            NewLevelName = plan.NameOf(next),
            // What was thin in the data that day, as codes (worded when read): the city's for a change of its level;
            // for a port's notice, the port's: no score (its data, or its countries', ran out: a step down on it is no
            // all-clear, newcomer 24b H1), or a score that rests on estimated traffic.
            DataQuality = port is null ? cityQuality : NoticeDataQuality.OfPort(score, UpstreamOn(port, date.DayNumber) is { Estimated: true }),
            // The city's testing capacity that day: whether the plan's requests for kits and technicians are pressing.
            TestingCapacity = testing,
            IsolationCapacity = isolation,
            LocalCases = localCases,
            ContinuedActions = continued,
            PortSteppedDownFrom = portSteppedDownFrom,
            PortSteppedDownFromName = portSteppedDownFrom is { } from ? plan.NameOf(from) : null,
            // A port the plan holds at a level its score is below: why, and until when at least (newcomer 20b F2).
            PortHold = portHold,
            TestingShortfall = shortfall,
        };
        if (shortfall is not null)
        {
            _shortfallsTold = [.. _shortfallsTold ?? [], ToldShortfall.Of(notice)];
        }

        state.NoticesJson.Add(notice);
        state.NoticesJson.KeepNewest(MaxStoredNotices);

        issued.Add(notice);
    }

    /// <summary>The runs of days to evaluate from <paramref name="from"/> to <paramref name="today"/>, in order, each at most <see cref="CatchUpChunkDays"/> long.</summary>
    private static IEnumerable<(int From, int To)> DaysToEvaluate(int from, int today)
    {
        IEnumerable<(int, int)> Chunks(int first, int last)
        {
            for (var day = first; day <= last; day += CatchUpChunkDays)
            {
                yield return (day, Math.Min(last, day + CatchUpChunkDays - 1));
            }
        }

        if (from == today)
        {
            // The usual case, today alone: no iterator for it.
            return [(from, today)];
        }

        return today - from + 1 <= 2 * CatchUpDays
            ? Chunks(from, today)
            : Chunks(from, from + CatchUpDays - 1).Concat(Chunks(today - CatchUpDays + 1, today));
    }

    /// <summary>
    /// Records that a notice of this (day, kind, level, port) is issued: false when one was before. The keys of the
    /// stored notices are read once per activation. An exactly sized array rather than a set of strings: a city holds
    /// a few keys, each naming its kind and port by the grain's own strings (a set of one composed string per notice
    /// cost about 300 bytes a city, 15 MB with 50,000 cities that issued notices).
    /// </summary>
    private bool TakeIssuedKey(IssuedKey key)
    {
        var keys = IssuedKeys();
        if (Array.IndexOf(keys, key) >= 0)
        {
            return false;
        }

        _issuedKeys = [.. keys, key];
        return true;
    }

    // Read before the first decision of an activation (EnsureIssuedKeysAsync).
    private IssuedKey[] IssuedKeys() =>
        _issuedKeys ?? throw new InvalidOperationException($"{Id}: the keys of its stored notices were not read before deciding (EnsureIssuedKeysAsync)");

    // A local-transmission notice is one per episode, whatever the level: its key is the episode's first day, without
    // a level (a day decided again at another level, or reported late, must not tell the team twice). A testing
    // shortfall's is whatever the level too: one start, one worsening and one end a day at most (what was told, not
    // the key, keeps a shortfall from being told twice across days: IssueTestingShortfall).
    private static IssuedKey KeyOf(int day, string kind, int level, string? port, NoticeLocalCases? localCases, NoticeTestingShortfall? shortfall) => kind switch
    {
        NoticeKinds.LocalTransmission => new IssuedKey(localCases?.Date.DayNumber ?? day, NoticeKinds.LocalTransmission, 0, null),
        NoticeKinds.TestingShortfall => new IssuedKey(day, NoticeKinds.TestingShortfall, shortfall?.Worse == true ? 2 : 1, null),
        NoticeKinds.TestingShortfallEnded => new IssuedKey(day, NoticeKinds.TestingShortfallEnded, 0, null),
        _ => new IssuedKey(day, kind, level, port),
    };

    /// <summary>
    /// Reads the keys of the city's stored notices once per activation, before its first decision: from its rows,
    /// unless it never issued a notice (most cities, and every city of a cold start, read nothing).
    /// </summary>
    private async Task EnsureIssuedKeysAsync()
    {
        if (_issuedKeys is not null)
        {
            return;
        }

        var notices = _response.State.LastSequence == 0 ? [] : await NoticesAsync(0);
        _issuedKeys = [.. notices.Select(n => KeyOf(n.Date.DayNumber, SharedKind(n.Kind), n.NewLevel, n.Port, n.LocalCases, n.TestingShortfall))];
        _shortfallsTold = [.. notices.Where(n => n.Kind is NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded).Select(ToldShortfall.Of)];
    }

    /// <summary>
    /// The city's notices after a sequence, oldest first: read from its rows, with what it has not written yet
    /// (<see cref="StoredNotices.Over"/>); an activation keeps none of them in memory.
    /// </summary>
    private async Task<IReadOnlyList<NoticeView>> NoticesAsync(long afterSequence, long throughSequence = long.MaxValue)
    {
        // Nothing was issued after that sequence: no row to read (GET /api/v1/notices asks every city; most have none).
        if (afterSequence >= _response.State.LastSequence)
        {
            return [];
        }

        var rows = await ServiceProvider.GetRequiredService<Persistence.ResponseStorage>().ReadNoticesAsync(this.GetGrainId(), afterSequence, CancellationToken.None, throughSequence);
        return _response.State.NoticesJson.Over(rows, afterSequence, throughSequence);
    }

    // The constant for a known kind, so keys read from storage hold no string of their own for it.
    private static string SharedKind(string kind) => kind switch
    {
        NoticeKinds.Escalation => NoticeKinds.Escalation,
        NoticeKinds.DeEscalation => NoticeKinds.DeEscalation,
        NoticeKinds.PortAboveCity => NoticeKinds.PortAboveCity,
        NoticeKinds.PortNoLongerAboveCity => NoticeKinds.PortNoLongerAboveCity,
        NoticeKinds.LocalTransmission => NoticeKinds.LocalTransmission,
        NoticeKinds.TestingShortfall => NoticeKinds.TestingShortfall,
        NoticeKinds.TestingShortfallEnded => NoticeKinds.TestingShortfallEnded,
        _ => kind,
    };

    /// <summary>
    /// A day as it was decided: the plan, the city's score and each of its ports with its score (the ports named, so a
    /// topology that changed the city's ports never matches). The array is owned by this record: the evaluation fills
    /// a new one for the next day.
    /// </summary>
    private sealed record DecidedDay(int Day, ResponsePlan Plan, double? Score, (string Port, double? Score)[] PortScores)
    {
        public bool Matches(int day, ResponsePlan plan, double? score, (string Port, double? Score)[] portScores) =>
            Day == day && ReferenceEquals(Plan, plan) && Score == score && PortScores.AsSpan().SequenceEqual(portScores);
    }

    /// <summary>A testing-shortfall notice as the rule reads it: its day, its place in issue order, and the gaps told (null: an end).</summary>
    private readonly record struct ToldShortfall(int Day, long Sequence, TestingGaps? Gaps)
    {
        public static ToldShortfall Of(NoticeView notice) => new(
            notice.Date.DayNumber,
            notice.Sequence,
            notice.Kind == NoticeKinds.TestingShortfall ? notice.TestingShortfall?.Gaps ?? new TestingGaps(null, null) : null);
    }

    /// <summary>What makes two notices the same notice: a re-evaluated day issues none of these twice.</summary>
    private readonly record struct IssuedKey(int Day, string Kind, int Level, string? Port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "City {City} re-evaluated {Day}: {Kind} to {Level} was already issued for that day")]
    private static partial void LogAlreadyIssued(ILogger logger, string city, string kind, int level, string day);

    [LoggerMessage(Level = LogLevel.Warning, Message = "City {City} failed while changing its response state; the activation is discarded so the next call decides from the stored state")]
    private static partial void LogChangeFailed(ILogger logger, string city, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "City {City} could not ask the webhook registry whether it has webhooks; its notices are handed to its outbox")]
    private static partial void LogWebhookRegistryUnanswered(ILogger logger, string city, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "City {City} stored a notice and kills the process: RiskMesh:TestHooks:KillAfterNoticeStored is on")]
    private static partial void LogKilledByTestHook(ILogger logger, string city);

}
