using System.Collections.Immutable;
using System.Globalization;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Assistance;

/// <summary>
/// Turns cities' scores and capacity gaps into ranked assistance recommendations for provinces and the nation.
/// A city's need is score / 100 × capacity gap: risk that the city cannot meet on its own.
/// </summary>
public static class AssistanceModel
{
    /// <summary>
    /// Orders cities for assistance: cities with a need first, by need (rounded to four decimals), then score, then
    /// capacity gap, then inbound travellers a day, all descending, then city id; cities with insufficient data last,
    /// the busiest first (their blind spot matters most), then by city id.
    /// </summary>
    public static IComparer<CityAssistance> Order { get; } = Comparer<CityAssistance>.Create(CompareForAssistance);

    /// <summary>Assesses every city and ranks them.</summary>
    public static ImmutableArray<CityAssistance> Recommend(IEnumerable<CityNeedInput> cities, AssistanceOptions options, ScoringOptions scoring) =>
        Rank(cities.Select(c => Assess(c, options, scoring)));

    /// <summary>Sorts assessed cities by <see cref="Order"/> and numbers them from 1.</summary>
    public static ImmutableArray<CityAssistance> Rank(IEnumerable<CityAssistance> cities) =>
        [.. cities.Order(Order).Select((city, index) => city with { Rank = index + 1 })];

    /// <summary>The sentence that explains a city's need.</summary>
    public static string ExplainNeed(CityAssistance city) =>
        city.Score is { } score && city.Need is { } need
            ? $"Need {Format(need)} = score {Format(score)} / 100 × capacity gap {Format(city.CapacityGap)}."
            : "Need unknown: the city has too little recent data to be scored.";

    /// <summary>Assesses one city's need and chooses its recommendations (rank 0 until ranked).</summary>
    public static CityAssistance Assess(CityNeedInput city, AssistanceOptions options, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(city);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scoring);
        var gap = Scales.Round(Scales.Unit(city.CapacityGap ?? scoring.UnknownCapacityGap));
        var inbound = city.DailyInbound;
        if (city.Score is not { } score || city.Level == RiskLevel.InsufficientData)
        {
            var why = city.DaysSinceLastReport is { } days
                ? $"No report for {days} days (insufficient data after {scoring.StaleAfterDays}), and no port of the city has a score: its risk cannot be judged."
                : "No report has ever been received for this city or its ports: its risk cannot be judged.";
            return new CityAssistance(
                city.CityId, city.CityName, city.ProvinceId, null, RiskLevel.InsufficientData, gap, null, inbound, 0,
                [new RecommendedAction(AssistanceScopes.Province, AssistanceActions.CollectData, why)]);
        }

        var need = Scales.Round(score / 100 * gap);
        var labs = Shortfall.Of(city.Labs, city.Population, 1_000_000, scoring.CityLabsPerMillionTarget, "laboratory", "laboratories");
        var technicians = Shortfall.Of(city.Technicians, city.Population, 100_000, scoring.CityTechniciansPer100kTarget, "technician", "technicians");
        var beds = Shortfall.Of(city.IsolationBeds, city.Population, 100_000, scoring.CityBedsPer100kTarget, "isolation bed", "isolation beds");
        var bedsShort = city.Severe14d > 0 && (beds is null || beds.Value.Gap >= options.BedsGapThreshold || city.Severe14d >= beds.Value.Have);

        var national = new List<RecommendedAction>();
        var provincial = new List<RecommendedAction>();

        var veryHigh = city.Level == RiskLevel.VeryHigh;
        var busyAndUnprepared = gap > options.NationalGapThreshold && inbound >= options.HighInboundPerDay;
        if (veryHigh || busyAndUnprepared)
        {
            var parts = new List<string>();
            if (veryHigh)
            {
                parts.Add($"level very high (score {Format(score)})");
            }

            if (busyAndUnprepared)
            {
                parts.Add($"capacity gap {Format(gap)} (above {Format(options.NationalGapThreshold)}) with {Count(inbound)} inbound travellers a day through its ports (many from {Count(options.HighInboundPerDay)})");
            }

            var reason = Sentence(string.Join("; ", parts));
            national.Add(new RecommendedAction(AssistanceScopes.National, AssistanceActions.SendExpertTeam, reason));
            national.Add(new RecommendedAction(AssistanceScopes.National, AssistanceActions.DeliverEquipment, reason));

            var cases = city.LocalCases14d + city.Asymptomatic14d;
            if (cases >= options.MakeshiftCaseThreshold || bedsShort)
            {
                var because = $"{Count(city.LocalCases14d)} local cases and {Count(city.Asymptomatic14d)} asymptomatic infections in 14 days to isolate with their close contacts";
                if (bedsShort)
                {
                    because += $"; {SevereAgainstBeds(city.Severe14d, beds)}";
                }

                national.Add(new RecommendedAction(AssistanceScopes.National, AssistanceActions.SupportMakeshiftHospitals, Sentence(because)));
            }
        }

        var testing = new List<string>();
        foreach (var shortfall in new[] { labs, technicians })
        {
            if (shortfall is { } s && s.Gap >= options.TestingGapThreshold)
            {
                testing.Add(s.Describe());
            }
        }

        foreach (var port in city.Ports.IsDefault ? [] : city.Ports)
        {
            // A port's gap counts only once its testing was reported; an unreported one is a data gap, not a measured shortfall.
            if (port is { TestsPerDay: { } tests, CapacityGap: { } portGap, DailyInbound: > 0 and var travellers } && portGap >= options.PortTestingGapThreshold)
            {
                testing.Add($"port {port.PortId} tests {Count(tests)} a day for {Count(travellers)} inbound travellers a day (testing gap {Format(portGap)})");
            }
        }

        if (testing.Count > 0)
        {
            provincial.Add(new RecommendedAction(AssistanceScopes.Province, AssistanceActions.DispatchTestingKits, Sentence("Testing gap: " + string.Join("; ", testing))));
        }

        if (bedsShort)
        {
            provincial.Add(new RecommendedAction(AssistanceScopes.Province, AssistanceActions.DispatchBeds, Sentence(SevereAgainstBeds(city.Severe14d, beds))));
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
                    $"Score {Format(score)} ({RiskNames.Of(city.Level)}) and capacity gap {Format(gap)}: no shortfall crosses a threshold (testing {Format(options.TestingGapThreshold)}, beds with severe cases {Format(options.BedsGapThreshold)}) and {Count(inbound)} inbound travellers a day."),
            ];
        }

        return new CityAssistance(city.CityId, city.CityName, city.ProvinceId, score, city.Level, gap, need, inbound, 0, actions);
    }

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

        if (a.InsufficientData != b.InsufficientData)
        {
            return a.InsufficientData ? 1 : -1;
        }

        var order = 0;
        if (!a.InsufficientData)
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

        // What must be added to reach the target, in whole units.
        public int Missing => (int)Math.Max(0, Math.Ceiling((Target * Population / PerPeople) - Have - 1e-9));

        public static Shortfall? Of(double? have, long? population, double perPeople, double target, string singular, string plural) =>
            have is { } value && population is > 0 && target > 0 ? new Shortfall(value, population.Value, perPeople, target, singular, plural) : null;

        public string Describe() =>
            $"{Count(Have)} {(Have == 1 ? Singular : Plural)} for {Count(Population)} people ({Format(Rate)} per {Count(PerPeople)}, target {Format(Target)}; gap {Format(Gap)}, short by {Missing})";
    }
}
