using System.Collections.Immutable;

namespace RiskMesh.Scoring.Escalation;

/// <summary>One level of a response plan.</summary>
/// <param name="Level">2, 3 or 4 (level 1 is normal vigilance and needs no entry).</param>
/// <param name="Name">A short name for people.</param>
/// <param name="EnterAt">The score at or above which the city enters this level (at once).</param>
/// <param name="ExitBelow">The lower score below which the city may leave it (hysteresis).</param>
/// <param name="DwellDays">Consecutive days below <paramref name="ExitBelow"/> before stepping down.</param>
/// <param name="Actions">What the level recommends.</param>
public sealed record PlanLevel(int Level, string Name, double EnterAt, double ExitBelow, int DwellDays, ImmutableArray<string> Actions);

/// <summary>A city's response plan: levels 2 to 4, each with entry, exit, dwell and actions.</summary>
/// <remarks>
/// A level's measures add to those of the levels below it unless the plan says its levels stand alone
/// (<see cref="LevelsStandAlone"/>): in the April 2020 reports a city at the highest level ran designated quarantine
/// facilities alongside its makeshift hospitals, and a level-4 notice that listed level 4's actions only read as if
/// level 3's quarantine and contact tracing had ended (newcomer 20b F1).
/// </remarks>
public sealed record ResponsePlan(ImmutableArray<PlanLevel> Levels)
{
    /// <summary>
    /// True when each level's actions replace those of the levels below it; false (the default) when they add to them,
    /// so a notice at a level carries the lower levels' actions as continuing (<see cref="ContinuedActionsOf"/>).
    /// </summary>
    public bool LevelsStandAlone { get; init; }

    /// <summary>Most actions a level may list: a level's actions are copied into every notice and webhook body.</summary>
    public const int MaxActions = 20;

    /// <summary>Longest action, in characters: a sentence or two, not a document.</summary>
    public const int MaxActionLength = 500;

    /// <summary>Longest level name, in characters.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest dwell, in days: a year below the exit score before stepping down is already more than any plan needs.</summary>
    public const int MaxDwellDays = 365;

    /// <summary>The name of level 1, which plans do not list: what every notice, view and the console call it.</summary>
    public const string NormalVigilance = "normal vigilance";

    /// <summary>Actions at level 1 (normal vigilance).</summary>
    public static readonly ImmutableArray<string> NormalActions =
    [
        "Keep routine health checks of inbound travellers and daily reporting.",
    ];

    /// <summary>
    /// The default plan, in the words of the April 2020 reports: strengthen testing and checks at level 2; reduce
    /// cross-border movement, designated quarantine and provincial help at level 3; national help at level 4.
    /// </summary>
    public static ResponsePlan Default { get; } = new(
    [
        new PlanLevel(2, "heightened", 25, 20, 3,
        [
            "Strengthen nucleic-acid testing at entry points.",
            "Health checks of all inbound travellers.",
            "Increase patrols along main crossings and small pathways.",
        ]),
        new PlanLevel(3, "high", 50, 42, 5,
        [
            "Reduce cross-border movement to the minimum.",
            "Open designated quarantine facilities for inbound travellers.",
            "Request testing kits and laboratory technicians from the province.",
            "Trace and manage close contacts and asymptomatic cases under medical observation.",
        ]),
        new PlanLevel(4, "very high", 75, 67, 7,
        [
            "Request a national expert team.",
            "Set up makeshift hospitals and designated treatment institutions.",
            "Bring in medical and protective equipment and diagnosis and treatment equipment.",
            "Keep cross-border movement to the minimum and strengthen personal protection at the crossings.",
        ]),
    ]);

    /// <summary>The plan level, or null for level 1.</summary>
    public PlanLevel? LevelOf(int level)
    {
        // Loops, not LINQ: every city decision asks this and the entry level, for the city and each of its ports.
        foreach (var candidate in Levels)
        {
            if (candidate.Level == level)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The name of a level in this plan (level 1: <see cref="NormalVigilance"/>).</summary>
    public string NameOf(int level) => LevelOf(level)?.Name ?? NormalVigilance;

    /// <summary>The actions of a level (level 1: normal vigilance).</summary>
    public ImmutableArray<string> ActionsOf(int level) => LevelOf(level)?.Actions ?? NormalActions;

    /// <summary>
    /// The actions of the plan's levels below <paramref name="level"/> that stay in force at it, from the highest of
    /// them down, each once and none of the level's own (<see cref="ActionsOf"/>); empty at level 2 and below, and for a
    /// plan whose levels stand alone. Level 1's routine checks are not among them: every plan level's own checks
    /// replace them.
    /// </summary>
    public ImmutableArray<string> ContinuedActionsOf(int level)
    {
        if (LevelsStandAlone)
        {
            return [];
        }

        var own = ActionsOf(level);
        var continued = ImmutableArray.CreateBuilder<string>();
        foreach (var lower in Levels.Where(l => l.Level < level).OrderByDescending(l => l.Level))
        {
            foreach (var action in lower.Actions.IsDefault ? [] : lower.Actions)
            {
                if (!own.Contains(action) && !continued.Contains(action))
                {
                    continued.Add(action);
                }
            }
        }

        return continued.ToImmutable();
    }

    /// <summary>The highest level whose entry score the score reaches (1 when none).</summary>
    public int EntryLevelFor(double score)
    {
        var entry = 1;
        foreach (var level in Levels)
        {
            if (score >= level.EnterAt)
            {
                entry = Math.Max(entry, level.Level);
            }
        }

        return entry;
    }

    /// <summary>Problems that make the plan unusable, each named; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Levels.IsDefaultOrEmpty)
        {
            problems.Add("a plan needs levels 2, 3 and 4");
            return problems;
        }

        var numbers = Levels.Select(l => l.Level).ToList();
        if (!numbers.Order().SequenceEqual([2, 3, 4]))
        {
            problems.Add($"a plan has exactly the levels 2, 3 and 4, once each; got {string.Join(", ", numbers)}");
        }

        foreach (var level in Levels)
        {
            var name = $"level {level.Level}";
            if (string.IsNullOrWhiteSpace(level.Name))
            {
                problems.Add($"{name}: name is required");
            }
            else if (level.Name.Length > MaxNameLength)
            {
                problems.Add($"{name}: name is {level.Name.Length} characters long; at most {MaxNameLength} are accepted");
            }

            if (level.EnterAt is <= 0 or > 100 || double.IsNaN(level.EnterAt))
            {
                problems.Add($"{name}: enterAt must be a score above 0 and at most 100, got {level.EnterAt}");
            }

            if (!(level.ExitBelow < level.EnterAt) || level.ExitBelow < 0)
            {
                problems.Add($"{name}: exitBelow ({level.ExitBelow}) must be at least 0 and below enterAt ({level.EnterAt})");
            }

            if (level.DwellDays < 0)
            {
                problems.Add($"{name}: dwellDays must be 0 or more, got {level.DwellDays}");
            }
            else if (level.DwellDays > MaxDwellDays)
            {
                problems.Add($"{name}: dwellDays must be at most {MaxDwellDays}, got {level.DwellDays}");
            }

            if (level.Actions.IsDefaultOrEmpty || level.Actions.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"{name}: actions must list at least one non-empty action");
            }
            else if (level.Actions.Length > MaxActions)
            {
                problems.Add($"{name}: actions lists {level.Actions.Length} actions; at most {MaxActions} are accepted");
            }

            if (!level.Actions.IsDefault && level.Actions.FirstOrDefault(a => a.Length > MaxActionLength) is { } longAction)
            {
                problems.Add($"{name}: an action is {longAction.Length} characters long; at most {MaxActionLength} are accepted");
            }
        }

        var ordered = Levels.OrderBy(l => l.Level).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (!(ordered[i].EnterAt > ordered[i - 1].EnterAt))
            {
                problems.Add($"levels must be ordered: level {ordered[i].Level} enterAt ({ordered[i].EnterAt}) must be above level {ordered[i - 1].Level} enterAt ({ordered[i - 1].EnterAt})");
            }

            if (!(ordered[i].ExitBelow > ordered[i - 1].ExitBelow))
            {
                problems.Add($"levels must be ordered: level {ordered[i].Level} exitBelow ({ordered[i].ExitBelow}) must be above level {ordered[i - 1].Level} exitBelow ({ordered[i - 1].ExitBelow})");
            }
        }

        return problems;
    }
}
