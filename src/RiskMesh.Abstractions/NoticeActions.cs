using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace RiskMesh.Abstractions;

/// <summary>
/// The actions a notice lists: its plan's for the level it announces and, when the city's laboratories or technicians
/// fall short by the assistance rule and those actions do not ask for testing kits or technicians, the request to the
/// province, marked as coming from the shortfall. A notice whose testing line says requests for kits and technicians
/// are pressing must not leave them out (newcomer 15: Hekou, with no laboratory and 3 technicians, escalated to level 2
/// with entry testing, health checks and patrols only, the request standing at level 3 of the default plan). A short
/// city's team is the one that must ask, and the province is the one that dispatches (the April 2020 reports), so the
/// action is added rather than the line softened.
/// </summary>
public static class NoticeActions
{
    /// <summary>The request added for a city short of testing capacity, saying where it comes from.</summary>
    public const string TestingRequest =
        "Request testing kits and laboratory technicians from the province: the city's laboratories or technicians are short of target (testing capacity, not the plan's level).";

    // A plan's action asks for them when it is a request (a verb of asking) for kits, reagents or technicians: naming
    // technicians alone ("Technicians disinfect vehicles at the crossing") asks nothing (review 15 L3).
    // Whole words: "masks" is no "ask", "tasks" no request.
    private static readonly Regex Requesting = new(@"\b(request|ask|apply for|seek)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Wanted = new(@"\b(kit|reagent|technician)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// The plan's actions, with <see cref="TestingRequest"/> after them when <paramref name="testing"/> is short and none
    /// of them, nor of the lower levels' actions that continue beside them (<paramref name="continued"/>: level 3's
    /// request at level 4), asks for kits or technicians.
    /// </summary>
    public static ImmutableArray<string> Of(ImmutableArray<string> planActions, TestingCapacity? testing, ImmutableArray<string> continued = default, IsolationCapacity? isolation = null)
    {
        var actions = planActions.IsDefault ? [] : planActions;
        bool Asked(Func<string, bool> asks) => actions.Any(asks) || (!continued.IsDefault && continued.Any(asks));
        if (testing?.Standing == TestingCapacity.Short && !Asked(AsksForTesting))
        {
            actions = actions.Add(TestingRequest);
        }

        // The beds are the other stock a short city asks for: with the figures, so the team asks for what it needs.
        if (isolation is not null && !Asked(AsksForBeds))
        {
            actions = actions.Add(IsolationRequest(isolation));
        }

        return actions;
    }

    /// <summary>
    /// The request added for a city short of isolation capacity, with its figures and who provides the beds:
    /// "Request isolation beds and medical materials from the province: 463 cases to isolate in 14 days against 30
    /// isolation beds, 433 beds short (isolation capacity, not the plan's level)."
    /// </summary>
    public static string IsolationRequest(IsolationCapacity isolation)
    {
        ArgumentNullException.ThrowIfNull(isolation);
        return $"Request isolation beds and medical materials from the {isolation.Scope}: {isolation.Brief} (isolation capacity, not the plan's level).";
    }

    /// <summary>
    /// What a <c>testing-shortfall</c> notice asks: the plan's own requests for testing kits or technicians, from any of
    /// its levels (one from another level than the city's <paramref name="level"/> marked so: the shortfall, not the
    /// level, asks for it), or <see cref="TestingRequest"/> when the plan has none.
    /// </summary>
    public static ImmutableArray<string> ForTestingShortfall(RiskMesh.Scoring.Escalation.ResponsePlan plan, int level)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var requests = ImmutableArray.CreateBuilder<string>();
        foreach (var planLevel in plan.Levels.OrderBy(l => l.Level))
        {
            foreach (var action in planLevel.Actions.IsDefault ? [] : planLevel.Actions)
            {
                if (AsksForTesting(action))
                {
                    requests.Add(planLevel.Level == level
                        ? action
                        : $"{action.Trim().TrimEnd('.')} (for the testing shortfall, from {RiskMesh.Scoring.Escalation.ResponseLevelWording.Of(planLevel.Level, planLevel.Name)} of the plan).");
                }
            }
        }

        return requests.Count > 0 ? requests.ToImmutable() : [TestingRequest];
    }

    private static bool AsksForTesting(string action) => Requesting.IsMatch(action) && Wanted.IsMatch(action);

    private static readonly Regex WantedBeds = new(@"\b(beds?|medical materials?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static bool AsksForBeds(string action) => Requesting.IsMatch(action) && WantedBeds.IsMatch(action);
}
