// The words a notice is made of, in the one place every project (grains, API, CLI) reads them from.
namespace RiskMesh.Scoring.Escalation;

/// <summary>The kinds of notice, as they appear in notices, webhook bodies and the API.</summary>
public static class NoticeKinds
{
    /// <summary>The city's level rose.</summary>
    public const string Escalation = "escalation";

    /// <summary>The city's level stepped down after the dwell.</summary>
    public const string DeEscalation = "de-escalation";

    /// <summary>
    /// One of the city's ports stands at a level above the city's: it rose to it, or, told above the city at a higher
    /// level, it stepped down to it and still stands above the city (the notice's <c>portSteppedDownFrom</c> says so and
    /// from which level). Either way the team takes that level's port measures from the city's plan.
    /// </summary>
    public const string PortAboveCity = "port-above-city";

    /// <summary>
    /// A port a <see cref="PortAboveCity"/> notice told above the city stands at or below the city's level again (its
    /// score fell or stopped, or the city rose to its level without reaching the level told): that notice is no longer
    /// true, and replaced by this one. Not a change of the city's level.
    /// </summary>
    public const string PortNoLongerAboveCity = "port-no-longer-above-city";

    /// <summary>
    /// The city recorded local cases after a quiet period (<see cref="LocalTransmission"/>): told once per episode,
    /// whatever its level does. Not a change of level.
    /// </summary>
    public const string LocalTransmission = "local-transmission";

    /// <summary>
    /// The city's laboratories or technicians fall short of target by the assistance rule, so the province is
    /// recommended to dispatch testing kits and technicians (<see cref="Escalation.TestingShortfall"/>): told when the
    /// shortfall starts and when it grows clearly worse, whatever the city's level. Not a change of level.
    /// </summary>
    public const string TestingShortfall = "testing-shortfall";

    /// <summary>A shortfall a <see cref="TestingShortfall"/> notice told is over (<see cref="Escalation.TestingShortfall"/>); it replaces that notice.</summary>
    public const string TestingShortfallEnded = "testing-shortfall-ended";
}

/// <summary>The statuses of a notice.</summary>
public static class NoticeStatuses
{
    /// <summary>Not yet acknowledged.</summary>
    public const string Open = "open";

    /// <summary>Acknowledged by a responder or operator.</summary>
    public const string Acknowledged = "acknowledged";
}

/// <summary>
/// How a response level is named wherever a person reads it (notice summaries, webhook and SSE bodies, the CLI, the
/// console): its number and its name in the city's plan, <c>level 2 (heightened)</c>; level 1, which plans do not list,
/// is <see cref="ResponsePlan.NormalVigilance"/>. Score-band words (low, moderate, high, very high) name a score, never
/// a response level.
/// </summary>
public static class ResponseLevelWording
{
    /// <summary><c>level 2 (heightened)</c>; without a name (a notice issued before names were kept), <c>level 2</c>.</summary>
    public static string Of(int level, string? name)
    {
        var number = level.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.IsNullOrWhiteSpace(name) ? $"level {number}" : $"level {number} ({name})";
    }
}
