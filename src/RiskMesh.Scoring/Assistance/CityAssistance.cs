using System.Collections.Immutable;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Assistance;

/// <summary>One recommended action for a city, who takes it, and the sentence (with its numbers) that explains why.</summary>
/// <param name="Scope"><see cref="AssistanceScopes.Province"/> or <see cref="AssistanceScopes.National"/>.</param>
/// <param name="Action">The action, in the words of the response plans (see <see cref="AssistanceActions"/>).</param>
/// <param name="Reason">Why, with the numbers that triggered it.</param>
public sealed record RecommendedAction(string Scope, string Action, string Reason);

/// <summary>
/// A city short of isolation capacity (<see cref="AssistanceModel.CityIsolationShortfall"/>): the province is
/// recommended to dispatch isolation beds and medical materials.
/// </summary>
/// <param name="CasesToIsolate">Cases to isolate in 14 days (local, asymptomatic and imported hosted, or the severe cases if more).</param>
/// <param name="Beds">Isolation beds reported, or null when none were.</param>
/// <param name="BedsShort">Beds missing: against the cases to isolate when they overload the beds, else against the per-capita target.</param>
/// <param name="Reason">The figures as the assistance recommendation words them.</param>
/// <param name="Brief">The figures in a few words, for an action or a text message: "463 cases to isolate in 14 days against 30 isolation beds, 433 beds short".</param>
public sealed record IsolationShortfall(double CasesToIsolate, double? Beds, int BedsShort, string Reason, string Brief);

/// <summary>A city's assistance need and what to send it; <see cref="Rank"/> is 0 until <see cref="AssistanceModel.Rank"/> orders a set.</summary>
/// <param name="CityId">City slug.</param>
/// <param name="CityName">Display name.</param>
/// <param name="ProvinceId">Province slug.</param>
/// <param name="Score">Score 0–100, null when data is insufficient.</param>
/// <param name="Level">Level.</param>
/// <param name="CapacityGap">What the city cannot cope with, 0..1, used for the need: the largest of its per-capita capacity gap, isolation load and ports' testing gaps (the model's unknown gap when none is reported).</param>
/// <param name="Need">score / 100 × capacity gap, rounded to four decimals; null when data is insufficient.</param>
/// <param name="DailyInbound">Inbound travellers a day through the city's ports.</param>
/// <param name="Rank">1 for the first city to assist.</param>
/// <param name="Actions">What to do, most urgent scope first.</param>
public sealed record CityAssistance(
    string CityId,
    string CityName,
    string ProvinceId,
    double? Score,
    RiskLevel Level,
    double CapacityGap,
    double? Need,
    double DailyInbound,
    int Rank,
    ImmutableArray<RecommendedAction> Actions)
{
    /// <summary>The need's arithmetic and what binds it, in a sentence; empty to let <see cref="AssistanceModel.ExplainNeed"/> compose it.</summary>
    public string Explanation { get; init; } = "";

    /// <summary>True when the city had too little recent data to judge its need.</summary>
    public bool InsufficientData => Need is null;
}

/// <summary>
/// The four groups cities are ranked in, group first (<see cref="AssistanceModel.GroupOf"/>), by the id the API gives
/// each city (<c>group</c>) so clients show the group without working it out again.
/// </summary>
public static class AssistanceGroups
{
    /// <summary>Group 0: a national or dispatch recommendation, ranked by need.</summary>
    public const string Send = "send";

    /// <summary>Group 1: scored, but its capacity was never reported; ranked by score.</summary>
    public const string CapacityNotReported = "capacity-not-reported";

    /// <summary>Group 2: no shortfall crosses a threshold; ranked by need.</summary>
    public const string KeepMonitoring = "keep-monitoring";

    /// <summary>Group 3: too few recent reports to judge.</summary>
    public const string InsufficientData = "insufficient-data";

    /// <summary>The ids in ranking order: the index is the group's number.</summary>
    public static ImmutableArray<string> InOrder { get; } = [Send, CapacityNotReported, KeepMonitoring, InsufficientData];
}

/// <summary>Who acts on a recommendation.</summary>
public static class AssistanceScopes
{
    /// <summary>The provincial government assembles and dispatches.</summary>
    public const string Province = "province";

    /// <summary>National authorities send teams and equipment.</summary>
    public const string National = "national";
}

/// <summary>The recommended actions, in the words of the seed reports and the response plans.</summary>
public static class AssistanceActions
{
    /// <summary>Testing gap (laboratories, technicians, or a port's testing capacity).</summary>
    public const string DispatchTestingKits = "dispatch testing kits and laboratory technicians";

    /// <summary>Isolation-bed gap with severe cases.</summary>
    public const string DispatchBeds = "dispatch isolation beds and medical materials";

    /// <summary>Very high level, or inadequate preparation with many incoming visitors.</summary>
    public const string SendExpertTeam = "send a national expert team";

    /// <summary>Goes with the expert team.</summary>
    public const string DeliverEquipment = "deliver medical and protective equipment";

    /// <summary>Nationally assisted city with cases to isolate and treat.</summary>
    public const string SupportMakeshiftHospitals = "support makeshift hospitals and designated quarantine facilities";

    /// <summary>A scored city whose capacity was never reported.</summary>
    public const string ReportCapacity = "collect data: capacity not reported";

    /// <summary>A city without recent reports.</summary>
    public const string CollectData = "collect data: no recent reports";

    /// <summary>Nothing crosses a threshold.</summary>
    public const string KeepMonitoring = "keep monitoring: no assistance needed";
}
