namespace RiskMesh.Scoring.Escalation;

/// <summary>One plan of a city and the first day it applies to.</summary>
public sealed class PlanVersion
{
    /// <summary>The first day (day number) the plan applies to; <see cref="int.MinValue"/> for the plan in force from the start.</summary>
    public int FromDay { get; set; }

    /// <summary>The plan as stored (its JSON), or null for the default plan.</summary>
    public string? Plan { get; set; }
}

/// <summary>
/// Which plan applied on which day. A new plan never re-decides days that already have notices: re-evaluating an earlier
/// day (the clock moved back and forward again) decides it with the plan in force then, so the notices issued then are
/// reproduced instead of contradicted by a second, different sequence of levels.
/// </summary>
public sealed class PlanSchedule
{
    /// <summary>How many plan changes are kept; older ones merge into the plan in force from the start.</summary>
    public const int MaxVersions = 200;

    /// <summary>The plans, earliest first; empty while the city's plan was never changed (its current plan applies to every day).</summary>
    public List<PlanVersion> Versions { get; set; } = [];

    /// <summary>
    /// Records that <paramref name="plan"/> replaces <paramref name="previous"/> from <paramref name="fromDay"/> on: a
    /// plan set for that day or a later one before (the clock was moved back since) is forgotten.
    /// </summary>
    public void Set(int fromDay, string? plan, string? previous)
    {
        if (fromDay == int.MinValue)
        {
            // From the start: the new plan is the only one, and the current plan applies to every day.
            Versions.Clear();
            return;
        }

        if (Versions.Count == 0)
        {
            Versions.Add(new PlanVersion { FromDay = int.MinValue, Plan = previous });
        }

        Versions.RemoveAll(v => v.FromDay >= fromDay && v.FromDay != int.MinValue);
        Versions.Add(new PlanVersion { FromDay = fromDay, Plan = plan });
        if (Versions.Count > MaxVersions)
        {
            Versions.RemoveRange(0, Versions.Count - MaxVersions);
            Versions[0].FromDay = int.MinValue;
        }
    }

    /// <summary>The plan that applies on <paramref name="day"/>; <paramref name="current"/> when the plan never changed.</summary>
    public string? PlanOn(int day, string? current)
    {
        for (var i = Versions.Count - 1; i >= 0; i--)
        {
            if (Versions[i].FromDay <= day)
            {
                return Versions[i].Plan;
            }
        }

        return current;
    }

    /// <summary>
    /// The first day a plan set on <paramref name="today"/> applies to. Days up to the city's latest notice keep the
    /// plan they were decided with, so moving the clock back and forward reproduces those notices instead of
    /// contradicting them; every later day takes the new plan, starting from the standing the notices left. A city
    /// without notices takes it for every day (a plan set before a replay governs the replay), and a notice issued today
    /// does not delay it (a score that already crosses the new thresholds acts today, from today's standing).
    /// </summary>
    public static int EffectiveFrom(int today, int? latestNoticeDay) => latestNoticeDay switch
    {
        null => int.MinValue,
        { } latest when latest == today => today,
        { } latest => latest + 1,
    };
}
