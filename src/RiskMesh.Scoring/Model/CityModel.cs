using System.Collections.Immutable;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Model;

/// <summary>What a city's assessment needs beyond its own ledger.</summary>
/// <param name="Population">The city's population, from the topology.</param>
/// <param name="PortsOn">The city's ports' values on a day.</param>
public sealed record CityContext(long? Population, Func<int, IEnumerable<(string PortId, UpstreamValue Value)>> PortsOn, Func<string, string>? PortNames = null)
{
    /// <summary>A port as explanations name it: its topology name ("Suifenhe road port"), as notice summaries do; the id when no name is known.</summary>
    public string PortName(string portId) => PortNames?.Invoke(portId) ?? portId;
}

/// <summary>The city risk model: local cases, asymptomatic infections, severe cases against beds, its ports, capacity, intelligence.</summary>
public static class CityModel
{
    /// <summary>Assesses a city on a day, with the week's trend.</summary>
    public static (Assessment Assessment, Trend Trend) AssessWithTrend(SiteLedger ledger, int day, CityContext context, ScoringOptions options)
    {
        var assessment = Assess(ledger, day, context, options);
        var week = Enumerable.Range(0, 7).Select(i => i == 6 ? assessment.Score : Score(ledger, day - 6 + i, context, options)).ToList();
        return Scales.WithTrend(assessment, week, options);
    }

    /// <summary>Assesses a city on a day; without <paramref name="explain"/>, every number and no text (see <see cref="Explain"/>).</summary>
    public static Assessment Assess(SiteLedger ledger, int day, CityContext context, ScoringOptions options, bool explain = true)
    {
        var date = DateOnly.FromDayNumber(day);
        var population = context.Population;
        var cases14 = ledger.CasesByClassification(day - 14, day);
        var local14 = cases14.LocalConfirmed;
        var importedHere14 = cases14.ImportedConfirmed;
        var asymptomatic14 = cases14.LocalAsymptomatic + cases14.ImportedAsymptomatic;
        var severe14 = cases14.Severe;
        var deaths14 = cases14.Death;
        double? localPer100k = population is > 0 ? local14 / (double)population.Value * 100_000 : null;

        var (allPorts, scoredPorts, importedAtPorts) = PortsOn(context, day);

        var localComponent = new ComponentResult(
            "localCases",
            Scales.Round(localPer100k),
            "local cases per 100k, 14 days",
            Scales.Round(localPer100k is { } rate ? Scales.IncidenceNormalized(rate) : 0),
            options.CityLocalWeight,
            localPer100k is { } r
                ? local14 == 0 ? "No locally acquired cases in the last 14 days." : Explain.Text(explain, $"{Scales.Count(local14)} local cases in the 14 days to {date:yyyy-MM-dd}: {Scales.Format(r)} per 100,000.")
                : "Local incidence unknown: no population for this city.");
        var asymptomaticComponent = new ComponentResult(
            "asymptomatic",
            asymptomatic14,
            "under observation, 14 days",
            Scales.Round(Scales.Saturating(asymptomatic14, options.CityAsymptomaticScale)),
            options.CityAsymptomaticWeight,
            AsymptomaticText(asymptomatic14, importedAtPorts > 0, explain));

        var capacity = ledger.CapacityAsOf(day);
        var severeText = severe14 == 0
            ? "No severe cases in the last 14 days."
            : capacity.IsolationBeds is > 0 and var beds
                ? Explain.Text(explain, $"{Scales.Count(severe14)} severe cases against {Scales.Count(beds)} isolation beds.")
                : capacity.IsolationBeds is 0
                    ? Explain.Text(explain, $"{Scales.Count(severe14)} severe cases and no isolation beds: counted as full.")
                    : Explain.Text(explain, $"{Scales.Count(severe14)} severe cases and no isolation beds reported: counted as half full.");
        var severeComponent = new ComponentResult("severeCases", severe14, "severe cases, 14 days", Scales.Round(SevereLoad(severe14, capacity, options)), options.CitySevereWeight, severeText);

        // Loops over the ports, not LINQ sorts: a city is assessed on every change of itself or a port.
        var hosted = importedHere14 + cases14.ImportedAsymptomatic + importedAtPorts;
        double? hostedPer100k = population is > 0 ? hosted / population.Value * 100_000 : null;
        var importedComponent = new ComponentResult(
            "importedCases",
            Scales.Round(hostedPer100k),
            "imported cases hosted per 100k, 14 days",
            Scales.Round(hostedPer100k is { } h ? Scales.IncidenceNormalized(h) : 0),
            options.CityImportedWeight,
            hosted == 0
                ? "No imported cases found at this city's ports or in the city in the last 14 days."
                : Explain.Text(explain, $"{Scales.Count(hosted)} imported cases found at its ports or in the city in the 14 days to {date:yyyy-MM-dd}, isolated and treated here{(hostedPer100k is { } hp ? $": {Scales.Format(hp)} per 100,000 residents" : "")}."));
        // On an exact tie the port on reported traffic comes first, then the lower id: the score is the same whichever
        // is named, and it is no estimate while a port on reported traffic gives it too, so the city's `estimated` flag
        // (below) no longer depends on the order the ports arrive in.
        var highest = FirstBy(allPorts, static v => v.Score);
        var portComponent = new ComponentResult(
            "highestPort",
            highest.PortId is null ? null : highest.Value.Score,
            "port score",
            Scales.Round((highest.Value.Score ?? 0) / 100),
            options.CityPortWeight,
            highest.PortId is null
                ? "No port of this city has a score."
                : Explain.Text(explain, $"Its riskiest port, {context.PortName(highest.PortId)}, scores {ScoreText.InSentence(highest.Value.Score!.Value)} ({RiskNames.Words(highest.Value.Level)})."));

        var (gap, gapText, gapAssumed) = CapacityGap(capacity, population, options, explain);
        var capacityComponent = new ComponentResult("capacityGap", Scales.Round(gap), "0 = enough, 1 = none", Scales.Round(gap), options.CityCapacityWeight, gapText) { Assumed = gapAssumed };
        var intelComponent = Scales.IntelComponent(ledger.IntelReports(day), day, options.CityIntelWeight, options, explain);
        ImmutableArray<ComponentResult> weighted = [localComponent, importedComponent, asymptomaticComponent, severeComponent, portComponent, capacityComponent, intelComponent];
        var weightedScore = Scales.ScoreOf(weighted);
        var (exposed, floor) = MostExposed(allPorts, options);
        var floors = FloorsOf(floor, hosted, local14 + cases14.LocalAsymptomatic, severe14, population, options, ImportedBehindSevere(ledger, allPorts, day, hosted, severe14, options));
        var lifted = Scales.FloorLifted(weightedScore, floors.Highest, options);
        var lift = Scales.Round(lifted - weightedScore);
        // The port by its name in the text (looked up only when the text is written); null when no port is exposed.
        var exposedPort = exposed.PortId is { } exposedId && explain ? context.PortName(exposedId) : exposed.PortId;
        var setting = new FloorSetting(floors.Setter, weightedScore, lifted, lift, floors.Highest);
        var exposureComponent = ExposureComponent(exposedPort, exposed.Value.ExposureFloor, floor, setting, options, explain);
        var arrivalsComponent = ArrivalsComponent(hosted, floors.ArrivalsPerDay, floors.Arrivals, setting, options, explain);
        var incidenceComponent = IncidenceComponent(floors.OutbreakPer100k, floors.Incidence, local14, cases14.LocalAsymptomatic, severe14, floors.SevereImplied, setting, options, explain, floors.InferredBand, options.CitySevereAfterImportDays > 0 ? day - options.CitySevereAfterImportDays : null);
        ImmutableArray<ComponentResult> components = [.. weighted, exposureComponent, arrivalsComponent, incidenceComponent];

        var notes = new List<string>();
        if (population is not > 0)
        {
            notes.Add("population unknown");
        }

        if (capacity.Day == int.MinValue)
        {
            notes.Add("city capacity never reported: assumed to be a half gap");
        }

        notes.AddRange(CaseRevision.Notes(ledger, day, explain));
        var ownLast = ledger.LastReportDay(day);
        var quality = Scales.Quality(day, ownLast, false, ledger.Revised, population is not > 0, options, notes, OwnReport, OwnReportNote);
        // Score (below) makes this score without the components, texts and metrics: what decides it here decides it
        // there (CityScoreTests compare the two over many drawn cities).
        var sufficient = !quality.Stale || scoredPorts > 0;
        var fromPortsOnly = quality.Stale && scoredPorts > 0;
        if (fromPortsOnly)
        {
            quality = quality with { Stale = false, Notes = quality.Notes.Add("scored from its ports' data") };
        }

        // A city whose score comes from a port resting on estimated traffic rests on the same estimate: the port whose
        // exposure floor sets the score, or, for a city scored from its ports alone, its riskiest port. A port's share
        // in the weighted sum beside the city's own reports does not make the city's score an estimate.
        var floorSets = exposed.PortId is not null && floor > 0 && floors.Setter == CityFloor.PortExposure && lifted > weightedScore;
        var source = floorSets ? exposed : fromPortsOnly ? highest : default;
        if (source.PortId is not null && source.Value.Estimated)
        {
            quality = quality with
            {
                Estimated = true,
                Notes = quality.Notes.Add(Explain.Text(explain, $"estimated: {(floorSets ? $"set by the exposure of {context.PortName(source.PortId)}" : $"scored from its riskiest port, {context.PortName(source.PortId)}")}, {EstimateText(source.Value.TrafficEstimate)}")),
            };
        }

        double? score = sufficient ? lifted : null;
        var level = score is { } s ? Scales.LevelOf(s, options) : RiskLevel.InsufficientData;
        (string Name, double? Value)[] metrics =
        [
            (CityMetricKeys.Population, population),
            (CityMetricKeys.LocalCases14d, local14),
            (CityMetricKeys.LocalCases14dPer100k, localPer100k),
            (CityMetricKeys.ImportedCases14d, importedHere14),
            (CityMetricKeys.ImportedHosted14d, hosted),
            (CityMetricKeys.Asymptomatic14d, asymptomatic14),
            (CityMetricKeys.Severe14d, severe14),
            (CityMetricKeys.Deaths14d, deaths14),
            (CityMetricKeys.HighestPortScore, highest.PortId is null ? null : highest.Value.Score),
            (CityMetricKeys.PortExposureFloor, exposed.PortId is null ? null : exposed.Value.ExposureFloor),
            (CityMetricKeys.ExposureFloor, floor),
            (CityMetricKeys.ObservedArrivalsPerDay, floors.ArrivalsPerDay),
            (CityMetricKeys.ArrivalsFloor, floors.Arrivals),
            (CityMetricKeys.LocalInfections14dPer100k, floors.OutbreakPer100k),
            (CityMetricKeys.IncidenceFloor, floors.Incidence),
            (CityMetricKeys.WeightedScore, weightedScore),
            (CityMetricKeys.CapacityGap, gap),
            (CityMetricKeys.Labs, capacity.Labs),
            (CityMetricKeys.Technicians, capacity.Technicians),
            (CityMetricKeys.IsolationBeds, capacity.IsolationBeds),
            (CityMetricKeys.TestKits, capacity.TestKits)
        ];
        return new Assessment(day, score, level, components, metrics, null, quality);
    }

    /// <summary>
    /// The city's score on a day, and nothing else: the number <see cref="Assess"/> gives, bit for bit, without the
    /// components, texts, metrics and notes it makes. For decisions that read the score alone (a city's escalation, on
    /// every change of itself or a port).
    /// </summary>
    public static double? Score(SiteLedger ledger, int day, CityContext context, ScoringOptions options)
    {
        var (ports, scoredPorts, importedAtPorts) = PortsOn(context, day);
        if (scoredPorts == 0 && Scales.IsStale(day, ledger.LastReportDay(day), options))
        {
            return null;
        }

        // Each term as Assess makes its component: the same expressions, in the same order.
        var population = context.Population;
        var cases14 = ledger.CasesByClassification(day - 14, day);
        double? localPer100k = population is > 0 ? cases14.LocalConfirmed / (double)population.Value * 100_000 : null;
        var hosted = cases14.ImportedConfirmed + cases14.ImportedAsymptomatic + importedAtPorts;
        double? hostedPer100k = population is > 0 ? hosted / population.Value * 100_000 : null;
        var capacity = ledger.CapacityAsOf(day);
        var highest = FirstBy(ports, static v => v.Score);
        var (pressure, _) = Scales.IntelPressure(ledger.IntelReports(day), day, options.IntelHalfLifeDays);
        var weightedScore = Scales.WeightedScore(
        [
            (options.CityLocalWeight, Scales.Round(localPer100k is { } rate ? Scales.IncidenceNormalized(rate) : 0)),
            (options.CityImportedWeight, Scales.Round(hostedPer100k is { } h ? Scales.IncidenceNormalized(h) : 0)),
            (options.CityAsymptomaticWeight, Scales.Round(Scales.Saturating(cases14.LocalAsymptomatic + cases14.ImportedAsymptomatic, options.CityAsymptomaticScale))),
            (options.CitySevereWeight, Scales.Round(SevereLoad(cases14.Severe, capacity, options))),
            (options.CityPortWeight, Scales.Round((highest.Value.Score ?? 0) / 100)),
            (options.CityCapacityWeight, Scales.Round(CapacityGap(capacity, population, options, explain: false).Gap)),
            (options.CityIntelWeight, Scales.IntelNormalized(pressure)),
        ]);
        var (_, floor) = MostExposed(ports, options);
        var floors = FloorsOf(floor, hosted, cases14.LocalConfirmed + cases14.LocalAsymptomatic, cases14.Severe, population, options, ImportedBehindSevere(ledger, ports, day, hosted, cases14.Severe, options));
        return Scales.FloorLifted(weightedScore, floors.Highest, options);
    }

    // The city's ports' values on a day, with how many are scored and the imported cases they found.
    private static (IReadOnlyList<(string PortId, UpstreamValue Value)> Ports, int Scored, double ImportedAtPorts) PortsOn(CityContext context, int day)
    {
        var portsOn = context.PortsOn(day);
        var ports = portsOn as IReadOnlyList<(string PortId, UpstreamValue Value)> ?? [.. portsOn];
        var scored = 0;
        var importedAtPorts = 0.0;
        foreach (var port in ports)
        {
            scored += port.Value.Score is null ? 0 : 1;
            importedAtPorts += port.Value.ImportedCases14d ?? 0;
        }

        return (ports, scored, importedAtPorts);
    }

    // Severe cases against isolation beds, 0 to 1. Zero beds is a known fact and the worst case, not missing data.
    private static double SevereLoad(long severe14, CapacityRecord capacity, ScoringOptions options) =>
        severe14 == 0 ? 0
        : capacity.IsolationBeds is > 0 and var beds ? Scales.Unit(severe14 / beds)
        : capacity.IsolationBeds is 0 ? 1
        : options.UnknownCapacityGap;

    // The port whose exposure floor is highest (default when none is exposed), and the city's floor one level below it.
    private static ((string PortId, UpstreamValue Value) Port, double Floor) MostExposed(IReadOnlyList<(string PortId, UpstreamValue Value)> ports, ScoringOptions options)
    {
        var exposed = FirstBy(ports, static v => v.ExposureFloor is > 0 ? v.ExposureFloor : null);
        return (exposed, exposed.PortId is null ? 0 : Math.Max(0, exposed.Value.ExposureFloor!.Value - options.CityExposureOffset));
    }

    /// <summary>
    /// The imported cases a city's severe cases of the 14 days to <paramref name="day"/> are compared with: those it
    /// hosts in the same 14 days (<paramref name="hosted"/>), or in the 14 days ending
    /// <see cref="ScoringOptions.CitySevereAfterImportDays"/> earlier when those were more, since imported patients fall
    /// severely ill about a week after they are found. Compared with the same window alone, Suifenhe's imported cases
    /// left it before their severe days did, and the same patients read as 6, then 13 local infections per 100,000 with
    /// no new event (newcomer 21a M3). Looked up only when there are severe cases. The city's own imported cases of the
    /// earlier window come from its ledger; its ports' from their values of <paramref name="day"/> itself
    /// (<see cref="UpstreamValue.EarlierImportedCases14d"/>), so the city holds none of their earlier days. A port value
    /// without that figure (from a silo of an earlier version, during a rolling upgrade) adds none of that port's imports
    /// to the earlier window: its part of the comparison is the same 14 days', as before model 21, never a guess.
    /// </summary>
    /// <param name="ports">The city's ports' values on <paramref name="day"/>.</param>
    public static double ImportedBehindSevere(SiteLedger ledger, IReadOnlyList<(string PortId, UpstreamValue Value)> ports, int day, double hosted, long severe14, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(options);
        if (severe14 == 0 || options.CitySevereAfterImportDays == 0)
        {
            return hosted;
        }

        var earlier = day - options.CitySevereAfterImportDays;
        var cases = ledger.CasesByClassification(earlier - 14, earlier);
        var atPorts = 0.0;
        foreach (var port in ports)
        {
            atPorts += port.Value.EarlierImportedCases14d ?? 0;
        }

        return Math.Max(hosted, cases.ImportedConfirmed + cases.ImportedAsymptomatic + atPorts);
    }

    /// <summary>
    /// Which estimated traffic a port's score rests on, as the port's own note says it (the same figure and day), so an
    /// analyst reading the city knows whether a closed crossing's last count or a nominal figure stands behind it.
    /// </summary>
    /// <param name="estimate">The port's estimate; null when its summary did not say (a port on a silo of an earlier version).</param>
    public static string EstimateText(TrafficEstimate? estimate) => estimate switch
    {
        { Carried: true } e => $"whose traffic is carried forward from its last report: {Scales.Count(e.PerDay)} a day as of {DateOnly.FromDayNumber(e.CarriedFromDay!.Value):yyyy-MM-dd}, none reported in the last 7 days",
        { } e => $"whose traffic is nominal: {Scales.Count(e.PerDay)} a day ({(e.NominalIsDefault ? "the default for its kind of port" : "the topology's figure for the port")}), none reported in the last 7 days",
        null => "whose traffic is estimated (nominal or carried forward)",
    };

    /// <summary>The reports that count as a city's own for its data quality: the cases and capacity reported for it.</summary>
    public const string OwnReport = "case or capacity report from the city";

    /// <summary>What does not count as the city's own report, said beside its age.</summary>
    public const string OwnReportNote = " (intelligence reports and its ports' traffic are not counted)";

    /// <summary>
    /// The city's three score floors and the one that sets its score: the exposure of its most exposed port (that port's
    /// floor less <see cref="ScoringOptions.CityExposureOffset"/>), the infected arrivals the imported cases it hosts
    /// stand for (found at its ports or in the city, ÷ <see cref="ScoringOptions.ImportedCaseDetection"/>, a day over
    /// 14 days, on the exposure scale less the same offset), and its own outbreak (local cases and local asymptomatic
    /// infections per 100,000 in 14 days, or the cases its severe cases imply beyond the imported cases it hosts when
    /// more, on the CDC travel notices' bands). Assess and
    /// Score both take them from here, so the two give the same number.
    /// </summary>
    /// <param name="importedBehindSevere">The imported cases the severe cases are compared with (<see cref="ImportedBehindSevere"/>); <paramref name="hosted"/> when null.</param>
    public static CityFloors FloorsOf(double portExposureFloor, double hosted, long localInfections14, long severe14, long? population, ScoringOptions options, double? importedBehindSevere = null)
    {
        var arrivalsPerDay = hosted / 14 / options.ImportedCaseDetection;
        var arrivals = hosted > 0 ? Math.Max(0, Scales.ExposureFloor(arrivalsPerDay, options) - options.CityExposureOffset) : 0;
        // Severe cases may be imported patients (Suifenhe's were): only the cases they imply beyond the imported cases
        // the city hosts speak of an outbreak of its own.
        var severeImplied = Math.Max(0, (severe14 / options.CitySevereShare) - (importedBehindSevere ?? hosted));
        double? reportedPer100k = population is > 0 ? localInfections14 / (double)population.Value * 100_000 : null;
        var reported = reportedPer100k is { } rate ? Scales.IncidenceFloor(rate, options) : 0;
        // Cases inferred from severe ones count one level (CityExposureOffset) below reported local infections, as the
        // infected arrivals inferred from imported cases do (review 16 M3): severe patients transferred in from
        // elsewhere are neither local cases nor imported ones hosted, and 20 severe cases in Fuyuan with no local case
        // reported took it from level 1 to 4 ("Request a national expert team") in one day. Discounted, they still
        // escalate a city whose beds fill (to level 3 there: testing kits, close contacts), since hidden local spread
        // shows first in severe cases where testing is thin; confirming it takes reported local cases.
        double? impliedPer100k = population is > 0 && severeImplied > localInfections14 ? severeImplied / population.Value * 100_000 : null;
        var impliedBand = impliedPer100k is { } implied ? Scales.IncidenceFloor(implied, options) : 0;
        var discounted = Math.Max(0, impliedBand - options.CityExposureOffset);
        // The inference names the figure when it gives more, or when nothing was reported to name instead.
        var inferred = impliedPer100k is not null && (discounted > reported || localInfections14 == 0);
        var outbreakPer100k = inferred ? impliedPer100k : reportedPer100k;
        var incidence = inferred ? discounted : reported;

        // On a tie the port's exposure names the floor, then the arrivals, then the outbreak: the order the components
        // are listed in, and the port first so that a city's `estimated` flag follows the port that sets it, as before.
        // Floors equal to the hundredth, as the sentences show them, are a tie: a port whose exposure comes from the
        // cases it found gives the same floor as those cases hosted, give or take the last bit of a division
        // (Suifenhe, 5 April 2020), and which is named must not hang on that bit. The score takes the highest exactly.
        var setter = CityFloor.None;
        var named = 0.0;
        var highest = 0.0;
        foreach (var (kind, value) in (ReadOnlySpan<(CityFloor, double)>)[(CityFloor.PortExposure, portExposureFloor), (CityFloor.Arrivals, arrivals), (CityFloor.Outbreak, incidence)])
        {
            highest = Math.Max(highest, value);
            if (value > 0 && (setter == CityFloor.None || Math.Round(value, 2) > Math.Round(named, 2)))
            {
                (setter, named) = (kind, value);
            }
        }

        return new CityFloors(setter, highest, Scales.Round(arrivalsPerDay), Scales.Round(arrivals), Scales.Round(outbreakPer100k), incidence, severeImplied, inferred ? impliedBand : null);
    }

    /// <summary>
    /// The city's exposure floor as a component: weight 0, contributing the points by which it lifts the weighted sum
    /// when it is the highest floor. The floor is the most exposed port's exposure floor less
    /// <see cref="ScoringOptions.CityExposureOffset"/> (one level), so expected infected arrivals at its ports escalate
    /// the city before any case is found.
    /// </summary>
    public static ComponentResult ExposureComponent(string? port, double? portFloor, double floor, FloorSetting setting, ScoringOptions options, bool explain = true)
    {
        var explanation = port is null
            ? "No infected arrivals expected at its ports: exposure sets no floor."
            : floor <= 0
                ? Explain.Text(explain, $"Its most exposed port, {port}, has an exposure floor of {ScoreText.InSentence(portFloor ?? 0)}: too low to raise the city.")
                : Explain.Text(explain, $"{FloorSentence($"Exposure at {port}", false, CityFloor.PortExposure, floor, setting, options)} The city's floor is {Scales.Format(options.CityExposureOffset)} points below the port's exposure floor of {ScoreText.InSentence(portFloor ?? 0)}.");
        return FloorComponent("portExposure", "score floor from its ports' expected infected arrivals", floor, CityFloor.PortExposure, setting, explanation);
    }

    /// <summary>
    /// The infected arrivals the imported cases a city hosts stand for, as a floor: cases found at its ports or in the
    /// city in 14 days ÷ the share entry testing finds, a day, on the ports' exposure scale one level lower, as a port's
    /// exposure reaches its city. Weights alone capped imported cases at 20 points: 90,000 imported cases in Ruili
    /// scored 21.9 (low) with no notice (newcomer try-out).
    /// </summary>
    public static ComponentResult ArrivalsComponent(double hosted, double perDay, double floor, FloorSetting setting, ScoringOptions options, bool explain = true)
    {
        var cause = Explain.Text(explain, $"The {Scales.Count(hosted)} imported cases found at its ports or in the city in 14 days, standing for {Scales.Count(perDay)} infected arrivals a day (÷ {Scales.Format(options.ImportedCaseDetection)}, the share of infected travellers entry testing finds),");
        var explanation = hosted <= 0
            ? "No imported cases found at its ports or in the city in the last 14 days: observed arrivals set no floor."
            : floor <= 0
                ? Explain.Text(explain, $"{cause.TrimEnd(',')} give {Scales.Format(Scales.ExposureFloor(perDay, options))} on the ports' exposure scale, too low to raise the city once {Scales.Format(options.CityExposureOffset)} points below.")
                : Explain.Text(explain, $"{FloorSentence(cause, true, CityFloor.Arrivals, floor, setting, options)} The floor is {Scales.Format(options.CityExposureOffset)} points below what those arrivals give a port ({ScoreText.InSentence(Scales.ExposureFloor(perDay, options))}), as a port's exposure reaches its city.");
        return FloorComponent("importedArrivals", "score floor from the infected arrivals its imported cases stand for", floor, CityFloor.Arrivals, setting, explanation);
    }

    /// <summary>
    /// The city's own outbreak as a floor: weight 0, contributing the points by which it lifts the weighted sum when it
    /// is the highest floor, so that a large local outbreak alone reaches high and very high. It counts local cases and
    /// local asymptomatic infections (ECDC's notification rate counts every laboratory-confirmed infection), or the
    /// cases the severe cases imply (÷ <see cref="ScoringOptions.CitySevereShare"/>) one level lower, when those give
    /// more (<paramref name="inferredBand"/>: what the CDC's bands give the inferred figure before the discount).
    /// </summary>
    /// <param name="earlierImportsTo">The last day of the earlier 14 days of imported cases the severe cases were also compared with (<see cref="ImportedBehindSevere"/>); null when only the same 14 days were.</param>
    public static ComponentResult IncidenceComponent(double? per100k, double floor, long local14, long localAsymptomatic14, long severe14, double severeImplied, FloorSetting setting, ScoringOptions options, bool explain = true, double? inferredBand = null, int? earlierImportsTo = null)
    {
        var imports = earlierImportsTo is { } earlier ? Explain.Text(explain, $"the imported cases it hosts or hosted in the 14 days to {DateOnly.FromDayNumber(earlier):yyyy-MM-dd}") : "the imported cases it hosts";
        string explanation;
        if (per100k is not > 0)
        {
            explanation = local14 + localAsymptomatic14 + severe14 == 0
                ? "No local infections or severe cases in the last 14 days: the local outbreak sets no floor."
                : per100k is null
                    ? "Local incidence unknown: no population for this city, so the local outbreak sets no floor."
                    // Known population, yet nothing counted: severe cases alone, no more than the imported cases it hosts.
                    : Explain.Text(explain, $"No local infections in the last 14 days, and its {Scales.Count(severe14)} severe cases imply no more cases than {imports} (severe patients may be imported ones): the local outbreak sets no floor.");
        }
        else
        {
            var counted = inferredBand is not null
                ? Explain.Text(explain, $"the {Scales.Count(Math.Round(severeImplied))} cases {(severe14 == 1 ? "its 1 severe case implies" : $"its {Scales.Count(severe14)} severe cases imply")} beyond {imports}, severe or critical cases being about {Scales.Percent(options.CitySevereShare * 100)}% of all according to the WHO-China Joint Mission")
                : localAsymptomatic14 == 0
                    ? Explain.Text(explain, $"{Scales.Counted(local14, "local case", "local cases")}")
                    : Explain.Text(explain, $"{Scales.Counted(local14, "local case", "local cases")} and {Scales.Counted(localAsymptomatic14, "local asymptomatic infection", "local asymptomatic infections")}");
            // Inferred from severe cases, not reported: said in the figure itself, so no one reads it as reported local
            // spread (Suifenhe's "6 local infections per 100,000" came from severe patients who were imported cases),
            // and counted one level lower than reported infections, which the sentence says with both figures.
            // No comma before "inferred … discounted one level": a notice's summary quotes the explanation up to its
            // first ", " (review 16 M2, M3).
            var bands = Explain.Text(explain, $"Bands of the CDC's travel notices at their daily rate over 14 days: from {Scales.Format(options.CityIncidenceModeratePer100k)} moderate, {Scales.Format(options.CityIncidenceHighPer100k)} high, {Scales.Format(options.CityIncidenceVeryHighPer100k)} very high.");
            if (inferredBand is { } band)
            {
                var figure = Explain.Text(explain, $"{Scales.Format(per100k.Value)} local infections per 100,000 in 14 days inferred from severe cases and discounted one level, not reported ({counted})");
                var discount = Explain.Text(explain, $"an inference counts {Scales.Format(options.CityExposureOffset)} points below the {ScoreText.InSentence(band)} ({RiskNames.Words(Scales.LevelOf(band, options))}) the same figure reported would give");
                explanation = floor <= 0
                    ? Explain.Text(explain, $"{figure} set no floor: {discount}, and nothing is left. {bands}")
                    : Explain.Text(explain, $"{FloorSentence($"{figure}; {discount}. These", true, CityFloor.Outbreak, floor, setting, options)} {bands}");
            }
            else
            {
                var cause = Explain.Text(explain, $"{Scales.Format(per100k.Value)} local infections per 100,000 in 14 days ({counted})");
                explanation = Explain.Text(explain, $"{FloorSentence(cause, true, CityFloor.Outbreak, floor, setting, options)} {bands}");
            }
        }

        return FloorComponent("localIncidence", "score floor from local infections per 100k, 14 days", floor, CityFloor.Outbreak, setting, explanation);
    }

    // A floor's component: the setting floor contributes the points the score stands above the weighted evidence, the
    // others nothing, so the contributions still add up to the score.
    private static ComponentResult FloorComponent(string name, string unit, double floor, CityFloor kind, FloorSetting setting, string explanation) =>
        new(name, Scales.Round(floor), unit, Scales.Round(floor / 100), 0, explanation) { Contribution = kind == setting.Setter ? setting.ShownLift : 0 };

    // What a floor does to the score, in the analysts' words: which floor decides the level, and where the rest of the
    // evidence places the city within it (the floor lifts the weighted sum; it does not replace it).
    private static string FloorSentence(string cause, bool plural, CityFloor kind, double floor, FloorSetting setting, ScoringOptions options)
    {
        var level = RiskNames.Words(Scales.LevelOf(floor, options));
        if (kind != setting.Setter)
        {
            return $"{cause} would put the city at {ScoreText.InSentence(floor)} ({level}) at least; {SetterName(setting.Setter)} sets {(ScoreText.InSentence(floor) == ScoreText.InSentence(setting.Floor) ? "the same floor and is named first" : "a higher floor")}.";
        }

        if (setting.Lift <= 0)
        {
            return $"{cause} would put the city at {ScoreText.InSentence(floor)} ({level}) at least; the weighted evidence already scores higher.";
        }

        var ceiling = Scales.LevelCeiling(floor, options);
        // Scores as sentences write them, cut (ScoreText.InSentence); the points above the weighted evidence are the
        // floor's contribution cut the same way (FloorSetting.LiftInSentence), not the difference of the cut figures.
        var placed = ceiling >= 100
            ? $"places it at {ScoreText.InSentence(setting.Score)}, within {level}"
            : $"places it at {ScoreText.InSentence(setting.Score)}, below the {ScoreText.InSentence(ceiling)} where {RiskNames.Words(Scales.LevelOf(ceiling, options))} begins";
        return $"{cause} {(plural ? "set" : "sets")} the city's floor at {ScoreText.InSentence(floor)}{(IsLowestOfLevel(floor, options) ? $", the lowest score of {level}" : $" ({level})")}; the weighted evidence, {ScoreText.InSentence(setting.Weighted)}, {placed}: {ScoreText.InSentence(setting.LiftInSentence)} points above that evidence alone. The floor decides the level; the rest of the evidence moves the score within it.";
    }

    private static string SetterName(CityFloor setter) => setter switch
    {
        CityFloor.PortExposure => "its ports' exposure",
        CityFloor.Arrivals => "the imported cases it hosts",
        _ => "its local outbreak",
    };

    // A floor of 75 below a port of 100 is "very high" like the port: "one level below the port" read as a contradiction
    // (newcomer 7 F4), so the sentence says it is the lowest score of that level.
    private static bool IsLowestOfLevel(double score, ScoringOptions options) =>
        score == options.ModerateFrom || score == options.HighFrom || score == options.VeryHighFrom;

    /// <summary>
    /// The city's capacity gap, the mean of what is known: laboratories per million, technicians per 100,000 and
    /// isolation beds per 100,000 against their targets. Unknown counts as a half gap, an assumption (<c>Assumed</c>
    /// true), said as one. Named "City capacity gap" in texts: a port-above-city notice shows the port's "Port testing
    /// gap" beside it, a different measure (newcomer 16, finding 6).
    /// </summary>
    public static (double Gap, string Explanation, bool Assumed) CapacityGap(CapacityRecord capacity, long? population, ScoringOptions options, bool explain = true)
    {
        if (population is not > 0)
        {
            return (options.UnknownCapacityGap, "City capacity gap unknown without a population: assumed to be a half gap, not a reported shortfall.", true);
        }

        var gaps = new Scales.GapMean(explain);
        void Add(double? have, double perPeople, double target, string singular, string plural)
        {
            if (have is { } value)
            {
                var rate = value / population.Value * perPeople;
                gaps.Add(1 - Math.Min(1, rate / target), Explain.Text(explain, $"{Scales.Counted(value, singular, plural)} ({Scales.Format(rate)} per {perPeople:N0}, target {Scales.Format(target)})"));
            }
        }

        Add(capacity.Labs, 1_000_000, options.CityLabsPerMillionTarget, "laboratory", "laboratories");
        Add(capacity.Technicians, 100_000, options.CityTechniciansPer100kTarget, "technician", "technicians");
        Add(capacity.IsolationBeds, 100_000, options.CityBedsPer100kTarget, "isolation bed", "isolation beds");
        if (gaps.Count == 0)
        {
            return (options.UnknownCapacityGap, "City capacity (laboratories, technicians, beds) not reported: assumed to be a half gap, not a reported shortfall.", true);
        }

        var mean = gaps.Mean;
        return (mean, Explain.Text(explain, $"City capacity gap {Scales.Format(mean)}: {gaps.JoinedTexts()}."), false);
    }

    /// <summary>
    /// The port with the highest key (ports without one left out), ties to the port on reported traffic, then to the
    /// lower id, then to the earlier one: what a stable sort by key descending, estimated and id would put first;
    /// default when no port has a key.
    /// </summary>
    private static (string PortId, UpstreamValue Value) FirstBy(IReadOnlyList<(string PortId, UpstreamValue Value)> ports, Func<UpstreamValue, double?> key)
    {
        (string PortId, UpstreamValue Value) first = default;
        double? firstKey = null;
        foreach (var port in ports)
        {
            if (key(port.Value) is not { } portKey)
            {
                continue;
            }

            if (first.PortId is null || ComesBefore(portKey, port, firstKey, first))
            {
                (first, firstKey) = (port, portKey);
            }
        }

        return first;
    }

    private static bool ComesBefore(double key, (string PortId, UpstreamValue Value) port, double? otherKey, (string PortId, UpstreamValue Value) other)
    {
        var byKey = Comparer<double?>.Default.Compare(key, otherKey);
        if (byKey != 0)
        {
            return byKey > 0;
        }

        var byEstimate = port.Value.Estimated.CompareTo(other.Value.Estimated);
        return byEstimate != 0 ? byEstimate < 0 : string.CompareOrdinal(port.PortId, other.PortId) < 0;
    }

    // The component counts what the city's own reports found; cases found at its ports, asymptomatic or not,
    // are counted under imported cases hosted (the port's summary does not split them), and the sentence says so rather
    // than "none under observation" beside a port that found some (newcomer try-out 7 F2).
    private static string AsymptomaticText(double found, bool portsFoundCases, bool explain) => found == 0
        ? portsFoundCases
            ? "No asymptomatic infections found in the city itself in the last 14 days." + PortCasesCounted
            : "No asymptomatic infections under observation."
        : Explain.Text(explain, $"{Scales.Count(found)} asymptomatic infections found in the city in the last 14 days, under medical observation with their close contacts.{(portsFoundCases ? PortCasesCounted : "")}");

    private const string PortCasesCounted = " Cases found at its ports, asymptomatic or not, are counted under imported cases.";
}

/// <summary>The score floors of a city, and which of them is highest.</summary>
public enum CityFloor
{
    /// <summary>No floor above 0.</summary>
    None,

    /// <summary>Its most exposed port's expected infected arrivals.</summary>
    PortExposure,

    /// <summary>The infected arrivals the imported cases it hosts stand for.</summary>
    Arrivals,

    /// <summary>Its own outbreak: local infections, or the cases its severe cases imply.</summary>
    Outbreak,
}

/// <summary>A city's floors: the highest and which it is, and each floor with the figure it comes from.</summary>
/// <param name="InferredBand">When the outbreak floor counts the cases severe cases imply (more than the local infections
/// reported would give), the score the CDC's bands give that figure before the one-level discount; null when it counts
/// reported local infections.</param>
public readonly record struct CityFloors(CityFloor Setter, double Highest, double ArrivalsPerDay, double Arrivals, double? OutbreakPer100k, double Incidence, double SevereImplied, double? InferredBand = null);

/// <summary>How the highest floor set a city's score: the weighted evidence, the score, and the points between.</summary>
public readonly record struct FloorSetting(CityFloor Setter, double Weighted, double Score, double Lift, double Floor = 0)
{
    /// <summary>
    /// The lift as the floor's contribution shows it (a driver's "+47.43 pts"), rounded once: the difference of the
    /// score and the weighted evidence as shown to two decimals (review 17 L1: the contribution rounded the unrounded
    /// lift, 47.435 to 47.44). Its sentence writes it cut to one decimal (<see cref="LiftInSentence"/>).
    /// </summary>
    public double ShownLift => Math.Round(Math.Round(Score, 2) - Math.Round(Weighted, 2), 2);

    /// <summary>
    /// The lift as the floor's sentence writes it: <see cref="ShownLift"/> cut to one decimal, as the scores beside it
    /// are, so its "38 points above that evidence alone" agrees with the contribution of 38.01 (review 24 L5: the
    /// difference of the two cut figures, 59.2 − 21.1, read 38.1 beside it). The three cut figures may then differ by
    /// 0.1 from adding up; the contribution is the figure a team compares.
    /// </summary>
    public double LiftInSentence => ScoreText.Cut(ShownLift, 1);
}
