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
/// Which plan applied on which day. A plan applies from the day it is set, never to days already evaluated: re-evaluating
/// an earlier day (the clock moved back and forward again) decides it with the plan in force then, so the notices issued
/// then are reproduced instead of contradicted by a second, different sequence of levels.
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
    /// The first day a plan set on <paramref name="today"/> applies to: today (a score that already crosses its
    /// thresholds acts now), or, when notices were already issued for later days (the clock was moved back), the day
    /// after the latest of them, so those notices stand as issued.
    /// </summary>
    public static int EffectiveFrom(int today, int? latestNoticeDay) =>
        latestNoticeDay is { } latest && latest > today ? latest + 1 : today;
}
