using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// The shared life of an entity grain, composed of small parts: its ledger is kept durable by an
/// <see cref="EntityLedgerStore{TLedger}"/> (journal replay, folding, checkpoints; old days are summarised first,
/// <see cref="HistoryArchive"/>), upstream values come through an <see cref="UpstreamCache"/>, the current view is
/// kept in a <see cref="LiveViewCache"/>, and views, history and upstream days are answered from the live ledger or,
/// as known on a day, from <see cref="JournalLedgers{TLedger}"/>.
/// </summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
internal abstract class RiskEntityGrain<TLedger> : Grain, IRiskEntityGrain, IEntityCheckpoint, IIncomingGrainCallFilter, IHistorySummariser
    where TLedger : Ledger, new()
{
    private readonly EntityLedgerStore<TLedger> _store;
    private readonly UpstreamCache _upstream = new();
    private readonly LiveViewCache _view = new();
    private JournalLedgers<TLedger>? _journalLedgers;

    // What this activation has published to the API in its process (LocalViews), and how many calls other than the
    // API's view read are running (interleaved ones included): none may be under way when a view is published.
    private RiskViewJson? _published;
    private int _callsChangingView;
    private bool _deactivating;

    // The key and entity reference, made once: each call of GetPrimaryKeyString decodes the key anew.
    private string? _id;
    private string? _entity;

    /// <summary>Creates the grain, whose ledger is stored under <paramref name="stateName"/> (read as it activates).</summary>
    protected RiskEntityGrain(string stateName, EntityServices services)
    {
        Services = services;
        _store = new EntityLedgerStore<TLedger>(this, EntityStorage.Open<EntityState<TLedger>>(GrainContext, stateName), new EntityRef(Kind, Id), services, this);
    }

    /// <summary>Shared services.</summary>
    protected EntityServices Services { get; }

    /// <summary>The model's options.</summary>
    protected ScoringOptions Model => Services.Options.Scoring;

    /// <summary>The entity kind.</summary>
    protected abstract EntityKind Kind { get; }

    /// <summary>The grain's key: ISO code or slug.</summary>
    protected string Id => _id ??= this.GetPrimaryKeyString();

    /// <summary>The live ledger: everything known now.</summary>
    protected TLedger Ledger => State.Ledger;

    /// <summary>The persisted state.</summary>
    protected EntityState<TLedger> State => _store.State;

    private string Entity => _entity ??= new EntityRef(Kind, Id).ToString();

    protected EntityReading<TLedger> Live => new(Ledger, _upstream, null);

    private JournalLedgers<TLedger> Journaled => _journalLedgers ??= new(Services.Journal, Entity);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReadStoredStateAsync();
        var replayed = await _store.ActivateAsync(cancellationToken);
        RiskMeshMetrics.EntityActivations.Add(1, RiskMeshMetrics.Tag("kind", Kind.ToString()));
        RiskMeshMetrics.JournalReplayed.Record(replayed);
        await base.OnActivateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Before anything else: once this activation is gone, another (on any silo) may change the entity.
        _deactivating = true;
        WithdrawView();
        _store.Unschedule();
        await _store.CheckpointOnDeactivationAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>
    /// Every call but the API's live view read (<see cref="IRiskEntityGrain.GetViewJson"/>) withdraws the published view
    /// when it starts, whatever it is: what it changes (the ledger, upstream values, the response level, the plan) then
    /// never reaches a reader through a view kept from before it (<see cref="LocalViews"/>). Once is enough: while such
    /// a call runs, no view is published (<see cref="PublishView"/>), so nothing is there to withdraw when it ends (a
    /// second withdrawal per call took the dictionary's lock again for nothing).
    /// </summary>
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) =>
        context.MethodName == nameof(IRiskEntityGrain.GetViewJson)
            ? context.Invoke()
            : InvokeChangingViewAsync(context);

    /// <inheritdoc />
    public async Task<ApplyOutcome> Apply(ImmutableArray<JournalEntry> entries)
    {
        var (changed, fromDay, outcome) = await _store.FoldAsync(entries);
        if (changed)
        {
            await OnChangedAsync(fromDay);
        }

        return outcome;
    }

    /// <inheritdoc />
    public Task Checkpoint() => _store.CheckpointWhenDueAsync();

    /// <inheritdoc />
    public Task<RiskView> GetView() => ViewAsync(null);

    /// <inheritdoc />
    public Task<RiskViewJson> GetViewJson() => ViewJsonAsync();

    /// <inheritdoc />
    public Task<RiskView> GetViewAsKnownOn(DateOnly knownOn) => ViewAsync(knownOn.DayNumber);

    /// <inheritdoc />
    public Task<ImmutableArray<HistoryPointView>> GetHistory(DateOnly from, DateOnly to) => HistoryAsync(from, to, null);

    /// <inheritdoc />
    public Task<ImmutableArray<HistoryPointView>> GetHistoryAsKnownOn(DateOnly from, DateOnly to, DateOnly knownOn) => HistoryAsync(from, to, knownOn.DayNumber);

    /// <inheritdoc />
    public Task<ImmutableArray<UpstreamDay>> GetUpstreamDays(int fromDay, int toDay)
    {
        OnUpstreamDaysAsked(fromDay, toDay, null);
        return UpstreamDaysAsync(fromDay, toDay, null);
    }

    /// <inheritdoc />
    public Task<ImmutableArray<UpstreamDay>> GetUpstreamDaysAsKnownOn(int fromDay, int toDay, int knownOnDay)
    {
        OnUpstreamDaysAsked(fromDay, toDay, knownOnDay);
        return UpstreamDaysAsync(fromDay, toDay, knownOnDay);
    }

    /// <inheritdoc />
    public async Task FollowTopology(long topologyVersion) => await Services.Topology.AtLeastAsync(topologyVersion);

    /// <summary>
    /// Assesses the entity on a day from a reading (its upstream values already ensured); without
    /// <paramref name="explain"/>, every number and no text (<see cref="Explain"/>), for what needs only the numbers.
    /// </summary>
    protected abstract Assessment Assess(EntityReading<TLedger> reading, Topology topology, int day, bool explain);

    /// <summary>Assesses the entity on a day with the week's trend (upstream values already ensured).</summary>
    protected abstract (Assessment Assessment, Trend Trend) AssessWithTrend(EntityReading<TLedger> reading, Topology topology, int day);

    /// <summary>The entity's display name.</summary>
    protected abstract string NameOf(Topology topology);

    /// <summary>The upstream entities whose per-day values this entity reads with a ledger.</summary>
    protected virtual IEnumerable<string> UpstreamSources(TLedger ledger, Topology topology) => [];

    /// <summary>Reads an upstream source's values for a range of days, as known on a day when one is given.</summary>
    protected virtual Task<ImmutableArray<UpstreamDay>> PullUpstreamAsync(string source, int fromDay, int toDay, int? knownOnDay) =>
        Task.FromResult(ImmutableArray<UpstreamDay>.Empty);

    /// <summary>Tells downstream entities that this one changed from a day on.</summary>
    protected abstract Task OnChangedAsync(int fromDay);

    /// <summary>
    /// A downstream entity asks for this one's days (as known on <paramref name="knownOnDay"/> when given), before they
    /// are read: what it will hold of them.
    /// </summary>
    protected virtual void OnUpstreamDaysAsked(int fromDay, int toDay, int? knownOnDay)
    {
    }

    /// <summary>Assesses the live entity on a day (upstream values already ensured), with or without texts.</summary>
    protected Assessment Assess(Topology topology, int day, bool explain) => Assess(Live, topology, day, explain);

    /// <summary>A cached live upstream value, or null.</summary>
    protected UpstreamValue? UpstreamOn(string source, int day) => _upstream.On(source, day);

    /// <summary>Makes sure live upstream values for a range of days are cached, pulling what is missing.</summary>
    protected Task EnsureUpstreamAsync(Topology topology, int fromDay, int toDay) => EnsureUpstreamAsync(Live, topology, fromDay, toDay);

    /// <summary>
    /// An upstream entity changed from a day on: forget what is stale; downstream re-evaluates when today moved, and
    /// forgets the earlier days either way (they may have moved although today did not).
    /// </summary>
    /// <remarks>
    /// Not an <c>async</c> method: it hands on the task of what it calls. Every level of <c>async</c> method that awaits
    /// a call suspended on the activation's scheduler allocates a state-machine box, a continuation and its delegate,
    /// and a push passes here in every port and city it reaches.
    /// </remarks>
    protected Task OnUpstreamChangedAsync(string source, int fromDay, UpstreamDay today)
    {
        _journalLedgers?.Forget();
        return _upstream.Invalidate(source, fromDay, today) ? OnChangedAsync(fromDay) : OnPastChangedAsync(fromDay);
    }

    /// <summary>
    /// The level of the entity's response plan in force now, or at the end of <paramref name="knownOnDay"/>, for
    /// entities that have one (cities); else null.
    /// </summary>
    protected virtual ResponseLevelView? ResponseInForce(int? knownOnDay) => null;

    /// <summary>Tells downstream entities that days from <paramref name="fromDay"/> on may have changed, but not today's value.</summary>
    protected virtual Task OnPastChangedAsync(int fromDay) => Task.CompletedTask;

    /// <summary>
    /// Awaits a push of this entity's change to downstream grains; once the silo is stopping, for at most
    /// <see cref="SiloStopping.PushGrace"/> (<see cref="SiloStopping"/> says why). A push given up is reported as a
    /// retryable <see cref="SiloUnavailableException"/>.
    /// </summary>
    protected async Task PushDownstreamAsync(Task push)
    {
        var abandoned = Services.Stopping.PushesAbandoned;
        try
        {
            await push.WaitAsync(abandoned);
        }
        catch (OperationCanceledException) when (abandoned.IsCancellationRequested && !push.IsCompleted)
        {
            throw new SiloUnavailableException($"{Entity} passed on a change while its silo was stopping, and stopped waiting for the answer; nothing was acknowledged, retry.");
        }
    }

    /// <summary>Writes the state now (for changes that are not journal events).</summary>
    protected Task WriteStateAsync() => _store.WriteAsync();

    /// <summary>
    /// Reads what the grain stores, first thing as it activates (<see cref="EntityStorage"/>: what a
    /// <c>[PersistentState]</c> facet read before the activation); a grain with more than its ledger stored reads that too.
    /// </summary>
    protected virtual Task ReadStoredStateAsync() => _store.ReadAsync();

    /// <summary>The current day and this entity's summary on it.</summary>
    protected async Task<(int Today, UpstreamDay Summary, Topology Topology)> TodaySummaryAsync()
    {
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var days = await UpstreamDaysAsync(today, today, null);
        return (today, days[0], await Services.Topology.CurrentAsync());
    }

    /// <summary>
    /// Today's score and drivers, as the current view has them, from one assessment of today (a view's score and
    /// components are those of today's assessment; only its trend needs the week before).
    /// </summary>
    protected async Task<Standing> StandingAsync()
    {
        var today = (await Services.Clock.TodayAsync()).DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        var reading = await ReadingAsync(null, RiskDays.AssessmentReadsFrom(today));
        await EnsureUpstreamAsync(reading, topology, today, today);
        var assessment = Assess(reading, topology, today, explain: true);
        return new Standing(assessment.Date, assessment.Score, Standing.DriversOf(assessment.Components.Select(ViewMapper.ToView)));
    }

    /// <summary>Tells the ranking of this kind that the entity changed; it recomputes the entry when next asked.</summary>
    protected void MarkRankingStale()
    {
        _view.RankingMarkedStale();
        Services.RankingMarks.Mark(Kind, Id);
    }

    private async Task<RiskView> ViewAsync(int? knownOn)
    {
        var (reading, topology, today, response) = await ViewInputsAsync(knownOn);
        var view = BuildView(reading, topology, today, response);

        // A live view that is not kept yet is kept now (as its JSON), and the ranking hears of it, as when the API reads it.
        if (IsLive(reading) && _view.Get(Ledger.Version, _upstream.Version, today, topology, response) is null)
        {
            Keep(view, today, topology);
        }

        return view;
    }

    private async Task<RiskViewJson> ViewJsonAsync()
    {
        var (reading, topology, today, response) = await ViewInputsAsync(null);
        if (!IsLive(reading))
        {
            return RiskViewJson.Of(BuildView(reading, topology, today, response));
        }

        // The response level moves with evaluation, not with the inputs the score is kept for: kept JSON whose
        // response level is out of date is written anew.
        var json = _view.Get(Ledger.Version, _upstream.Version, today, topology, response)
            ?? Keep(BuildView(reading, topology, today, response), today, topology);
        PublishView(json, today, topology);
        return json;
    }

    private async Task InvokeChangingViewAsync(IIncomingGrainCallContext context)
    {
        _callsChangingView++;
        WithdrawView();
        try
        {
            await context.Invoke();
        }
        finally
        {
            _callsChangingView--;
        }
    }

    // Runs in the same turn as the view's computation, after its last await: nothing can have changed in between.
    private void PublishView(RiskViewJson json, int today, Topology topology)
    {
        if (_callsChangingView > 0 || _deactivating || ReferenceEquals(json, _published))
        {
            return;
        }

        Services.LocalViews.Publish(Kind, Id, today, topology, json);
        _published = json;
    }

    // Whether or not this activation remembers publishing: a lookup that finds nothing costs less than any doubt.
    private void WithdrawView()
    {
        Services.LocalViews.Withdraw(Kind, Id);
        _published = null;
    }

    private async Task<(EntityReading<TLedger> Reading, Topology Topology, int Today, ResponseLevelView? Response)> ViewInputsAsync(int? knownOn)
    {
        var today = knownOn ?? (await Services.Clock.TodayAsync()).DayNumber;
        var topology = await Services.Topology.CurrentAsync();
        var reading = await ReadingAsync(knownOn, RiskDays.ViewReadsFrom(today));
        await EnsureUpstreamAsync(reading, topology, today - RiskDays.TrendDays, today);
        return (reading, topology, today, ResponseInForce(knownOn));
    }

    private RiskView BuildView(EntityReading<TLedger> reading, Topology topology, int today, ResponseLevelView? response)
    {
        var (assessment, trend) = AssessWithTrend(reading, topology, today);
        return ViewMapper.ToView(Id, Kind, NameOf(topology), assessment, trend) with { Response = response };
    }

    private bool IsLive(EntityReading<TLedger> reading) => ReferenceEquals(reading.Upstream, _upstream);

    private RiskViewJson Keep(RiskView view, int today, Topology topology)
    {
        var json = _view.Keep(Ledger.Version, _upstream.Version, today, topology, view, out var reportRanking);
        if (reportRanking)
        {
            GrainRefs.Get<IRankingGrain>(GrainFactory, view.Kind).Report(RankingEntry.Of(view), today).Ignore();
        }

        return json;
    }

    private async Task<ImmutableArray<HistoryPointView>> HistoryAsync(DateOnly from, DateOnly to, int? knownOn)
    {
        var today = knownOn ?? (await Services.Clock.TodayAsync()).DayNumber;
        if (RiskDays.HistoryRange(from, to, today, Model.HistoryDays) is not var (first, last))
        {
            return [];
        }

        var rawFirst = HistoryArchive.FirstComputedDay(Ledger, first, live: knownOn is null);
        var topology = await Services.Topology.CurrentAsync();
        var reading = await ReadingAsync(knownOn, RiskDays.AssessmentReadsFrom(rawFirst));
        await EnsureUpstreamAsync(reading, topology, rawFirst, last);
        return ViewMapper.ToHistory(first, last, rawFirst, Ledger.Archive, day => Assess(reading, topology, day, explain: false));
    }

    private async Task<ImmutableArray<UpstreamDay>> UpstreamDaysAsync(int fromDay, int toDay, int? knownOn)
    {
        var topology = await Services.Topology.CurrentAsync();
        var reading = await ReadingAsync(knownOn, RiskDays.AssessmentReadsFrom(fromDay));
        await EnsureUpstreamAsync(reading, topology, fromDay, toDay);
        var days = ImmutableArray.CreateBuilder<UpstreamDay>(Math.Max(0, toDay - fromDay + 1));
        for (var day = fromDay; day <= toDay; day++)
        {
            // Downstream entities read the numbers only.
            days.Add(UpstreamOf(reading, topology, day));
        }

        return days.MoveToImmutable();
    }

    /// <summary>What this entity hands downstream of a day: its assessment's numbers, unless the kind makes them cheaper.</summary>
    protected virtual UpstreamDay UpstreamOf(EntityReading<TLedger> reading, Topology topology, int day) =>
        UpstreamCache.ToUpstream(Assess(reading, topology, day, explain: false));

    // The live ledger answers unless the read is as known on a day or needs records it pruned (the clock moved far back).
    private async Task<EntityReading<TLedger>> ReadingAsync(int? knownOn, int readsFrom) =>
        knownOn is null && !HistoryArchive.ReadsPrunedRecords(Ledger, readsFrom) ? Live : await Journaled.GetAsync(knownOn, Ledger.Version);

    private Task EnsureUpstreamAsync(EntityReading<TLedger> reading, Topology topology, int fromDay, int toDay)
    {
        reading.Upstream.Follow(topology);
        return fromDay > toDay ? Task.CompletedTask : reading.Upstream.EnsureAsync(UpstreamSources(reading.Ledger, topology), fromDay, toDay, (source, from, to) => PullUpstreamAsync(source, from, to, reading.KnownOn));
    }

    // Old days are summarised at a checkpoint once their upstream values are at hand (HistoryArchive).
    async Task<Func<int, Assessment>> IHistorySummariser.PrepareSummaryAsync((int From, int Before) due)
    {
        var topology = await Services.Topology.CurrentAsync();
        await EnsureUpstreamAsync(Live, topology, due.From, due.Before - 1);
        return day => Assess(Live, topology, day, explain: false);
    }
}
