using System.Collections.Immutable;
using System.Globalization;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Assistance;

/// <summary>
/// Turns cities' scores and their strain into ranked assistance recommendations for provinces and the nation.
/// A city's need is score / 100 × capacity gap, where the gap is what the city cannot cope with now: the largest of its
/// per-capita capacity gap, its isolation load (cases to isolate and severe cases against isolation beds) and its ports'
/// reported testing gaps. Risk that the city meets on its own is no need; risk it cannot meet is.
/// </summary>
public static class AssistanceModel
{
    /// <summary>
    /// Orders cities for assistance in four groups: cities to send something to (a national or dispatch
    /// recommendation), by need, then score, then capacity gap; then scored cities whose capacity was never reported
    /// ("collect data"), by score, so a blind spot never ranks above a measured need; then cities where no shortfall
    /// crosses a threshold, by need, score and gap; then cities with insufficient data. Within a group ties go to the busier city (inbound travellers a day),
    /// then the city id.
    /// </summary>
    public static IComparer<CityAssistance> Order { get; } = Comparer<CityAssistance>.Create(CompareForAssistance);

    /// <summary>Assesses every city and ranks them.</summary>
    public static ImmutableArray<CityAssistance> Recommend(IEnumerable<CityNeedInput> cities, AssistanceOptions options, ScoringOptions scoring) =>
        Rank(cities.Select(c => Assess(c, options, scoring)));

    /// <summary>Sorts assessed cities by <see cref="Order"/> and numbers them from 1.</summary>
    public static ImmutableArray<CityAssistance> Rank(IEnumerable<CityAssistance> cities) =>
        [.. cities.Order(Order).Select((city, index) => city with { Rank = index + 1 })];

    /// <summary>The sentence that explains a city's need.</summary>
    public static string ExplainNeed(CityAssistance city)
    {
        if (city.Explanation is { Length: > 0 } given)
        {
            return given;
        }

        return city.Score is { } score && city.Need is { } need
            ? $"Need {Format(need)} = score {ScoreText.InSentence(score)} / 100 × capacity gap {Format(city.CapacityGap)}."
            : "Need unknown: the city has too little recent data to be scored.";
    }

    /// <summary>
    /// What the city cannot cope with, 0..1, and why: the largest of its reported per-capita capacity gap, its
    /// isolation load, and its ports' reported testing gaps. The binding constraint decides whether a city copes (600
    /// beds per 100,000 do not help when 2,300 people must be isolated), so the parts are not averaged. Null when
    /// nothing of the city's capacity or its ports' testing was ever reported.
    /// </summary>
    public static (double Gap, string Why)? Strain(CityNeedInput city, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(city);
        ArgumentNullException.ThrowIfNull(scoring);
        var parts = new List<(double Gap, string Text)>();
        if (CapacityReported(city))
        {
            parts.Add((Scales.Unit(city.CapacityGap ?? scoring.UnknownCapacityGap), $"capacity per head {Format(Scales.Unit(city.CapacityGap ?? scoring.UnknownCapacityGap))}"));
        }

        if (city.IsolationBeds is { } beds)
        {
            // A 14-day count stands for the people in isolation now: confirmed and asymptomatic cases are isolated for about 14 days.
            var toIsolate = CasesToIsolate(city);
            var load = toIsolate <= 0 ? 0 : beds <= 0 ? 1 : Scales.Unit(toIsolate / beds);
            parts.Add((load, $"isolation load {Format(load)} ({Count(toIsolate)} cases in 14 days against {Count(beds)} isolation beds)"));
        }

        foreach (var port in city.Ports.IsDefault ? [] : city.Ports)
        {
            if (port is { TestsPerDay: not null, CapacityGap: { } portGap })
            {
                parts.Add((Scales.Unit(portGap), $"testing at port {port.PortId} {Format(Scales.Unit(portGap))}"));
            }
        }

        if (parts.Count == 0)
        {
            return null;
        }

        var binding = parts.MaxBy(p => p.Gap);
        return (Scales.Round(binding.Gap), parts.Count == 1 ? binding.Text : $"the largest of {string.Join(", ", parts.Select(p => p.Text))}");
    }

    /// <summary>Assesses one city's need and chooses its recommendations (rank 0 until ranked).</summary>
    public static CityAssistance Assess(CityNeedInput city, AssistanceOptions options, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(city);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scoring);
        var strain = Strain(city, scoring);
        var gap = strain?.Gap ?? Scales.Round(Scales.Unit(city.CapacityGap ?? scoring.UnknownCapacityGap));
        var inbound = city.DailyInbound;
        if (city.Score is not { } score || city.Level == RiskLevel.InsufficientData)
        {
            var why = city.DaysSinceLastReport is { } days
                ? $"No case or capacity report for {days} days (insufficient data after {scoring.StaleAfterDays}; intelligence reports are not counted), and no port of the city has a score: its risk cannot be judged."
                : "No report has ever been received for this city or its ports: its risk cannot be judged.";
            var collect = new RecommendedAction(AssistanceScopes.Province, AssistanceActions.CollectData, why);

            // Laboratories and technicians are a stock, not a rate: a reported shortfall stands until a new report
            // changes it, however long the case reports have been quiet. The seeds' border cities that lack testing
            // stay in front of the province, ranked after every city whose need could be measured (GroupOf).
            var stale = TestingShortfalls(city, options, scoring);
            ImmutableArray<RecommendedAction> unjudged = stale.Count == 0
                ? [collect]
                : [new RecommendedAction(AssistanceScopes.Province, AssistanceActions.DispatchTestingKits, Sentence("Testing gap as last reported: " + string.Join("; ", stale)) + " Its risk cannot be judged, so the need is not measured; the shortfall stands until a report changes it."), collect];
            return new CityAssistance(
                city.CityId, city.CityName, city.ProvinceId, null, RiskLevel.InsufficientData, gap, null, inbound, 0, unjudged);
        }

        var need = Scales.Round(score / 100 * gap);
        var isolation = CityIsolationShortfall(city.Population, city.IsolationBeds, city.LocalCases14d, city.Asymptomatic14d, city.ImportedHosted14d, city.Severe14d, options, scoring);
        var bedsShort = isolation is not null;
        var bedsReason = isolation?.Reason ?? "";

        var national = new List<RecommendedAction>();
        var provincial = new List<RecommendedAction>();

        // The plan's level 4 asks for a national expert team until it steps down, which lags the score band by its
        // hysteresis and dwell: the nation keeps the city among those to send a team to while it stands there, so the
        // assistance never says "no assistance needed" beside a plan in force that requests a team.
        var veryHigh = city.Level == RiskLevel.VeryHigh;
        var planVeryHigh = !veryHigh && city.ResponseLevel >= (int)RiskLevel.VeryHigh;
        var busyAndUnprepared = gap > options.NationalGapThreshold && inbound >= options.HighInboundPerDay;
        if (veryHigh || planVeryHigh || busyAndUnprepared)
        {
            // The equipment line quotes the plan's own equipment action where the level in force explains it: the
            // expert team's sentence repeated under it read as a copy, not a reason.
            string Because(string planAsks)
            {
                var parts = new List<string>();
                if (veryHigh)
                {
                    parts.Add($"level very high (score {ScoreText.InSentence(score)})");
                }

                if (planVeryHigh)
                {
                    parts.Add(planAsks);
                }

                if (busyAndUnprepared)
                {
                    parts.Add($"capacity gap {Format(gap)} (above {Format(options.NationalGapThreshold)}) with {Count(inbound)} inbound travellers a day reported through its ports (many from {Count(options.HighInboundPerDay)})");
                }

                return Sentence(string.Join("; ", parts));
            }

            national.Add(new RecommendedAction(AssistanceScopes.National, AssistanceActions.SendExpertTeam, Because(ResponseLevelInForce(city, score))));
            national.Add(new RecommendedAction(
                AssistanceScopes.National,
                AssistanceActions.DeliverEquipment,
                Because(PlanAsks(city, score, "the city's plan asks for medical and protective equipment", "equipment"))));

            var cases = city.LocalCases14d + city.Asymptomatic14d;
            if (cases >= options.MakeshiftCaseThreshold || bedsShort)
            {
                var because = $"{Count(city.LocalCases14d)} local cases and {Count(city.Asymptomatic14d)} asymptomatic infections in 14 days to isolate with their close contacts";
                if (bedsShort)
                {
                    because += $"; {bedsReason}";
                }

                national.Add(new RecommendedAction(AssistanceScopes.National, AssistanceActions.SupportMakeshiftHospitals, Sentence(because)));
            }
        }

        var testing = TestingShortfalls(city, options, scoring);

        // The plan's level 3 asks the province for testing kits and technicians until it steps down, which lags the
        // score band as level 4 does: the province is told to send them while it stands there, so the assistance never
        // says "no assistance needed" beside a plan in force that requests them. The need is unchanged.
        var planHigh = city.ResponseLevel == (int)RiskLevel.High;
        if (testing.Count > 0 || planHigh)
        {
            var because = new List<string>();
            if (testing.Count > 0)
            {
                because.Add(Sentence("Testing gap: " + string.Join("; ", testing)));
            }

            if (planHigh)
            {
                because.Add(Sentence(PlanAsks(city, score, "the city's plan asks the province for testing kits and laboratory technicians", "testing kit", "technician")));
            }

            provincial.Add(new RecommendedAction(AssistanceScopes.Province, AssistanceActions.DispatchTestingKits, string.Join(" ", because)));
        }

        if (bedsShort)
        {
            provincial.Add(new RecommendedAction(AssistanceScopes.Province, AssistanceActions.DispatchBeds, Sentence(bedsReason)));
        }

        if (city.Labs is null && city.Technicians is null && city.IsolationBeds is null)
        {
            provincial.Add(new RecommendedAction(
                AssistanceScopes.Province,
                AssistanceActions.ReportCapacity,
                $"Laboratories, technicians and isolation beds have not been reported; the capacity gap counts as {Format(gap)} until they are."));
        }

        ImmutableArray<RecommendedAction> actions = [.. national, .. provincial];
        if (actions.IsEmpty)
        {
            actions =
            [
                new RecommendedAction(
                    AssistanceScopes.Province,
                    AssistanceActions.KeepMonitoring,
                    $"Score {ScoreText.InSentence(score)} ({RiskNames.Of(city.Level)}) and capacity gap {Format(gap)}: no shortfall crosses a threshold (testing {Format(options.TestingGapThreshold)}, beds with severe cases {Format(options.BedsGapThreshold)}) and {ReportedTrafficText(inbound)}."),
            ];
        }

        var explanation = strain is { Why: var binding }
            ? $"Need {Format(need)} = score {ScoreText.InSentence(score)} / 100 × capacity gap {Format(gap)} ({binding})."
            : $"Need {Format(need)} = score {ScoreText.InSentence(score)} / 100 × capacity gap {Format(gap)} (estimated: neither the city's capacity nor its ports' testing has been reported).";
        return new CityAssistance(city.CityId, city.CityName, city.ProvinceId, score, city.Level, gap, need, inbound, 0, actions) { Explanation = explanation };
    }

    /// <summary>
    /// The city's laboratories and technicians, each described where its gap reaches
    /// <see cref="AssistanceOptions.TestingGapThreshold"/> (the rule by which the province is told to dispatch testing
    /// kits and technicians): empty when neither falls short, null when neither can be measured (not reported, or no
    /// population). A city's notices and its team's inbox say its testing capacity by this rule, as the analysts'
    /// assistance ranking does.
    /// </summary>
    public static IReadOnlyList<string>? CityTestingShortfalls(long? population, double? labs, double? technicians, AssistanceOptions options, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scoring);
        var measured = new[]
        {
            Shortfall.Of(labs, population, 1_000_000, scoring.CityLabsPerMillionTarget, "laboratory", "laboratories"),
            Shortfall.Of(technicians, population, 100_000, scoring.CityTechniciansPer100kTarget, "technician", "technicians"),
        };
        if (measured.All(s => s is null))
        {
            return null;
        }

        return [.. measured.Where(s => s is { } m && m.Gap >= options.TestingGapThreshold).Select(s => s!.Value.Describe())];
    }

    /// <summary>
    /// How far the city's laboratories and technicians each fall short of their per-capita targets (0 at or above
    /// target, 1 none), by the measure <see cref="CityTestingShortfalls"/> compares with
    /// <see cref="AssistanceOptions.TestingGapThreshold"/>; null for one not reported (or without a population).
    /// </summary>
    public static (double? Laboratories, double? Technicians) CityTestingGaps(long? population, double? labs, double? technicians, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(scoring);
        return (
            Shortfall.Of(labs, population, 1_000_000, scoring.CityLabsPerMillionTarget, "laboratory", "laboratories")?.Gap,
            Shortfall.Of(technicians, population, 100_000, scoring.CityTechniciansPer100kTarget, "technician", "technicians")?.Gap);
    }

    /// <summary>
    /// Which of the city's laboratories and technicians cannot be measured against their targets (not reported, or no
    /// population), by the rule <see cref="CityTestingShortfalls"/> measures by: <c>laboratories</c>, <c>technicians</c>,
    /// both or neither. With one of them reported and not short, the city is not "near target": the other is unknown.
    /// </summary>
    public static IReadOnlyList<string> CityTestingUnmeasured(long? population, double? labs, double? technicians, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(scoring);
        var unmeasured = new List<string>(2);
        if (Shortfall.Of(labs, population, 1_000_000, scoring.CityLabsPerMillionTarget, "laboratory", "laboratories") is null)
        {
            unmeasured.Add("laboratories");
        }

        if (Shortfall.Of(technicians, population, 100_000, scoring.CityTechniciansPer100kTarget, "technician", "technicians") is null)
        {
            unmeasured.Add("technicians");
        }

        return unmeasured;
    }

    /// <summary>
    /// Which of the city's laboratories and technicians are measured at or above their per-capita targets (a gap of 0):
    /// <c>laboratories</c>, <c>technicians</c>, both or neither. One measured below target but short of
    /// <see cref="AssistanceOptions.TestingGapThreshold"/> is near target (within the margin by which the province is not
    /// told to dispatch), and a city is not "near target" when it has all the laboratories and technicians it should.
    /// </summary>
    public static IReadOnlyList<string> CityTestingAtTarget(long? population, double? labs, double? technicians, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(scoring);
        var atTarget = new List<string>(2);
        if (Shortfall.Of(labs, population, 1_000_000, scoring.CityLabsPerMillionTarget, "laboratory", "laboratories") is { AtTarget: true })
        {
            atTarget.Add("laboratories");
        }

        if (Shortfall.Of(technicians, population, 100_000, scoring.CityTechniciansPer100kTarget, "technician", "technicians") is { AtTarget: true })
        {
            atTarget.Add("technicians");
        }

        return atTarget;
    }

    /// <summary>
    /// The city's isolation shortfall by the rule that tells the province to dispatch isolation beds and medical
    /// materials, or null when it is not short: cases to isolate in 14 days (local, asymptomatic and imported hosted,
    /// or the severe cases if more) reach <see cref="AssistanceOptions.IsolationLoadThreshold"/> per bed, or severe
    /// cases meet beds short of their per-capita target by <see cref="AssistanceOptions.BedsGapThreshold"/> (or fill
    /// them). The beds missing are counted against the cases to isolate when those overload the beds: 463 cases against
    /// 30 beds are 433 short, where the per-capita target (54 beds for 267,638 people) said 24, about 5 % of the need
    /// (newcomer 24a, H1). A city's notices and its team's inbox tell it by this rule, as its capacity answer does.
    /// </summary>
    public static IsolationShortfall? CityIsolationShortfall(
        long? population, double? isolationBeds, double local14d, double asymptomatic14d, double importedHosted14d, double severe14d, AssistanceOptions options, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scoring);
        var beds = Shortfall.Of(isolationBeds, population, 100_000, scoring.CityBedsPer100kTarget, "isolation bed", "isolation beds");
        var toIsolate = CasesToIsolate(local14d, asymptomatic14d, importedHosted14d, severe14d);
        if (isolationBeds is { } bedCount && toIsolate > 0 && (bedCount <= 0 || toIsolate / bedCount >= options.IsolationLoadThreshold))
        {
            var missing = (int)Math.Max(0, Math.Ceiling(toIsolate - bedCount - 1e-9));
            var perHead = beds is { } b ? $" ({Count(b.Have)} {(b.Have == 1 ? b.Singular : b.Plural)} for {Count(b.Population)} people: {Format(b.Rate)} per 100,000, target {Format(b.Target)})" : "";
            var against = missing > 0 ? $"{missing:N0} beds short of the cases to isolate" : $"{Count(bedCount - toIsolate)} beds left, at least {Format(options.IsolationLoadThreshold * 100)} % filled";
            return new IsolationShortfall(toIsolate, bedCount, missing,
                $"{Count(toIsolate)} cases to isolate in 14 days (local, asymptomatic and imported) against {Count(bedCount)} isolation beds, {against}{perHead}",
                $"{Count(toIsolate)} cases to isolate in 14 days against {Count(bedCount)} isolation beds, {(missing > 0 ? $"{missing:N0} beds short" : $"{Count(bedCount - toIsolate)} beds left")}");
        }

        if (severe14d > 0 && (beds is null || beds.Value.Gap >= options.BedsGapThreshold || severe14d >= beds.Value.Have))
        {
            var brief = beds is { } b
                ? $"{Count(severe14d)} severe cases in 14 days against {Count(b.Have)} isolation beds, {b.Missing:N0} beds short of the target per head"
                : $"{Count(severe14d)} severe cases in 14 days and no isolation beds reported";
            return new IsolationShortfall(toIsolate, isolationBeds, beds?.Missing ?? 0, SevereAgainstBeds(severe14d, beds), brief);
        }

        return null;
    }

    // The city's laboratories and technicians, and its ports' reported testing, each where it falls short of its threshold.
    private static List<string> TestingShortfalls(CityNeedInput city, AssistanceOptions options, ScoringOptions scoring)
    {
        var testing = new List<string>(CityTestingShortfalls(city.Population, city.Labs, city.Technicians, options, scoring) ?? []);

        foreach (var port in city.Ports.IsDefault ? [] : city.Ports)
        {
            // A port's gap counts only once its testing was reported; an unreported one is a data gap, not a measured shortfall.
            if (port is { TestsPerDay: { } tests, CapacityGap: { } portGap, DailyInbound: > 0 and var travellers } && portGap >= options.PortTestingGapThreshold)
            {
                testing.Add($"port {port.PortId} tests {Count(tests)} a day for {Count(travellers)} inbound travellers a day (testing gap {Format(portGap)})");
            }
        }

        return testing;
    }

    // Assistance counts the traffic its ports reported (7-day mean), not the carried-forward or nominal figure a port's
    // score may rest on: "0 inbound travellers a day" beside a port carrying 60 a day forward read as a contradiction.
    private static string ReportedTrafficText(double inbound) => inbound > 0
        ? $"{Count(inbound)} inbound travellers a day reported through its ports in the last 7 days"
        : "no inbound traffic reported through its ports in the last 7 days (a port's score may rest on traffic carried forward or nominal; assistance counts reported traffic only)";

    /// <summary>
    /// The group a city is ranked in: 0 to assist, 1 to collect capacity data, 2 nothing needed, 3 insufficient data. A
    /// city with insufficient data but a reported testing shortfall is assisted (0): its need is not measured, so it ranks
    /// after every city whose need is.
    /// </summary>
    public static int GroupOf(CityAssistance city)
    {
        ArgumentNullException.ThrowIfNull(city);
        if (city.InsufficientData)
        {
            return city.Actions.Any(a => a.Action == AssistanceActions.DispatchTestingKits) ? 0 : 3;
        }

        if (city.Actions.Any(a => a.Scope == AssistanceScopes.National || a.Action is AssistanceActions.DispatchTestingKits or AssistanceActions.DispatchBeds))
        {
            return 0;
        }

        return city.Actions.Any(a => a.Action == AssistanceActions.ReportCapacity) ? 1 : 2;
    }

    /// <summary>The id of the group a city is ranked in (<see cref="AssistanceGroups"/>).</summary>
    public static string GroupIdOf(CityAssistance city) => AssistanceGroups.InOrder[GroupOf(city)];

    private static string ResponseLevelInForce(CityNeedInput city, double score) =>
        InForce(city, score, "the city's plan asks for a national expert team");

    // The plan in force's own action when one names what is recommended (a city's plan is its own words), else what
    // the default plan asks at that level.
    private static string PlanAsks(CityNeedInput city, double score, string otherwise, params string[] naming)
    {
        var quoted = city.ResponseActions.IsDefaultOrEmpty
            ? null
            : city.ResponseActions.FirstOrDefault(a => naming.Any(n => a.Contains(n, StringComparison.OrdinalIgnoreCase)));
        return InForce(city, score, quoted is null ? otherwise : $"the city's plan says \"{quoted.Trim().TrimEnd('.')}\"");
    }

    private static string InForce(CityNeedInput city, double score, string asks)
    {
        var since = city.ResponseSince is { } day ? $" since {day:yyyy-MM-dd}" : "";
        var until = city.ResponseStepDownFrom is { } from ? $"; it can step down from {from:yyyy-MM-dd} if the score stays below its exit" : "";
        return $"response level {city.ResponseLevel} in force{since}: {asks} (score {ScoreText.InSentence(score)}, band {RiskNames.Of(city.Level)}{until})";
    }

    private static bool CapacityReported(CityNeedInput city) => city.Labs is not null || city.Technicians is not null || city.IsolationBeds is not null;

    private static double CasesToIsolate(CityNeedInput city) =>
        CasesToIsolate(city.LocalCases14d, city.Asymptomatic14d, city.ImportedHosted14d, city.Severe14d);

    // Severe cases are among those to isolate; the larger count stands for the people in isolation now.
    private static double CasesToIsolate(double local14d, double asymptomatic14d, double importedHosted14d, double severe14d) =>
        Math.Max(severe14d, local14d + asymptomatic14d + importedHosted14d);

    private static int CompareForAssistance(CityAssistance? a, CityAssistance? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? 1 : -1;
        }

        var group = GroupOf(a);
        var order = group.CompareTo(GroupOf(b));
        if (order != 0)
        {
            return order;
        }

        if (group == 1)
        {
            // Capacity never reported: the need is an estimate, so these rank by the risk itself.
            order = Descending(a.Score, b.Score);
            order = order != 0 ? order : Descending(a.Need, b.Need);
        }
        else if (group != 3)
        {
            order = Descending(a.Need, b.Need);
            order = order != 0 ? order : Descending(a.Score, b.Score);
            order = order != 0 ? order : Descending(a.CapacityGap, b.CapacityGap);
        }

        order = order != 0 ? order : Descending(a.DailyInbound, b.DailyInbound);
        return order != 0 ? order : string.CompareOrdinal(a.CityId, b.CityId);
    }

    private static int Descending(double? a, double? b) => Nullable.Compare<double>(b is null ? null : Scales.Round(b.Value), a is null ? null : Scales.Round(a.Value));

    private static string SevereAgainstBeds(double severe, Shortfall? beds) =>
        beds is { } b
            ? $"{Count(severe)} severe cases in 14 days against {b.Describe()}"
            : $"{Count(severe)} severe cases in 14 days and no isolation beds reported";

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + ".";

    private static string Format(double value) => Scales.Format(value);

    private static string Count(double value) => value.ToString(value == Math.Floor(value) ? "N0" : "N1", CultureInfo.InvariantCulture);

    /// <summary>How far one kind of capacity falls short of its per-capita target.</summary>
    private readonly record struct Shortfall(double Have, long Population, double PerPeople, double Target, string Singular, string Plural)
    {
        public double Rate => Have / Population * PerPeople;

        public double Gap => 1 - Math.Min(1, Rate / Target);

        // At or above target, up to the rounding of the rate's arithmetic (10 technicians for 100,000 people is 10 per
        // 100,000, whatever the last bit of 10 / 100,000 × 100,000).
        public bool AtTarget => Gap < 1e-9;

        // What must be added to reach the target, in whole units.
        public int Missing => (int)Math.Max(0, Math.Ceiling((Target * Population / PerPeople) - Have - 1e-9));

        public static Shortfall? Of(double? have, long? population, double perPeople, double target, string singular, string plural) =>
            have is { } value && population is > 0 && target > 0 ? new Shortfall(value, population.Value, perPeople, target, singular, plural) : null;

        public string Describe() =>
            $"{Count(Have)} {(Have == 1 ? Singular : Plural)} for {Count(Population)} people ({Format(Rate)} per {Count(PerPeople)}, target {Format(Target)}; gap {Format(Gap)}, short by {Missing})";
    }
}
