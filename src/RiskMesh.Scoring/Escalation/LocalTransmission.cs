using System.Collections.Immutable;
using System.Text.RegularExpressions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Escalation;

/// <summary>
/// The first local cases of an episode: the day they are dated and how many were reported that day, confirmed and
/// asymptomatic (severe cases are not counted: they may be imported patients, as Suifenhe's were in April 2020).
/// </summary>
/// <param name="Day">Day number (<see cref="DateOnly.DayNumber"/>) the cases are dated.</param>
/// <param name="Confirmed">Local confirmed cases dated that day.</param>
/// <param name="Asymptomatic">Local asymptomatic infections dated that day.</param>
/// <param name="FirstReported">
/// The city has no report dated on or before the quiet period's first day (its reports begin inside it): the quiet
/// period is not known, only that these are the first local cases it reported.
/// </param>
public sealed record LocalTransmissionOnset(int Day, long Confirmed, long Asymptomatic, bool FirstReported = false)
{
    /// <summary>Local cases dated that day, confirmed and asymptomatic.</summary>
    public long Count => Confirmed + Asymptomatic;
}

/// <summary>
/// When local transmission begins in a city: local cases (confirmed or asymptomatic) on a day after
/// <see cref="QuietDays"/> days without any. A city's level follows its score, and a city already escalated by imported
/// cases may stay at its level when its first local cases are found (newcomer 16: 300 local cases in Heihe, at level 3,
/// told nobody), while the April 2020 reports name locally transmitted clusters as the risk the border cities face. So
/// the onset is told to the city's team on its own, once per episode, whatever the level does.
/// </summary>
public static class LocalTransmission
{
    /// <summary>Days without local cases before local cases start a new episode.</summary>
    public const int QuietDays = 14;

    /// <summary>
    /// How many days before the evaluated day an onset is still found: a feed that reports cases a day or more after
    /// the day they are dated (normal in live use) must not go unnoticed because that day was already decided. Shorter
    /// than <see cref="QuietDays"/>, so the window holds at most one onset.
    /// </summary>
    public const int LateDays = QuietDays - 1;

    // A plan's measures against local spread, as the April 2020 reports name them: nucleic-acid testing, tracing of
    // close contacts, epidemiological investigation, quarantine and isolation. Whole words at the start.
    private static readonly Regex Measure = new(@"\b(nucleic|testing|test\b|tests\b|trac(e|ing)|contact|epidemiolog|quarantin|isolat)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // A measure at the border (testing or quarantine at entry points, ports, crossings, of inbound travellers) is
    // against imported cases, not local spread (review 16 L5): whole words and phrases, so "report" or "transport"
    // do not count as a port.
    private static readonly Regex Border = new(@"\b(entry[- ]points?|points? of entry|ports?|borders?|cross-border|crossings?|inbound|arrivals?|(at|on|upon) (entry|arrival))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // A request for supplies (kits, technicians) is the province's to fill and follows testing capacity (NoticeActions),
    // not local cases: it is not one of the measures taken locally.
    private static readonly Regex Request = new(@"\b(request|ask|apply for|seek)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// The onset of local transmission seen on <paramref name="day"/>: the earliest day of the last
    /// <see cref="LateDays"/> + 1 days (up to <paramref name="day"/>) with local cases, when the <see cref="QuietDays"/>
    /// days before it had none; null otherwise (no local cases, or an episode that began earlier). Cases dated after
    /// <paramref name="day"/> are not seen (the clock was moved back). When the ledger's raw records start after the
    /// quiet period began (older ones were pruned), the quiet period cannot be told from pruned cases, and nothing is
    /// found.
    /// </summary>
    public static LocalTransmissionOnset? OnsetSeenOn(SiteLedger ledger, int day)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.Cases is not { Count: > 0 })
        {
            return null;
        }

        // One pass over the records: local cases of each day from the first quiet day of the earliest candidate on.
        var first = day - LateDays - QuietDays;
        Span<long> confirmed = stackalloc long[LateDays + QuietDays + 1];
        Span<long> asymptomatic = stackalloc long[LateDays + QuietDays + 1];
        var any = false;
        // Through the ledger's own reader: Dictionary.Values would leave a collection cached in every city's ledger.
        foreach (var record in ledger.Cases.ValuesOrEmpty())
        {
            if (record.Day < first || record.Day > day || record.Count <= 0)
            {
                continue;
            }

            switch (record.Classification)
            {
                case CaseClassification.LocalConfirmed:
                    confirmed[record.Day - first] += record.Count;
                    any = true;
                    break;
                case CaseClassification.LocalAsymptomatic:
                    asymptomatic[record.Day - first] += record.Count;
                    any = true;
                    break;
            }
        }

        if (!any)
        {
            return null;
        }

        // The earliest candidate with cases decides: any later day with cases has it within its quiet period.
        for (var i = QuietDays; i < confirmed.Length; i++)
        {
            if (confirmed[i] + asymptomatic[i] == 0)
            {
                continue;
            }

            for (var q = i - QuietDays; q < i; q++)
            {
                if (confirmed[q] + asymptomatic[q] > 0)
                {
                    return null;
                }
            }

            var onset = first + i;
            if (ledger.RawFrom is { } rawFrom && onset - QuietDays < rawFrom)
            {
                return null;
            }

            // Days without reports read as days without cases: a city that reported nothing before the quiet period
            // (a fresh city) is not known to have been quiet for 14 days. Pruned records (RawFrom) were reports.
            var reportedBefore = ledger.RawFrom is not null || ledger.LastReportDay(onset - QuietDays) is not null;
            return new LocalTransmissionOnset(onset, confirmed[i], asymptomatic[i], !reportedBefore);
        }

        return null;
    }

    /// <summary>
    /// What a local-transmission notice asks of the team, measures against local spread first: the plan's own at the
    /// city's level (tracing close contacts), then those listed at its other levels (testing, tracing, quarantine,
    /// isolation; requests for supplies left out), each saying which level it comes from, then the level's other
    /// actions (border measures, requests). A notice on local cases that led with "Reduce cross-border movement"
    /// pointed the team at the border while the cases were in the city (newcomer 24a, M4). A plan that lists no such
    /// measure keeps its level's actions as they are.
    /// </summary>
    public static ImmutableArray<string> Actions(ResponsePlan plan, int level)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var own = plan.ActionsOf(level);
        var actions = ImmutableArray.CreateBuilder<string>();
        actions.AddRange(own.Where(IsLocalMeasure));
        foreach (var other in plan.Levels.OrderBy(l => l.Level))
        {
            if (other.Level == level || other.Actions.IsDefault)
            {
                continue;
            }

            foreach (var action in other.Actions)
            {
                if (IsLocalMeasure(action) && !own.Contains(action))
                {
                    actions.Add($"{action.Trim().TrimEnd('.')} (for local transmission, from {ResponseLevelWording.Of(other.Level, other.Name)} of the plan).");
                }
            }
        }

        actions.AddRange(own.Where(a => !IsLocalMeasure(a)));
        return actions.ToImmutable();
    }

    /// <summary>
    /// True for an action that is a measure against local spread (testing, tracing, quarantine, isolation), not a
    /// request for supplies and not a measure at the border (entry points, ports, crossings, inbound travellers).
    /// </summary>
    public static bool IsLocalMeasure(string action) =>
        !string.IsNullOrWhiteSpace(action) && Measure.IsMatch(action) && !Request.IsMatch(action) && !Border.IsMatch(action);

    /// <summary>
    /// Whether local cases on days <paramref name="a"/> and <paramref name="b"/> (in either order) are one episode: no
    /// run of <see cref="QuietDays"/> days without local cases lies between them in the ledger. A notice issued for one
    /// episode's first day stands for the episode when late reports move its first day earlier (review 16 H1: 15, 25
    /// and 30 April gave three notices), and a new episode needs a real quiet gap, not only another first day.
    /// </summary>
    public static bool SameEpisode(SiteLedger ledger, int a, int b)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var (from, to) = a <= b ? (a, b) : (b, a);
        if (to - from <= QuietDays)
        {
            return true;
        }

        var days = new SortedSet<int> { from, to };
        foreach (var record in ledger.Cases.ValuesOrEmpty())
        {
            if (record.Day > from && record.Day < to && record.Count > 0
                && record.Classification is CaseClassification.LocalConfirmed or CaseClassification.LocalAsymptomatic)
            {
                days.Add(record.Day);
            }
        }

        var previous = from;
        foreach (var day in days)
        {
            if (day - previous > QuietDays)
            {
                return false;
            }

            previous = day;
        }

        return true;
    }
}
