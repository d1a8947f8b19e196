using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Abstractions;

/// <summary>
/// The one wording of notices, shared by the API's JSON, SSE, webhook bodies and the CLI: what happened, to whom,
/// at which level, with the score cut once to one decimal (<see cref="ScoreText"/>) the way every other view shows it.
/// </summary>
public static class NoticeWording
{
    /// <summary>A response level as people read it: <c>level 2 (heightened)</c> (<see cref="ResponseLevelWording"/>).</summary>
    public static string Level(int level, string? name) => ResponseLevelWording.Of(level, name);

    /// <summary>A score as every view shows it: one decimal, cut rather than rounded (<see cref="ScoreText"/>), or "no score".</summary>
    public static string Score(double? score) =>
        score is { } s ? ScoreText.OneDecimal(s) : "no score";

    /// <summary>
    /// For a notice without a score, why it has none, as people read it: "insufficient data: no case or capacity report
    /// from the city for 18 days and none of its ports scored" (from the notice's stored data-quality flags, so a notice
    /// stored before this wording reads it too); null for a notice with a score. A city has no score only when its own
    /// reports are stale and no port of it is scored (CityModel), so both are said: a city scored from its ports all
    /// year (the year-2020 replay) read "no report ever received" alone, which did not say why the score had just gone.
    /// </summary>
    public static string? NoScoreReason(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Score is not null)
        {
            return null;
        }

        // A port's flags are the port's, never a city's staleness. A port that rose above its city rose on a score; one
        // that stepped down, or is no longer above its city, may have lost its score: said without the city's reasons.
        ImmutableArray<string> flags = notice.Kind is not (NoticeKinds.PortAboveCity or NoticeKinds.PortNoLongerAboveCity) && notice.DataQuality is { Flags.IsDefault: false } quality ? quality.Flags : [];
        var days = notice.DataQuality?.DaysSinceLastReport;
        if (notice.Kind is NoticeKinds.PortAboveCity or NoticeKinds.PortNoLongerAboveCity)
        {
            return notice.DataQuality is { Flags.IsDefault: false } port && port.Flags.Contains(NoticeDataQuality.NoPortScore)
                ? "insufficient data: neither the port nor the countries it faces have reported recently"
                : "insufficient data";
        }

        return flags.Contains(DataQualityFlags.Stale)
            ? days is { } d
                ? $"insufficient data: no case or capacity report from the city for {d} days and none of its ports scored"
                : "insufficient data: no case or capacity report ever received from the city and none of its ports scored"
            : flags.Contains(DataQualityFlags.MissingPopulation) ? "insufficient data: the city's population is unknown"
            : "insufficient data";
    }

    /// <summary>
    /// The score of a notice in its summary, said as whose it is: "city score 47.0", or without one "no city score
    /// (insufficient data: …)": "city score no score" said nothing of why (newcomer 17 F1).
    /// </summary>
    private static string ScoreOf(NoticeView notice, string whose) =>
        notice.Score is { } s
            ? $"{whose} score {ScoreText.OneDecimal(s)}"
            : $"no {whose} score ({NoScoreReason(notice)})";

    /// <summary>
    /// One line for a notice, by kind, naming the city and port as people read them ("Suifenhe", "Suifenhe road
    /// port"), then the cause and what to do: webhook receivers relay it to people (chat, SMS), who act on it without
    /// opening the notice. The ids stay in the notice's fields; a notice without names (issued before they were added)
    /// falls back to them.
    /// </summary>
    public static string Summary(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var day = notice.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var city = notice.CityName ?? notice.City;
        var port = notice.PortName ?? $"Port {notice.Port}";
        var previous = Level(notice.PreviousLevel, notice.PreviousLevelName);
        var next = Level(notice.NewLevel, notice.NewLevelName);
        var what = notice.Kind switch
        {
            NoticeKinds.Escalation => $"{city} escalates from {previous} to {next} on {day}: {ScoreOf(notice, "city")}.",
            NoticeKinds.DeEscalation => $"{city} steps down from {previous} to {next} on {day}: {ScoreOf(notice, "city")}.",
            // No possessive on the city's name: "Heihe (Aihui District)'s level" read badly.
            // A port told above the city at a higher level that stepped down says so: "stands at level 3" alone read as
            // a rise, and the team kept the higher level's port measures (the eighteenth session's port 4 -> 3).
            NoticeKinds.PortAboveCity when notice.PortSteppedDownFrom is { } from =>
                $"{port} steps down from {Level(from, notice.PortSteppedDownFromName)} to {next}, still above {city} at {previous}, on {day}: {ScoreOf(notice, "port")}.",
            NoticeKinds.PortAboveCity => $"{port} stands at {next}, above {city} at {previous}, on {day}: {ScoreOf(notice, "port")}.",
            NoticeKinds.PortNoLongerAboveCity => $"{port} no longer stands above {city}, on {day}: port at {next}, city at {previous}; {ScoreOf(notice, "port")}.",
            // Not a change of level: the level in force is said as it stands, beside the cases that began the episode;
            // when the day's own escalation or step down moved it, that is said too, never "stands" alone (review 16 L4).
            NoticeKinds.LocalTransmission when notice.LocalCases is { } local =>
                $"Local transmission in {city}: {LocalCases(local, day)}, {FirstOf(local)}; {city} {LevelOfDay(notice, previous, next)}, {ScoreOf(notice, "city")}.",
            // Not a change of level either: the shortfall in figures (the assistance ranking's words), what the province
            // is told, and the level as it stands, whatever it is (newcomer 20b F3: Ruili at level 1 heard nothing).
            NoticeKinds.TestingShortfall =>
                $"{city} {(notice.TestingShortfall?.Worse == true ? "is still shorter of testing capacity" : "is short of testing capacity")} on {day}: {Shortfalls(notice)}. The province is recommended to dispatch testing kits and laboratory technicians; {city} stands at {next}, {ScoreOf(notice, "city")}.",
            NoticeKinds.TestingShortfallEnded =>
                $"{city} is no longer short of testing capacity on {day}: {Gaps(notice)} against their targets, well within the line at which the province is told to dispatch testing kits and technicians; {city} stands at {next}, {ScoreOf(notice, "city")}.",
            _ => $"{notice.Kind} for {city} on {day}: {previous} to {next}, {(notice.Score is null ? $"no score ({NoScoreReason(notice)})" : $"score {Score(notice.Score)}")}.",
        };
        var line = new StringBuilder(what);
        // A score that does not exist has no driver: a notice stored with drivers on a day without a score (before
        // newcomer 17 F1) named "Score now led by: City capacity gap" beside "no score"; it names none.
        if (!notice.Drivers.IsDefaultOrEmpty && notice.Score is not null && notice.Kind is not (NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded))
        {
            // The leading driver only: the rest are in drivers[]; one line must stay readable in a text message.
            var driver = notice.Drivers[0];
            var cause = FirstClause(driver.Explanation, MaxCauseLength);
            // Plain ASCII punctuation: a text message relay keeps it as it is.
            // A step down is not caused by its leading component, which is only what still weighs most (review 8 F7).
            // Nor is a local-transmission notice caused by the score: its cause is the local cases its first sentence names.
            line.Append(notice.Kind switch
            {
                NoticeKinds.DeEscalation => " Score now led by: ",
                // Nor did the score raise a port that stepped down, or one the plan holds at a level its score is below.
                NoticeKinds.PortAboveCity when notice.PortSteppedDownFrom is not null || notice.PortHold is not null => " Score now led by: ",
                NoticeKinds.LocalTransmission => " Score led by: ",
                _ => " Main driver: ",
            }).Append(ComponentLabels.Of(driver.Name, notice.Kind is NoticeKinds.PortAboveCity or NoticeKinds.PortNoLongerAboveCity ? "port" : "city"));
            if (cause.Length > 0)
            {
                line.Append(" - ").Append(cause);
            }

            EndSentence(line);
        }

        // A rise that rests on a port's estimated traffic says so in the line a relay passes on (newcomer 16 F2: on
        // 27 October 2020, 13 crossings facing Russia rose above their cities the same day on nominal traffic, 100 a
        // day by kind, where little passenger traffic crossed): early warning, as the design wants, but plainly an
        // estimate, so a team checks the crossing's real traffic before it acts on the level.
        // A port's step down on estimated traffic alone is told the same (review 24 L1).
        if (((notice.Kind is NoticeKinds.PortAboveCity or NoticeKinds.Escalation && !IsStepDown(notice)) || (IsPortStepDown(notice) && !IsNoAllClear(notice)))
            && notice.DataQuality is { Flags.IsDefaultOrEmpty: false } estimate && estimate.Flags.Contains(DataQualityFlags.Estimated))
        {
            line.Append(" Rests on estimates: the port's traffic is not reported (a nominal or carried-forward figure); check the crossing's real traffic.");
        }

        // What the team does with a port that stepped down: the lower level's port measures, which the actions list,
        // in place of the level it was told before (a relay's reader may not have that notice at hand).
        if (notice.Kind == NoticeKinds.PortAboveCity && notice.PortSteppedDownFrom is { } told)
        {
            line.Append(CultureInfo.InvariantCulture, $" Stand the port's measures down from level {told}'s to level {notice.NewLevel}'s of the city's plan.");
        }

        // Why a port stands at a level its score no longer reaches, and that the level's measures are the crossing's:
        // a port at 4 with a score in the "high" band asked for a national expert team with neither said (newcomer 20b F2).
        if (PortLevelNote(notice) is { } portLevel)
        {
            line.Append(' ').Append(portLevel);
        }

        // Beds short of the cases to isolate are said in the line a relay passes on, with who provides them: Ruili's
        // team read of testing only, 463 cases against 30 beds (newcomer 24a, H1). A testing shortfall's line stays
        // about testing.
        if (notice.IsolationCapacity is { } isolation && notice.Kind is not (NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded))
        {
            line.Append(CultureInfo.InvariantCulture, $" Short of isolation capacity: {isolation.Brief}; the {isolation.Scope} is recommended to dispatch isolation beds and medical materials.");
        }

        if (!notice.Actions.IsDefaultOrEmpty)
        {
            line.Append(" First action: ").Append(ShortenAction(notice.Actions[0].Trim().TrimEnd('.'), MaxActionLength));
            if (notice.Actions.Length > 1)
            {
                var more = notice.Actions.Length - 1;
                line.Append(CultureInfo.InvariantCulture, $" (+{more} more action{(more == 1 ? "" : "s")})");
            }

            EndSentence(line);
        }

        // A step down on thin data is said in the line a relay passes on too: "level 3 to level 2" read alone is an all
        // clear, and a city whose reports stopped steps down on no score at all; so does a port (newcomer 24b H1).
        if (IsNoAllClear(notice))
        {
            AppendFirstNote(line, notice.DataQuality!, " Not an all-clear: the lower level rests on incomplete data (", ").");
        }

        // A shortfall is told whatever the level, and most short cities are the quiet ones: a low level or score that
        // rests on stale or estimated data is said to be no reassurance (newcomer 20b F3: Ruili, 22 days without a report).
        if (notice.Kind is NoticeKinds.TestingShortfall or NoticeKinds.TestingShortfallEnded
            && notice.DataQuality is { Flags.IsDefaultOrEmpty: false } thin)
        {
            AppendFirstNote(line, thin, " The level and score rest on incomplete data (", "): a low level is no reassurance.");
        }

        // One line whatever an explanation or a plan's action holds.
        return line.Replace('\n', ' ').Replace('\r', ' ').ToString();
    }

    // The first data-quality note's first clause, and how many more there are, between the words given.
    private static void AppendFirstNote(StringBuilder line, NoticeDataQuality quality, string before, string after)
    {
        var notes = DataQualityNotes(quality);
        var first = FirstClause(notes[0], MaxCauseLength).TrimEnd('.');
        line.Append(before).Append(char.ToLowerInvariant(first[0])).Append(first.AsSpan(1));
        if (notes.Length > 1)
        {
            line.Append(CultureInfo.InvariantCulture, $"; +{notes.Length - 1} more");
        }

        line.Append(after);
    }

    // The shortfalls of a testing-shortfall notice as the assistance ranking words them, or its gaps when it has none kept.
    private static string Shortfalls(NoticeView notice) =>
        notice.TestingCapacity is { Shortfalls.IsDefaultOrEmpty: false } capacity ? string.Join("; ", capacity.Shortfalls) : Gaps(notice);

    /// <summary>The gaps of a testing-shortfall notice: "laboratories gap 1, technicians gap 0.7" (one not reported said so).</summary>
    public static string Gaps(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        static string One(string what, double? gap) => gap is { } g ? $"{what} gap {Scales.Format(g)}" : $"{what} not reported";
        return notice.TestingShortfall is { } told ? $"{One("laboratories", told.LaboratoryGap)}, {One("technicians", told.TechnicianGap)}" : "gaps not kept";
    }

    /// <summary>
    /// For a <c>port-above-city</c> notice, what its level means at the crossing: when the plan holds the port at a level
    /// its score is below (<see cref="NoticeView.PortHold"/>), that it is held and until when at least ("Held at level 4
    /// (very high) by the plan: the port's score has been below level 4's exit line (67) since 2020-05-01, and the plan's
    /// 7-day dwell keeps it there until at least 2020-05-07."), then that the level's measures are the crossing's ("Level
    /// 4's measures of the plan apply at Suifenhe road port only; Suifenhe stands at level 2 (heightened)."). Null for
    /// other kinds.
    /// </summary>
    public static string? PortLevelNote(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Kind != NoticeKinds.PortAboveCity)
        {
            return null;
        }

        var level = notice.NewLevel.ToString(CultureInfo.InvariantCulture);
        var port = notice.PortName ?? $"port {notice.Port}";
        var measures = $"Level {level}'s measures of the plan apply at {port} only; {notice.CityName ?? notice.City} stands at {Level(notice.PreviousLevel, notice.PreviousLevelName)}.";
        if (notice.PortHold is not { } hold)
        {
            return measures;
        }

        var exit = Threshold(hold.ExitBelow);
        var held = hold.BelowExitSince is { } since
            ? $"the port's score has been below level {level}'s exit line ({exit}){(notice.Score is null ? ", or absent," : "")} since {Day(since)}, and the plan's {hold.DwellDays}-day dwell keeps it there until at least {Day(hold.StepDownFrom ?? since)}."
            : $"the port's score is below level {level}'s entry ({Threshold(hold.EnterAt)}) but not below its exit line ({exit}); it steps down only after {hold.DwellDays} day{(hold.DwellDays == 1 ? "" : "s")} below {exit}.";
        return $"Held at {Level(notice.NewLevel, notice.NewLevelName)} by the plan: {held} {measures}";
    }

    // A plan's entry or exit score as the plan gives it: 67, 42.5.
    private static string Threshold(double score) => score.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// What is known of the days before a local-transmission episode: "the first local cases in 14 days", or for a city
    /// that reported nothing before the quiet period (a fresh city), "the first local cases reported".
    /// </summary>
    public static string FirstOf(NoticeLocalCases local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return local.FirstReported ? "the first local cases reported" : $"the first local cases in {local.QuietDays} days";
    }

    // The level a local-transmission notice's day ends at, and the change the same day made, if any.
    private static string LevelOfDay(NoticeView notice, string previous, string next) =>
        notice.NewLevel > notice.PreviousLevel ? $"escalated the same day from {previous} to {next}"
        : notice.NewLevel < notice.PreviousLevel ? $"stepped down the same day from {previous} to {next}"
        : $"stands at {next}";

    /// <summary>
    /// The local cases of a local-transmission notice as people read them: "300 local cases (298 confirmed, 2
    /// asymptomatic) on 2020-04-30", and for cases reported after their day, "dated 2020-04-28 (reported by 2020-04-30)".
    /// </summary>
    public static string LocalCases(NoticeLocalCases local, string noticeDay)
    {
        ArgumentNullException.ThrowIfNull(local);
        var dated = local.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var when = dated == noticeDay ? $"on {dated}" : $"dated {dated} (reported by {noticeDay})";
        var count = local.Count.ToString("N0", CultureInfo.InvariantCulture);
        return $"{count} local case{(local.Count == 1 ? "" : "s")} ({local.Confirmed.ToString("N0", CultureInfo.InvariantCulture)} confirmed, {local.Asymptomatic.ToString("N0", CultureInfo.InvariantCulture)} asymptomatic) {when}";
    }

    /// <summary>
    /// True for a step down whose data-quality flags make its lower level no all-clear: a city's with any flag; a port's
    /// with any flag but <c>estimated</c> (in practice <see cref="NoticeDataQuality.NoPortScore"/>: its data ran out).
    /// A port scored on nominal traffic falls on the same estimate it rose on, and its step down is told "Rests on
    /// estimates" as its rise was (review 24 L1: jeminay-2, khorgos-7 and khorgos-9 of the year-2020 replay read "Not an
    /// all-clear" while Kazakhstan's case feed was current; on every port of a host without traffic feeds the warning
    /// would be learned to be ignored).
    /// </summary>
    public static bool IsNoAllClear(NoticeView notice) =>
        IsStepDown(notice) && notice.DataQuality is { Flags.IsDefaultOrEmpty: false } quality
        && (!IsPortStepDown(notice) || quality.Flags.Any(flag => flag != DataQualityFlags.Estimated));

    // A port's step down: any step down but a city's.
    private static bool IsPortStepDown(NoticeView notice) => IsStepDown(notice) && notice.Kind != NoticeKinds.DeEscalation;

    /// <summary>
    /// Whether a notice tells a step down: a city's de-escalation, a port that stepped down to a level still above its
    /// city, or a port no longer above its city (it stepped down to the city's level or below). One rule for the data
    /// quality warning of all three: a port stepping down because its data ran out read "Keep routine health checks"
    /// with no word of the gap, beside the city's step down warned the same day (newcomer 24b H1).
    /// </summary>
    public static bool IsStepDown(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return notice.Kind is NoticeKinds.DeEscalation or NoticeKinds.PortNoLongerAboveCity
            || (notice.Kind == NoticeKinds.PortAboveCity && notice.PortSteppedDownFrom is not null);
    }

    /// <summary>
    /// For a step down (<see cref="IsStepDown"/>: a city's or a port's) with data-quality flags: that the lower level is
    /// no all-clear, and why, in one sentence; null for other notices (their notes say what was thin), for a step down
    /// on complete data, and for a port's step down on estimated traffic alone (<see cref="IsNoAllClear"/>).
    /// </summary>
    public static string? DataQualityWarning(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (!IsNoAllClear(notice) || notice.DataQuality is not { } quality)
        {
            return null;
        }

        // A port's notice holds the city's level as its previous one; the port's own is the level it stepped down from
        // (one level above its new one when not stored: a port without a score steps down one level, as a city does).
        var isPort = notice.Kind != NoticeKinds.DeEscalation;
        var whose = isPort ? "port" : "city";
        var from = notice.Kind switch
        {
            NoticeKinds.DeEscalation => notice.PreviousLevel,
            _ => notice.PortSteppedDownFrom ?? notice.NewLevel + 1,
        };

        // The notes are whole sentences; the score may be low only because reports stopped or were never made. Without
        // a score the city steps down one level per dwell (EscalationPolicy.Step), which the team is told, so it expects
        // the next step; a notice stored under the earlier rule (several levels at once) is not told a rule it broke.
        // A step to level 1 is not told it did not go "straight to level 1" (review 17 L2). The lower level's dwell
        // counts the step's day as its first (a dwell of 3 from 01-18 steps down on 01-20), which the team is told, so
        // "dwell" is not read as that many days more (L3); the dwell itself is the plan's, which the notice does not hold.
        var oneLevel = notice.Score is null && from - notice.NewLevel == 1
            ? notice.NewLevel > 1
                ? $" Without a score the {whose} steps down one level per dwell, not straight to level 1: the next step can come once level {notice.NewLevel}'s dwell has run, this day counted as its first."
                : $" Without a score the {whose} steps down one level per dwell."
            : "";
        var check = isPort
            ? "Check the port's traffic feed and the case feeds of the countries it faces before standing the port's measures down."
            : "Check the city's feeds before standing measures down.";
        return $"Not an all-clear: the lower level rests on incomplete data. {string.Join(" ", DataQualityNotes(quality))}{oneLevel} {check}";
    }

    /// <summary>One sentence per data-quality flag of a notice, in the flags' order; a code this version does not know is given as it is.</summary>
    public static ImmutableArray<string> DataQualityNotes(NoticeDataQuality quality)
    {
        ArgumentNullException.ThrowIfNull(quality);
        if (quality.Flags.IsDefaultOrEmpty)
        {
            return [];
        }

        var days = quality.DaysSinceLastReport;
        var notes = ImmutableArray.CreateBuilder<string>(quality.Flags.Length);
        foreach (var flag in quality.Flags)
        {
            notes.Add(flag switch
            {
                DataQualityFlags.Stale => days is { } d
                    ? $"No case or capacity report from the city for {d} days and none of its ports scored, so it has no score."
                    : "No case or capacity report ever received from the city and none of its ports scored, so it has no score.",
                DataQualityFlags.NoRecentReport => days is { } d
                    ? $"No case or capacity report from the city itself for {d} days (intelligence reports are not counted): scored from its ports' data only."
                    : "No case or capacity report ever received from the city itself: scored from its ports' data only.",
                DataQualityFlags.Estimated => "Estimated: the score rests on a port's estimated traffic (nominal or carried forward), not on reported traffic.",
                NoticeDataQuality.NoPortScore => "No port score: neither the port nor the countries it faces have reported recently (their case feeds stopped), or the port has no traffic figure, so its exposure is unknown.",
                DataQualityFlags.FlatSeries => "Flat series: a cumulative count unchanged for many days.",
                DataQualityFlags.MissingPopulation => "Population unknown: rates per 100,000 and the capacity gap cannot be worked out.",
                NoticeDataQuality.CapacityNotReported => "City capacity not reported (laboratories, technicians, isolation beds): assumed to be a half gap.",
                _ => flag,
            });
        }

        return notes.MoveToImmutable();
    }

    /// <summary>
    /// A city's testing capacity on a day as its team reads it (notice cards and pages, the CLI, the inbox's "now"
    /// panel): the risk model's own explanation of the capacity gap (the figures <c>explain</c> shows, not a second
    /// wording of them), then whether laboratories or technicians fall short by the assistance rule, which is what makes
    /// a plan's requests for testing kits and technicians pressing. "Capacity gap 0.71: 0 laboratories (…); 8
    /// technicians (…). Short of target: …", "Capacity gap 0.04: …. Technicians near target; laboratories at or above
    /// target: …" or "Capacity gap 0: …. Laboratories and technicians at or above target: …".
    /// </summary>
    public static string TestingCapacityLine(TestingCapacity capacity)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        var line = new StringBuilder(capacity.Explanation.Trim());
        EndSentence(line);
        line.Append(' ').Append(capacity.Standing switch
        {
            TestingCapacity.Short when !capacity.Shortfalls.IsDefaultOrEmpty =>
                $"Short of target, so requests for testing kits and technicians are pressing: {string.Join("; ", capacity.Shortfalls)}{NotReported(capacity, "; ")}.",
            TestingCapacity.Short => $"Short of target, so requests for testing kits and technicians are pressing{NotReported(capacity, ": ")}.",
            TestingCapacity.MeetsTarget => "Laboratories and technicians at or above target: no testing shortfall for the province to fill.",
            // Near target is below it by less than the assistance threshold; the one at or above target, if any, says so.
            TestingCapacity.NearTarget when !capacity.AtTarget.IsDefaultOrEmpty =>
                $"{Capitalized(BelowTarget(capacity))} near target; {string.Join(" and ", capacity.AtTarget)} at or above target: no testing shortfall for the province to fill.",
            TestingCapacity.NearTarget => "Laboratories and technicians near target: no testing shortfall for the province to fill.",
            TestingCapacity.PartlyMeasured when !capacity.Unmeasured.IsDefaultOrEmpty =>
                $"{Capitalized(Measured(capacity))} {(capacity.AtTarget.IsDefaultOrEmpty ? "near target" : "at or above target")}{NotReported(capacity, "; ")}: whether testing falls short is not fully known.",
            TestingCapacity.NotMeasured => "Laboratories and technicians not reported: whether testing falls short is not known.",
            // A standing this version does not know is given as it is.
            var other => $"Testing capacity: {other}.",
        });
        return line.Replace('\n', ' ').Replace('\r', ' ').ToString();
    }

    // "; technicians not reported" after what was measured; nothing when both were.
    private static string NotReported(TestingCapacity capacity, string separator) =>
        capacity.Unmeasured.IsDefaultOrEmpty ? "" : $"{separator}{string.Join(" and ", capacity.Unmeasured)} not reported";

    // The one of laboratories and technicians that was measured beside an unmeasured one.
    private static string Measured(TestingCapacity capacity) =>
        string.Join(" and ", new[] { "laboratories", "technicians" }.Except(capacity.Unmeasured, StringComparer.Ordinal));

    // The ones of laboratories and technicians measured below target beside one at or above it.
    private static string BelowTarget(TestingCapacity capacity) =>
        string.Join(" and ", new[] { "laboratories", "technicians" }.Except(capacity.AtTarget, StringComparer.Ordinal));

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Ends a sentence with a full stop unless it already ends with one (or with "...").</summary>
    private static void EndSentence(StringBuilder line)
    {
        if (line[^1] != '.')
        {
            line.Append('.');
        }
    }

    /// <summary>The longest cause a summary quotes from a driver's explanation, in characters.</summary>
    private const int MaxCauseLength = 120;

    /// <summary>The shortest first clause that says something on its own, in characters.</summary>
    private const int MinCauseLength = 40;

    /// <summary>The longest first action a summary quotes, in characters.</summary>
    private const int MaxActionLength = 100;

    /// <summary>
    /// An explanation's first clause: up to its first ". ", "; ", ": " or ", " outside parentheses (a thousands
    /// separator has no space after it, so "78,560" stays whole), shortened at a word to <paramref name="max"/>. A
    /// clause too short to say anything ("About 1200 inbound travellers a day") runs on to the next one.
    /// </summary>
    private static string FirstClause(string explanation, int max)
    {
        var text = explanation.Trim();
        var depth = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '.' or ';' or ':' or ',' when depth == 0 && text[i + 1] == ' ' && i >= MinCauseLength:
                    return Shorten(text[..i], max);
            }
        }

        return Shorten(text.TrimEnd('.'), max);
    }

    /// <summary>
    /// A first action as the summary quotes it: whole when it fits; else without its asides in parentheses (the testing
    /// shortfall's "(for the testing shortfall, from level 3 (high) of the plan)"), which the notice's actions keep;
    /// else cut at the last clause or word, followed by "...". A summary cut in the middle
    /// of an aside ended "(for the testing shortfall, from..." with the parenthesis left open (newcomer 22a, L1).
    /// </summary>
    private static string ShortenAction(string action, int max)
    {
        if (action.Length <= max)
        {
            return action;
        }

        var withoutAsides = WithoutAsides(action);
        if (withoutAsides.Length <= max)
        {
            return withoutAsides;
        }

        // The last ", " or "; " (a clause), else the last space (a word), that leaves room for "...": no parenthesis is
        // left to cut inside.
        int clause = -1, word = -1;
        for (var i = 1; i < withoutAsides.Length && i <= max - 3; i++)
        {
            if (withoutAsides[i] == ' ')
            {
                word = i;
                clause = withoutAsides[i - 1] is ',' or ';' ? i - 1 : clause;
            }
        }

        var cut = clause > max / 2 ? clause : word > 0 ? word : max - 3;
        return string.Concat(withoutAsides.AsSpan(0, cut).TrimEnd(" ,;:"), "...");
    }

    /// <summary>The text without its asides in parentheses, nested ones included, and the spaces before them.</summary>
    private static string WithoutAsides(string text)
    {
        var kept = new StringBuilder(text.Length);
        var depth = 0;
        foreach (var character in text)
        {
            if (character == '(')
            {
                if (depth++ == 0)
                {
                    while (kept.Length > 0 && kept[^1] == ' ')
                    {
                        kept.Length--;
                    }
                }
            }
            else if (character == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                kept.Append(character);
            }
        }

        return kept.ToString().Trim();
    }

    /// <summary>The text, or its words up to <paramref name="max"/> characters followed by "...".</summary>
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', max - 1);
        return string.Concat(text.AsSpan(0, cut > max / 2 ? cut : max - 1).TrimEnd(" ,;:"), "...");
    }
}
