using System.Collections.Immutable;

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

    // What a plan's action says when it already asks for them (the words AssistanceModel looks for in a plan in force).
    private static readonly string[] Asking = ["testing kit", "technician"];

    /// <summary>The plan's actions, with <see cref="TestingRequest"/> after them when <paramref name="testing"/> is short and none of them asks for kits or technicians.</summary>
    public static ImmutableArray<string> Of(ImmutableArray<string> planActions, TestingCapacity? testing)
    {
        var actions = planActions.IsDefault ? [] : planActions;
        if (testing?.Standing != TestingCapacity.Short
            || actions.Any(a => Asking.Any(word => a.Contains(word, StringComparison.OrdinalIgnoreCase))))
        {
            return actions;
        }

        return actions.Add(TestingRequest);
    }
}
