using System.Collections.Immutable;
using Orleans.Concurrency;

namespace RiskMesh.Abstractions;

/// <summary>One level of a city's response plan: the score that enters it, the lower score that leaves it, the days it must stay below, and its actions.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.PlanLevelView")]
public sealed record PlanLevelView(int Level, string Name, double EnterAt, double ExitBelow, int DwellDays, ImmutableArray<string> Actions);

/// <summary>A city's response plan (levels 2 to 4; level 1 is normal vigilance).</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.ResponsePlanView")]
public sealed record ResponsePlanView(string City, bool IsDefault, ImmutableArray<PlanLevelView> Levels)
{
    /// <summary>
    /// True when each level's actions replace the lower levels'; false (the default) when they add to them, and a
    /// notice carries the lower levels' actions as <see cref="NoticeView.ContinuedActions"/>.
    /// </summary>
    [Id(3)]
    public bool LevelsStandAlone { get; init; }
}

/// <summary>
/// The level of a city's response plan in force (its escalation state), as opposed to the score band: after the score
/// falls, the plan's level holds until the score has stayed below the level's exit score for its dwell days.
/// </summary>
/// <param name="Level">1 to 4 (1 is normal vigilance).</param>
/// <param name="Name">The level's name in the city's plan.</param>
/// <param name="Since">The day the level was entered; null when the city has never left level 1.</param>
/// <param name="Actions">What the plan asks at this level.</param>
/// <param name="DwellUntil">
/// While the score is below the level's exit score: the first day the level can step down if it stays below; otherwise null.
/// </param>
[GenerateSerializer, Immutable, Alias("riskmesh.ResponseLevelView")]
public sealed record ResponseLevelView(int Level, string Name, DateOnly? Since, ImmutableArray<string> Actions, DateOnly? DwellUntil)
{
    /// <summary>
    /// The actions of the plan's lower levels that stay in force beside <see cref="Actions"/>, as a notice's
    /// <see cref="NoticeView.ContinuedActions"/>: empty when nothing continues.
    /// </summary>
    /// <remarks>Never default: a view made or read without it (an older silo's) reads as nothing continuing.</remarks>
    public ImmutableArray<string> ContinuedActions
    {
        get => _continuedActions.IsDefault ? [] : _continuedActions;
        init => _continuedActions = value;
    }

    [Id(5)]
    private ImmutableArray<string> _continuedActions;

    /// <summary>True when both say the same (level, name, days and actions).</summary>
    public bool SameAs(ResponseLevelView? other) =>
        other is not null && Level == other.Level && Name == other.Name && Since == other.Since && DwellUntil == other.DwellUntil
        && Actions.SequenceEqual(other.Actions) && ContinuedActions.SequenceEqual(other.ContinuedActions);
}

/// <summary>An escalation notice for a city's response team.</summary>
/// <param name="Id">Stable id, <c>{city}-{sequence}</c>.</param>
/// <param name="City">The city.</param>
/// <param name="Sequence">1, 2, 3… per city: the SSE event id, so a reconnecting client resumes after it.</param>
/// <param name="Kind"><c>escalation</c>, <c>de-escalation</c>, <c>port-above-city</c>, <c>port-no-longer-above-city</c>, <c>local-transmission</c>, <c>testing-shortfall</c> or <c>testing-shortfall-ended</c>.</param>
/// <param name="PreviousLevel">The city's level before (1–4); for <c>port-above-city</c>, <c>port-no-longer-above-city</c>, <c>local-transmission</c> and the testing-shortfall kinds, the city's level as the day began.</param>
/// <param name="NewLevel">The city's level after; for <c>port-above-city</c> and <c>port-no-longer-above-city</c>, the port's level (one it rose to, or for <c>port-above-city</c> with <see cref="PortSteppedDownFrom"/>, one it stepped down to); for <c>local-transmission</c> and the testing-shortfall kinds, the city's level as the day ends (they change none).</param>
/// <param name="Score">The score that drove it: the city's, or for a port's notice the port's, when it was issued.</param>
/// <param name="Port">The port, for <c>port-above-city</c> and <c>port-no-longer-above-city</c>.</param>
/// <param name="Drivers">The components that contributed most (the port's own, for a port's notice).</param>
/// <param name="Actions">What the plan recommends now: the actions of the level the notice states (see <see cref="ContinuedActions"/> for the lower levels' that stay in force).</param>
/// <param name="Date">The day (clock) it concerns.</param>
/// <param name="IssuedAt">Wall-clock time it was issued.</param>
/// <param name="Status"><c>open</c> or <c>acknowledged</c>.</param>
/// <param name="AcknowledgedBy">Key id that acknowledged it.</param>
/// <param name="AcknowledgedAt">When.</param>
/// <param name="AcknowledgementComment">What the team wrote when acknowledging, if anything.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.NoticeView")]
public sealed record NoticeView(
    string Id,
    string City,
    long Sequence,
    string Kind,
    int PreviousLevel,
    int NewLevel,
    double? Score,
    string? Port,
    ImmutableArray<RiskComponentView> Drivers,
    ImmutableArray<string> Actions,
    DateOnly Date,
    DateTimeOffset IssuedAt,
    string Status,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgementComment = null)
{
    /// <summary>The notice's page in the web console, relative to RiskMesh's address: the stable link people follow (also in webhook bodies).</summary>
    public string Url => $"/notices/{Uri.EscapeDataString(City)}/{Uri.EscapeDataString(Id)}";

    /// <summary>One sentence saying what happened, by kind (<see cref="NoticeWording.Summary"/>); computed, not stored.</summary>
    public string Summary => NoticeWording.Summary(this);

    /// <summary>
    /// The label of the key in <see cref="AcknowledgedBy"/> ("Suifenhe response team"), added by the API when it answers
    /// (a team cannot tell who acknowledged from a key id); not stored, and absent when the key has no label.
    /// </summary>
    [Id(100), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? AcknowledgedByLabel { get; init; }

    /// <summary>
    /// The city's name from the topology ("Suifenhe"), the one <see cref="Summary"/> uses; <see cref="City"/> stays the
    /// id programs match on. Set when the notice is issued; absent on notices issued before names were added.
    /// </summary>
    [Id(101), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CityName { get; init; }

    /// <summary>The port's name from the topology ("Suifenhe road port"), for <c>port-above-city</c>; <see cref="Port"/> stays the id.</summary>
    [Id(102), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? PortName { get; init; }

    /// <summary>
    /// The name of <see cref="PreviousLevel"/> in the city's plan in force that day ("normal vigilance" for level 1), as
    /// <see cref="Summary"/> says it: "level 1 (normal vigilance)". Set when the notice is issued; absent on notices
    /// issued before names were kept.
    /// </summary>
    [Id(103), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? PreviousLevelName { get; init; }

    /// <summary>The name of <see cref="NewLevel"/> in the city's plan in force that day ("heightened"), as <see cref="Summary"/> says it.</summary>
    [Id(104), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? NewLevelName { get; init; }

    /// <summary>
    /// The id of the later notice of the same city that replaced this one (<c>suifenhe-4</c>): for a change of the city's
    /// level, the city's next change of level; for <c>port-above-city</c>, the next port notice of the same port (or the
    /// city's change to the port's level); for <c>port-no-longer-above-city</c>, the port's next rise. Added by
    /// the API when it answers, from the notices it holds (<c>RiskMesh.Api.Notices.NoticeSupersession</c>); not stored.
    /// </summary>
    [Id(105), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? SupersededBy { get; init; }

    /// <summary>
    /// True when the notice is dated after the clock's day: the clock was moved back after it was issued, so it is not
    /// in force (the city stands where it stood on the clock's day) until the clock reaches its day again. Added by the
    /// API when it answers (<c>RiskMesh.Api.Notices.NoticeSupersession</c>); not stored, and absent otherwise.
    /// </summary>
    [Id(107), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? AheadOfClock { get; init; }

    /// <summary>
    /// On a notice that states the city's level without changing it (<c>local-transmission</c>, <c>testing-shortfall</c>,
    /// <c>testing-shortfall-ended</c> in their <c>newLevel</c>; <c>port-above-city</c>, <c>port-no-longer-above-city</c>
    /// in their <c>previousLevel</c>): the later notice of the same day that changed the city's level to another, the
    /// last such, with the level it left the city at. The level stated is the level when it was issued; a port's
    /// cases or a report that came later the same day may change it (newcomer 22a, M2). Added by the API when it answers
    /// (<c>RiskMesh.Api.Notices.NoticeSupersession</c>); not stored, and absent otherwise.
    /// </summary>
    [Id(116), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public NoticeLevelChange? LevelChangedLater { get; init; }

    /// <summary>
    /// What was thin in the data behind the notice on its day (the city's assessment for a change of level; the port's
    /// estimated traffic for <c>port-above-city</c>): a city whose reports stopped steps down on no score, and a team
    /// must not read that as all clear. Stored as its flag codes only, and only when there are any; absent on notices
    /// without flags and on notices issued before flags were kept.
    /// </summary>
    [Id(106), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public NoticeDataQuality? DataQuality { get; init; }

    /// <summary>
    /// Where the city stood on testing capacity on the notice's day (its capacity gap, the risk model's explanation of
    /// it, and whether laboratories or technicians fall short by the assistance rule): a plan's actions follow the level
    /// alone, and the team must see whether its requests for testing kits and technicians are pressing. For every kind,
    /// the city's (a port above the city speaks of the city's capacity too). Absent on notices issued before it was kept.
    /// </summary>
    [Id(108), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public TestingCapacity? TestingCapacity { get; init; }

    /// <summary>
    /// When the city is short of isolation capacity on the notice's day, by the rule its capacity answer uses to tell
    /// the province to dispatch isolation beds and medical materials: the cases to isolate, the beds, how many are
    /// short and who is recommended to provide them (newcomer 24a, H1: Ruili, 463 cases against 30 beds, heard only of
    /// testing). The city's, for every kind. Absent when the city is not short, and on notices issued before it was kept.
    /// </summary>
    [Id(117), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IsolationCapacity? IsolationCapacity { get; init; }

    /// <summary>
    /// For <c>local-transmission</c>: the local cases that began the episode (the day they are dated, how many that day,
    /// confirmed and asymptomatic) and the quiet days before them. Absent on other kinds.
    /// </summary>
    [Id(110), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public NoticeLocalCases? LocalCases { get; init; }

    /// <summary>
    /// For a <c>port-above-city</c> notice of a port that stepped down rather than rose: the level an earlier notice
    /// told it at (4), above <see cref="NewLevel"/> (3), where it still stands above the city (<see cref="PreviousLevel"/>,
    /// 2). The team stands the port's measures down to <see cref="NewLevel"/>'s, which <see cref="Actions"/> lists.
    /// Absent when the port rose, on other kinds, and on notices stored before it was kept (all of them rises).
    /// </summary>
    [Id(111), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? PortSteppedDownFrom { get; init; }

    /// <summary>
    /// The plan's name of <see cref="PortSteppedDownFrom"/> as of issue ("very high"), as <see cref="NewLevelName"/>
    /// names the new level: the level stepped down from is what the team matches against the earlier notice, and it
    /// read "from level 4" bare beside named levels (review 19 L6). Absent with <see cref="PortSteppedDownFrom"/>, and
    /// on step-down notices stored before it was kept (their wording then gives the number alone).
    /// </summary>
    [Id(112), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? PortSteppedDownFromName { get; init; }

    /// <summary>
    /// The actions of the plan's levels below the one whose actions <see cref="Actions"/> lists that stay in force
    /// beside them (<see cref="RiskMesh.Scoring.Escalation.ResponsePlan.ContinuedActionsOf"/>), from the highest lower level down, none repeated: a
    /// level-4 notice that listed level 4's actions alone read as if level 3's quarantine and contact tracing had ended
    /// (newcomer 20b F1). <see cref="Actions"/> keeps its meaning (the level's own, for webhook receivers that relay it).
    /// Empty when nothing continues (level 2 or below, or a plan whose levels stand alone); for a local-transmission
    /// notice, without the lower levels' measures against local spread, which its actions already list. Absent on
    /// notices issued before it was kept.
    /// </summary>
    [Id(113), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableArray<string>? ContinuedActions { get; init; }

    /// <summary>
    /// For a <c>port-above-city</c> notice of a port that stands at its level although its score is below the level's
    /// entry score: the plan's hysteresis and dwell hold it there (<see cref="NoticePortHold"/>). A port at level 4 with
    /// a score of 58.4, in the "high" band, was told at level 4 with nothing to say why (newcomer 20b F2). Absent when the
    /// port's score reaches its level's entry, on other kinds, and on notices stored before it was kept.
    /// </summary>
    [Id(114), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public NoticePortHold? PortHold { get; init; }

    /// <summary>
    /// For a <c>port-above-city</c> notice, what its level means at the crossing (<see cref="NoticeWording.PortLevelNote"/>):
    /// that the plan holds it (with <see cref="PortHold"/>), and that the level's measures apply at that port, not to the
    /// whole city; null for other kinds. Computed, not stored.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? PortLevelNote => NoticeWording.PortLevelNote(this);

    /// <summary>
    /// For <c>testing-shortfall</c> and <c>testing-shortfall-ended</c>: the laboratories' and technicians' gaps against
    /// their targets that day (0 at target, 1 none), which the rule compares with the assistance threshold, and whether
    /// a shortfall already told grew clearly worse (<see cref="RiskMesh.Scoring.Escalation.TestingShortfall"/>). The
    /// figures people read are in <see cref="TestingCapacity"/>. Absent on other kinds.
    /// </summary>
    [Id(115), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public NoticeTestingShortfall? TestingShortfall { get; init; }

    /// <summary>
    /// In the answer to an acknowledgement only: false when that request acknowledged the notice, true when it had been
    /// acknowledged before (the first acknowledgement stands: <see cref="AcknowledgedBy"/>, <see cref="AcknowledgedAt"/>
    /// and the comment are its own), so a team can tell "you acknowledged it now" from "someone already had". Set by the
    /// city grain when it answers; not stored, and absent everywhere else (lists, the stream, webhook bodies).
    /// </summary>
    [Id(109), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? AlreadyAcknowledged { get; init; }

    /// <summary>
    /// For a <c>de-escalation</c> with <see cref="DataQuality"/> flags, the sentence that says the lower level rests on
    /// incomplete data (<see cref="NoticeWording.DataQualityWarning"/>); null otherwise. Computed, not stored.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? DataQualityWarning => NoticeWording.DataQualityWarning(this);

    /// <summary>
    /// For a notice without a score, why it has none ("insufficient data: no case or capacity report from the city for
    /// 18 days", <see cref="NoticeWording.NoScoreReason"/>), so every client says "no score (…)" in the same words;
    /// null when it has a score. Computed, not stored.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? NoScoreReason => NoticeWording.NoScoreReason(this);
}

/// <summary>
/// Why a port told above its city stands at its level with a score below the level's entry: the plan's hysteresis (the
/// level is left only below its exit score) and dwell (only after that many days below it), as of the notice's day.
/// </summary>
/// <param name="EnterAt">The level's entry score in the city's plan.</param>
/// <param name="ExitBelow">The level's exit score: the port may leave the level only below it.</param>
/// <param name="DwellDays">Consecutive days below <paramref name="ExitBelow"/> before it steps down.</param>
/// <param name="BelowExitSince">The first day of the port's current run of days below the exit (no score counts as below); null when its score is not below it.</param>
/// <param name="StepDownFrom">The first day the port can step down if it stays below the exit; null with <paramref name="BelowExitSince"/>.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.NoticePortHold")]
public sealed record NoticePortHold(double EnterAt, double ExitBelow, int DwellDays, DateOnly? BelowExitSince, DateOnly? StepDownFrom)
{
    /// <summary>
    /// The hold of a port standing at a level of <paramref name="plan"/> with <paramref name="score"/> (null: none), or
    /// null when the score reaches the level's entry (the port stands there on its score) or the level is not a plan level.
    /// </summary>
    public static NoticePortHold? Of(RiskMesh.Scoring.Escalation.LevelTracker port, RiskMesh.Scoring.Escalation.ResponsePlan plan, double? score)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.LevelOf(port.Level) is not { } level || score >= level.EnterAt)
        {
            return null;
        }

        // As the city's response in force counts it: the step down comes once the dwell's days (at least one) have run.
        return port.BelowExitSinceDay is { } below
            ? new NoticePortHold(level.EnterAt, level.ExitBelow, level.DwellDays, DateOnly.FromDayNumber(below), DateOnly.FromDayNumber(below + Math.Max(1, level.DwellDays) - 1))
            : new NoticePortHold(level.EnterAt, level.ExitBelow, level.DwellDays, null, null);
    }
}

/// <summary>The local cases a <c>local-transmission</c> notice reports: the first of an episode, after <paramref name="QuietDays"/> days without any.</summary>
/// <param name="Date">The day the cases are dated (the notice's own day, unless they were reported late).</param>
/// <param name="Count">Local cases dated that day: <paramref name="Confirmed"/> and <paramref name="Asymptomatic"/> together.</param>
/// <param name="Confirmed">Local confirmed cases dated that day.</param>
/// <param name="Asymptomatic">Local asymptomatic infections dated that day.</param>
/// <param name="QuietDays">Days before <paramref name="Date"/> without any local case.</param>
/// <param name="FirstReported">
/// The city reported nothing on or before the quiet period's first day: these are the first local cases it reported,
/// and the quiet period is not known (review 16 L6). False on notices stored before the field existed.
/// </param>
[GenerateSerializer, Immutable, Alias("riskmesh.NoticeLocalCases")]
public sealed record NoticeLocalCases(DateOnly Date, long Count, long Confirmed, long Asymptomatic, int QuietDays, bool FirstReported = false);

/// <summary>A later change of the city's level, told by its own notice (<see cref="NoticeView.LevelChangedLater"/>).</summary>
/// <param name="By">The notice that told it (<c>dongxing-3</c>).</param>
/// <param name="Level">The city's level it left.</param>
/// <param name="LevelName">That level's name in the city's plan ("high").</param>
[GenerateSerializer, Immutable, Alias("riskmesh.NoticeLevelChange")]
public sealed record NoticeLevelChange(string By, int Level, string? LevelName);

/// <summary>The gaps a <c>testing-shortfall</c> or <c>testing-shortfall-ended</c> notice was decided on.</summary>
/// <param name="LaboratoryGap">Laboratories against their per-capita target, 0..1 (rounded to 4 decimals); null when not reported.</param>
/// <param name="TechnicianGap">Technicians against their per-capita target, 0..1 (rounded to 4 decimals); null when not reported.</param>
/// <param name="Worse">On <c>testing-shortfall</c>: true when it tells a shortfall already told grown clearly worse, false when it starts one.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.NoticeTestingShortfall")]
public sealed record NoticeTestingShortfall(double? LaboratoryGap, double? TechnicianGap, bool Worse = false)
{
    /// <summary>The gaps as the rule reads them; computed, not stored or sent.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RiskMesh.Scoring.Escalation.TestingGaps Gaps => new(LaboratoryGap, TechnicianGap);
}

/// <summary>
/// The data-quality flags of a notice, as codes (<see cref="RiskMesh.Scoring.Model.DataQualityFlags"/> and
/// <see cref="NoticeDataQuality.CapacityNotReported"/>), most serious first; <see cref="Notes"/> words them when read.
/// </summary>
/// <param name="Flags">The codes.</param>
/// <param name="DaysSinceLastReport">Days since the city's own last report, with <c>stale</c> or <c>no-recent-report</c>; null when it never reported or has reported recently.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.NoticeDataQuality")]
public sealed record NoticeDataQuality(
    ImmutableArray<string> Flags,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] int? DaysSinceLastReport = null)
{
    /// <summary>The city's laboratories, technicians and isolation beds are not reported: its capacity gap is counted as a half gap.</summary>
    public const string CapacityNotReported = "capacity-not-reported";

    /// <summary>
    /// A port notice's port had no score that day: no recent report of its own and its exposure unknown (the countries it
    /// faces sent no recent case figures, or the port has no traffic figure). A port that steps down on it stepped down
    /// because its data ran out, not because its risk fell.
    /// </summary>
    public const string NoPortScore = "no-port-score";

    /// <summary>One sentence per flag (<see cref="NoticeWording.DataQualityNotes"/>); computed, not stored.</summary>
    public ImmutableArray<string> Notes => NoticeWording.DataQualityNotes(this);

    /// <summary>
    /// The flags of a port's standing on the day of a port notice: <see cref="NoPortScore"/> when it had no score, and
    /// <c>estimated</c> when its score rests on estimated traffic; null when there are none.
    /// </summary>
    public static NoticeDataQuality? OfPort(double? score, bool estimated) =>
        score is null ? new NoticeDataQuality([NoPortScore])
        : estimated ? new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.Estimated])
        : null;

    /// <summary>
    /// The flags of a city's assessment that say its data is thin, or null when there are none. <c>revised</c> is left
    /// out: it stays set once any report was ever corrected, so it would mark every later notice without saying that
    /// anything is missing.
    /// </summary>
    public static NoticeDataQuality? OfCity(RiskMesh.Scoring.Model.Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var quality = assessment.Quality;
        var flags = RiskMesh.Scoring.Model.DataQualityFlags.Of(quality.Stale, quality.NoRecentReport, quality.Estimated, quality.FlatSeries, revised: false, quality.MissingPopulation);

        // The capacity gap counts a city with none of these reported as a half gap (CityModel.CapacityGap); without a
        // population it is unknown anyway, which missing-population says.
        if (!quality.MissingPopulation && assessment.MetricOrNull(RiskMesh.Scoring.Model.CityMetricKeys.Labs) is null && assessment.MetricOrNull(RiskMesh.Scoring.Model.CityMetricKeys.Technicians) is null && assessment.MetricOrNull(RiskMesh.Scoring.Model.CityMetricKeys.IsolationBeds) is null)
        {
            flags = flags.Add(CapacityNotReported);
        }

        if (flags.IsEmpty)
        {
            return null;
        }

        return new NoticeDataQuality(flags, quality.Stale || quality.NoRecentReport ? quality.DaysSinceLastReport : null);
    }
}

/// <summary>A webhook of a city: where notices are POSTed and the secret that signs them.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.WebhookConfig")]
public sealed record WebhookConfig(string Url, string Secret);

/// <summary>Receives a city's notices as they are issued and acknowledged (the API tier's SSE hub, or any watcher).</summary>
[Alias("riskmesh.INoticeObserver")]
public interface INoticeObserver : IGrainObserver
{
    /// <summary>A notice was issued.</summary>
    [Alias("OnNotice"), OneWay]
    Task OnNotice(NoticeView notice);

    /// <summary>
    /// A notice was acknowledged (the first acknowledgement, once): the notice as stored, its status, who and when. A
    /// team of several officers then sees at once that a colleague took it in hand, not at its next read of the list.
    /// </summary>
    [Alias("OnAcknowledged"), OneWay]
    Task OnAcknowledged(NoticeView notice);
}

/// <summary>A city's durable webhook outbox: delivers its notices in order, with retries, backoff and signatures.</summary>
[Alias("riskmesh.IWebhookOutboxGrain")]
public interface IWebhookOutboxGrain : IGrainWithStringKey
{
    /// <summary>The city's webhooks.</summary>
    [Alias("GetWebhooks")]
    Task<ImmutableArray<WebhookConfig>> GetWebhooks();

    /// <summary>Replaces the city's webhooks (already validated).</summary>
    [Alias("SetWebhooks")]
    Task SetWebhooks(ImmutableArray<WebhookConfig> webhooks);

    /// <summary>Queues a notice for every webhook, durably, before returning.</summary>
    [Alias("Enqueue")]
    Task Enqueue(NoticeView notice);

    /// <summary>
    /// Queues the given notices, as issued, for one of the city's webhooks only (a webhook added after they were issued:
    /// newcomer 24a L7), skipping those already waiting for it; returns the ids queued. The other webhooks get nothing
    /// more. <see cref="ArgumentException"/> when the URL is none of the city's webhooks.
    /// </summary>
    [Alias("EnqueueFor")]
    Task<ImmutableArray<string>> EnqueueFor(string url, ImmutableArray<NoticeView> notices);

    /// <summary>How delivery to each of the city's webhooks goes, in the order of <see cref="GetWebhooks"/>.</summary>
    [Alias("GetDeliveries")]
    Task<ImmutableArray<WebhookDeliveryState>> GetDeliveries();
}

/// <summary>
/// How delivery of a city's notices to one of its webhooks goes (newcomer 22a, L3: a receiver answering 401 was retried
/// for ever, and only the operators' log said so).
/// </summary>
/// <param name="Url">The webhook.</param>
/// <param name="Pending">Notices waiting for it, oldest first: they go in order, each after the one before.</param>
/// <param name="OldestPending">The id of the oldest of them (the one being tried); null with none.</param>
/// <param name="Attempts">Failed attempts at the oldest so far.</param>
/// <param name="NextAttemptAt">When the oldest is tried next; null with none.</param>
/// <param name="LastAttemptAt">When a notice was last POSTed to it; null before the first.</param>
/// <param name="LastDeliveredAt">When it last took a notice with a 2xx; null if it never did.</param>
/// <param name="FailingSince">The first failed attempt since it last took one; null while the last attempt succeeded.</param>
/// <param name="LastFailedStatus">The HTTP status of the last failed attempt, if it answered one.</param>
/// <param name="LastError">Why the last attempt failed; null while it succeeded.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.WebhookDeliveryState")]
public sealed record WebhookDeliveryState(
    string Url, int Pending, string? OldestPending, int Attempts, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? LastDeliveredAt, DateTimeOffset? FailingSince, int? LastFailedStatus, string? LastError);

/// <summary>Runs the daily evaluation: as the clock's day moves, every city re-evaluates each day it has not yet seen.</summary>
[Alias("riskmesh.IDailyEvaluationGrain")]
public interface IDailyEvaluationGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Evaluates every city of the topology up to the clock's day, as of the clock's <paramref name="clockVersion"/> or
    /// later (the version the caller set it to: no silo stops at a day it cached before); returns the notices issued.
    /// </summary>
    /// <remarks>
    /// Kept for an API node of an earlier version during a rolling upgrade: it cannot say that some cities failed, so
    /// a run in which any did fails here as it used to. The clock API calls <see cref="RunToClockWithFailures"/>.
    /// </remarks>
    [Alias("RunToClock")]
    Task<ImmutableArray<NoticeView>> RunToClock(long clockVersion);

    /// <summary>
    /// <see cref="RunToClock"/>, answering also which cities failed to evaluate: one failing city does not stop the
    /// others, and the failed ones are evaluated again at the reminder's next minute check.
    /// </summary>
    [Alias("RunToClockWithFailures")]
    Task<ClockEvaluation> RunToClockWithFailures(long clockVersion);

    /// <summary>
    /// Evaluates <paramref name="cities"/> (those whose score inputs a topology replacement changed) to today with the
    /// topology as of <paramref name="topologyVersion"/> or later, with the same cap on calls in flight as the daily
    /// evaluation; a city that fails is counted and left to its next event or the daily evaluation. The caller waits up
    /// to ten minutes rather than Orleans' 30 s: a replacement that touches tens of thousands of cities evaluates each.
    /// </summary>
    [Alias("RunForTopology"), ResponseTimeout("00:10:00")]
    Task<TopologyEvaluation> RunForTopology(long topologyVersion, ImmutableArray<string> cities);

    /// <summary>
    /// Ensures the cluster's one daily-evaluation reminder exists and, on a fresh activation, evaluates once. Every
    /// silo calls it at start; only the first call in an activation evaluates.
    /// </summary>
    [Alias("Start")]
    Task Start();
}

/// <summary>What evaluating every city to the clock's day did.</summary>
/// <param name="Notices">The notices issued, by day, city and sequence.</param>
/// <param name="Cities">Cities asked to evaluate.</param>
/// <param name="Failed">Cities whose evaluation failed (each logged; evaluated again at the reminder's next minute check).</param>
/// <param name="FailedCities">The first <see cref="NamedFailuresAtMost"/> of them, by id.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.ClockEvaluation")]
public sealed record ClockEvaluation(ImmutableArray<NoticeView> Notices, int Cities, int Failed, ImmutableArray<string> FailedCities)
{
    /// <summary>How many failed cities an answer names (a database outage can fail tens of thousands).</summary>
    public const int NamedFailuresAtMost = 20;
}

/// <summary>What re-evaluating the cities a topology replacement touched did.</summary>
/// <param name="Cities">Cities whose score inputs changed, asked to evaluate again.</param>
/// <param name="Failed">Cities whose evaluation failed, or every one of them when the run did not answer (they evaluate at their next event or the daily evaluation).</param>
/// <param name="NoticesIssued">Notices those evaluations issued (counted, not carried back: a run over tens of thousands of cities may issue as many).</param>
/// <param name="Unanswered">Why the run did not answer (it timed out or its grain failed), or null when it did; the topology is in force either way.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.TopologyEvaluation")]
public sealed record TopologyEvaluation(int Cities, int Failed, int NoticesIssued, string? Unanswered = null)
{
    /// <summary>Nothing to evaluate.</summary>
    public static TopologyEvaluation None { get; } = new(0, 0, 0);
}

/// <summary>A city's response side: escalation, notices, plan and observers. Same key and activation as <see cref="ICityGrain"/>.</summary>
[Alias("riskmesh.ICityResponseGrain")]
public interface ICityResponseGrain : IGrainWithStringKey
{
    /// <summary>Evaluates escalation for every day up to the clock's that has not been evaluated; returns notices issued.</summary>
    [Alias("EvaluateToToday")]
    Task<ImmutableArray<NoticeView>> EvaluateToToday();

    /// <summary>
    /// <see cref="EvaluateToToday"/> with the clock as of <paramref name="clockVersion"/> or later, for an evaluation
    /// asked for after the clock moved elsewhere.
    /// </summary>
    [Alias("EvaluateToClock")]
    Task<ImmutableArray<NoticeView>> EvaluateToClock(long clockVersion);

    /// <summary>
    /// <see cref="EvaluateToToday"/> after a topology replacement: with the topology as of
    /// <paramref name="topologyVersion"/> or later, read also by its ports and their countries, today is decided again.
    /// </summary>
    [Alias("EvaluateForTopology")]
    Task<ImmutableArray<NoticeView>> EvaluateForTopology(long topologyVersion);

    /// <summary>
    /// The level of the response plan in force at the end of each day from <paramref name="from"/> to
    /// <paramref name="to"/> (1 to 4), as a view of that day gives it: a province's history ranks with it as its view does.
    /// </summary>
    [Alias("GetResponseLevels")]
    Task<ImmutableArray<int>> GetResponseLevels(DateOnly from, DateOnly to);

    /// <summary>The city's notices, oldest first, optionally only one status, optionally only after a sequence number.</summary>
    [Alias("GetNotices")]
    Task<ImmutableArray<NoticeView>> GetNotices(string? status, long afterSequence);

    /// <summary>
    /// Acknowledges a notice with an optional comment; null when there is no such notice. Harmless when already
    /// acknowledged: the first acknowledgement stands and is answered, with <see cref="NoticeView.AlreadyAcknowledged"/>
    /// true (false when this call acknowledged it).
    /// </summary>
    [Alias("Acknowledge")]
    Task<NoticeView?> Acknowledge(string noticeId, string acknowledgedBy, string? comment);

    /// <summary>The response plan in force.</summary>
    [Alias("GetPlan")]
    Task<ResponsePlanView> GetPlan();

    /// <summary>
    /// Replaces the response plan (already validated); takes effect at the next evaluation. <paramref name="levelsStandAlone"/>:
    /// each level's actions replace the lower levels' rather than add to them (<see cref="ResponsePlanView.LevelsStandAlone"/>).
    /// </summary>
    [Alias("SetPlan")]
    Task<ResponsePlanView> SetPlan(ImmutableArray<PlanLevelView> levels, bool levelsStandAlone = false);

    /// <summary>
    /// The city's webhooks were changed: the city asks again, before it next hands notices off, whether it has any.
    /// Interleaves, as the outbox calls it while the city may be waiting for that outbox.
    /// </summary>
    [Alias("OnWebhooksChanged"), AlwaysInterleave]
    Task OnWebhooksChanged();

    /// <summary>Registers an observer of notices; call again within five minutes to stay subscribed.</summary>
    [Alias("SubscribeNotices")]
    Task SubscribeNotices(INoticeObserver observer);

    /// <summary>Removes an observer.</summary>
    [Alias("UnsubscribeNotices")]
    Task UnsubscribeNotices(INoticeObserver observer);
}
