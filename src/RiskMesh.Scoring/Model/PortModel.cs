using System.Collections.Immutable;
using System.Globalization;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Model;

/// <summary>What a port's assessment needs beyond its own ledger.</summary>
/// <param name="Faces">Countries the port faces, from the topology.</param>
/// <param name="CountryOn">An origin country's value on a day, or null when unknown.</param>
/// <param name="NominalInbound">Inbound travellers on an ordinary day (topology), used when no traffic is reported; null when unknown.</param>
/// <param name="NominalIsDefault">True when <paramref name="NominalInbound"/> is the default for the port's kind, not a figure for the port.</param>
/// <param name="CountryNames">A country's name by its code ("Russia" for RU), from the topology; null names countries by code.</param>
public sealed record PortContext(
    ImmutableArray<string> Faces,
    Func<string, int, UpstreamValue?> CountryOn,
    double? NominalInbound = null,
    bool NominalIsDefault = false,
    Func<string, string>? CountryNames = null)
{
    /// <summary>
    /// A country as explanations name it: its name ("Russia"), as the country's own view is called; the code when no
    /// name is known. Only texts use it: components, metrics and <see cref="PortExposure.Leading"/> keep the code.
    /// </summary>
    public string CountryName(string code) => CountryNames?.Invoke(code) ?? code;
}

/// <summary>Expected infected arrivals a day at a port and where the estimate comes from.</summary>
/// <param name="Expected">Total expected infected arrivals a day; null when nothing is known.</param>
/// <param name="Modelled">The part from travellers × the origins' infectious prevalence; null when unknown.</param>
/// <param name="Found">The part imported cases found stand for (found a day ÷ detection share); null when none were found.</param>
/// <param name="Leading">The origin contributing most.</param>
/// <param name="Explanation">What the cases found imply, and any ascertainment applied, in words (empty or starting with a space).</param>
public sealed record PortExposure(double? Expected, double? Modelled, double? Found, string? Leading, string Explanation);

/// <summary>
/// The port risk model: imported cases, import pressure, origin countries, capacity gap, intelligence, and an exposure
/// floor so that expected infected arrivals alone can raise the port before any case is found.
/// </summary>
public static class PortModel
{
    private static readonly CaseClassification[] Imported = [CaseClassification.ImportedConfirmed, CaseClassification.ImportedAsymptomatic];

    // What FoundByOrigin answers when no imported case was found (never changed).
    private static readonly IReadOnlyDictionary<string, double> NoneFound = new Dictionary<string, double>();

    /// <summary>The countries whose risk flows into the port: those it faces and those travellers came from, in ordinal order, each once.</summary>
    public static ImmutableArray<string> OriginCountries(SiteLedger ledger, ImmutableArray<string> faces)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var faced = faces.IsDefault ? [] : faces;

        // Asked on every change of a port: most ports hear only of the countries they face, which then answer as they are.
        List<string>? others = null;
        foreach (var traffic in ledger.Traffic.ValuesOrEmpty())
        {
            if (traffic.Origins is not null)
            {
                // The pairs, not Keys: that would leave a key collection cached in each record's dictionary.
                foreach (var (origin, _) in traffic.Origins)
                {
                    AddOther(origin);
                }
            }
        }

        foreach (var record in ledger.Cases.ValuesOrEmpty())
        {
            if (record.Origin is not null)
            {
                AddOther(record.Origin);
            }
        }

        if (others is null && IsOrdinalSet(faced))
        {
            return faced;
        }

        var all = new List<string>(faced.Length + (others?.Count ?? 0));
        all.AddRange(faced);
        if (others is not null)
        {
            all.AddRange(others);
        }

        all.Sort(StringComparer.Ordinal);
        var distinct = ImmutableArray.CreateBuilder<string>(all.Count);
        foreach (var country in all)
        {
            if (distinct.Count == 0 || !string.Equals(distinct[^1], country, StringComparison.Ordinal))
            {
                distinct.Add(country);
            }
        }

        return distinct.ToImmutable();

        void AddOther(string origin)
        {
            if (!faced.Contains(origin) && !(others?.Contains(origin) ?? false))
            {
                (others ??= []).Add(origin);
            }
        }

        static bool IsOrdinalSet(ImmutableArray<string> countries)
        {
            for (var i = 1; i < countries.Length; i++)
            {
                if (string.CompareOrdinal(countries[i - 1], countries[i]) >= 0)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Assesses a port on a day, with the week's trend.</summary>
    public static (Assessment Assessment, Trend Trend) AssessWithTrend(SiteLedger ledger, int day, PortContext context, ScoringOptions options)
    {
        var days = Enumerable.Range(0, 7).Select(i => i == 6 ? Assess(ledger, day, context, options) : Assess(ledger, day - 6 + i, context, options, explain: false)).ToList();
        var (assessment, trend) = Scales.WithTrend(days[6], [.. days.Select(a => a.Score)], options);

        // A week that switches between reported (or carried) traffic and the nominal figure has a slope made by the
        // switch, not by risk: the trend is not judged, and the data quality says why. `estimated` stays what the day's
        // own inputs say (its traffic basis), as for the city scored from this port: a nominal day earlier in the
        // week makes the trend unknown, not today's score an estimate.
        var nominal = days.Count(a => a.MetricOrNull("estimatedTraffic") == 1 && a.MetricOrNull("carriedInbound") is null);
        if (nominal > 0 && nominal < days.Count && trend is Trend.Rising or Trend.Falling)
        {
            var quality = assessment.Quality with { Notes = assessment.Quality.Notes.Add($"trend not judged ({RiskNames.Of(trend)} only as the traffic basis changed this week between reported and nominal traffic)") };
            return (assessment with { Quality = quality }, Trend.Unknown);
        }

        return (assessment, trend);
    }

    /// <summary>
    /// What a port hands its city of a day: the numbers of <see cref="Assess"/>, bit for bit (its score, level, imported
    /// cases, exposure floor, and the estimate its score rests on when it is flagged estimated), without the components,
    /// texts, metrics and notes an assessment makes. Asked for every day a city pulls and on every change of the port.
    /// </summary>
    public static UpstreamValue Upstream(SiteLedger ledger, int day, PortContext context, ScoringOptions options)
    {
        // Each number as Assess makes it: the same expressions, in the same order (PortUpstreamTests compare the two).
        var imported14 = ledger.CasesIn(day - 14, day, Imported);
        var inbound14 = TrafficIn(ledger, day - 14, day, out _);
        var inbound7 = TrafficIn(ledger, day - 7, day, out var reportingDays7);
        double? dailyInbound = reportingDays7 > 0 ? inbound7 / (double)reportingDays7 : null;
        var shares = OriginShares(ledger, day, context.Faces);
        var carried = dailyInbound is null ? CarriedTraffic(ledger, day, options) : null;
        var basisInbound = dailyInbound ?? carried?.PerDay;
        var estimatedTraffic = basisInbound is null && context.NominalInbound is >= 0;
        var travellersPerDay = basisInbound ?? (context.NominalInbound is >= 0 ? context.NominalInbound : null);
        var exposure = Exposure(ledger, day, context, shares, travellersPerDay, options, explain: false, inbound14);
        var expected = exposure.Expected;
        var originScore = OriginScore(shares, context, day);
        double? probability = expected is { } e ? 1 - Math.Exp(-e) : null;
        var (pressure, _) = Scales.IntelPressure(ledger.IntelReports(day), day, options.IntelHalfLifeDays);
        var weightedScore = Scales.WeightedScore(
        [
            (options.PortImportedWeight, Scales.Round(Scales.Saturating(imported14, options.PortImportedScale))),
            (options.PortPressureWeight, Scales.Round(probability ?? 0)),
            (options.PortOriginWeight, Scales.Round((originScore ?? 0) / 100)),
            (options.PortCapacityWeight, Scales.Round(CapacityGap(ledger.CapacityAsOf(day), basisInbound, options, explain: false).Gap)),
            (options.PortIntelWeight, Scales.IntelNormalized(pressure)),
        ]);
        var floor = Scales.ExposureFloor(expected ?? 0, options);

        // Insufficient only when nothing at all is known about the port's exposure, as in Assess.
        double? score = Scales.IsStale(day, ledger.LastReportDay(day), options) && expected is null ? null : Scales.Round(Math.Max(weightedScore, floor));
        var estimated = (estimatedTraffic || carried is not null) && exposure.Modelled is not null;
        TrafficEstimate? trafficEstimate = !estimated ? null
            : carried is { } last ? new(last.PerDay, last.LastDay)
            : estimatedTraffic ? new(travellersPerDay!.Value, null, context.NominalIsDefault)
            : null;
        return new UpstreamValue(
            score,
            score is { } s ? Scales.LevelOf(s, options) : RiskLevel.InsufficientData,
            null,
            Scales.Round(imported14),
            ExposureFloor: floor,
            Estimated: estimated,
            TrafficEstimate: trafficEstimate,
            EarlierImportedCases14d: EarlierImported(ledger, day, options));
    }

    /// <summary>
    /// A port's imported cases of the 14 days ending <see cref="ScoringOptions.CitySevereAfterImportDays"/> before
    /// <paramref name="day"/>: what its city compares its severe cases with (CityModel.ImportedBehindSevere), handed with
    /// the day's value so the city reads them on the day itself and holds none of the port's earlier days (holding them
    /// made a city with severe cases pull and be told of a week more of each port: 0.94 grain calls an event more in the
    /// bench). Within the 28 days every assessment reads (the setting is at most 14).
    /// </summary>
    public static double EarlierImported(SiteLedger ledger, int day, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        var earlier = day - options.CitySevereAfterImportDays;
        return Scales.Round(ledger.CasesIn(earlier - 14, earlier, Imported));
    }

    /// <summary>Assesses a port on a day; without <paramref name="explain"/>, every number and no text (see <see cref="Explain"/>).</summary>
    public static Assessment Assess(SiteLedger ledger, int day, PortContext context, ScoringOptions options, bool explain = true)
    {
        var date = DateOnly.FromDayNumber(day);
        var imported14 = ledger.CasesIn(day - 14, day, Imported);
        var inbound14 = TrafficIn(ledger, day - 14, day, out _);
        var inbound7 = TrafficIn(ledger, day - 7, day, out var reportingDays7);
        double? dailyInbound = reportingDays7 > 0 ? inbound7 / (double)reportingDays7 : null;
        double? per10k = inbound14 > 0 ? imported14 / (double)inbound14 * 10_000 : null;

        var importedComponent = new ComponentResult(
            "importedCases",
            imported14,
            "imported cases, 14 days",
            Scales.Round(Scales.Saturating(imported14, options.PortImportedScale)),
            options.PortImportedWeight,
            imported14 == 0
                ? "No imported cases found at this port in the last 14 days."
                : Explain.Text(explain, $"{Scales.Count(imported14)} imported cases found in the 14 days to {date:yyyy-MM-dd}{(per10k is { } r ? $" ({Scales.Format(r)} per 10,000 inbound travellers)" : "")}{OriginNote(ledger, day, context)}."));

        var shares = OriginShares(ledger, day, context.Faces);

        // A gap in traffic reports is not a change in traffic: the last reported level carries forward until it is
        // older than TrafficCarryForwardDays, and only then does the nominal figure stand in (a crossing closed to
        // passengers stays closed in the model when its feed pauses, instead of reopening at 1,100 a day).
        var carried = dailyInbound is null ? CarriedTraffic(ledger, day, options) : null;
        var basisInbound = dailyInbound ?? carried?.PerDay;
        var estimatedTraffic = basisInbound is null && context.NominalInbound is >= 0;
        var travellersPerDay = basisInbound ?? (context.NominalInbound is >= 0 ? context.NominalInbound : null);
        var exposure = Exposure(ledger, day, context, shares, travellersPerDay, options, explain, inbound14);
        var expected = exposure.Expected;
        double? probability = expected is { } e ? 1 - Math.Exp(-e) : null;
        var pressureComponent = new ComponentResult(
            "importPressure",
            Scales.Round(expected),
            "expected infected arrivals a day",
            Scales.Round(probability ?? 0),
            options.PortPressureWeight,
            expected is { } x
                ? Explain.Text(explain, $"{ExpectedHeadline(ledger, day, exposure, x, probability ?? 0)}{(exposure.Leading is null ? "" : $", mostly from {context.CountryName(exposure.Leading)}")}{SinceLastCaseText(ledger, day, exposure)}. {TravellersText(travellersPerDay, estimatedTraffic, carried, context)}{FromCasesFoundText(exposure, travellersPerDay)}.{exposure.Explanation}")
                : travellersPerDay is null ? "Import pressure unknown: no traffic reported in the last 7 days and no nominal traffic for this port." : "Import pressure unknown: origin countries' incidence unknown.");

        var originScore = OriginScore(shares, context, day);
        var originComponent = new ComponentResult(
            "originCountries",
            Scales.Round(originScore),
            "traffic-weighted country score",
            Scales.Round((originScore ?? 0) / 100),
            options.PortOriginWeight,
            originScore is { } os
                ? Explain.Text(explain, $"Travellers come from {string.Join(", ", shares.Select(s => $"{context.CountryName(s.Key)} ({Scales.Percent(s.Value * 100)}%)"))}; their weighted country score is {Scales.Format(os)}.")
                : "Origin countries' scores unknown.");

        var capacity = ledger.CapacityAsOf(day);
        var (gap, gapText, gapAssumed) = CapacityGap(capacity, basisInbound, options, explain);
        var capacityComponent = new ComponentResult("capacityGap", Scales.Round(gap), "0 = enough, 1 = none", Scales.Round(gap), options.PortCapacityWeight, gapText) { Assumed = gapAssumed };
        var intelComponent = Scales.IntelComponent(ledger.IntelReports(day), day, options.PortIntelWeight, options, explain);
        ImmutableArray<ComponentResult> weighted = [importedComponent, pressureComponent, originComponent, capacityComponent, intelComponent];
        var weightedScore = Scales.ScoreOf(weighted);
        var floor = Scales.ExposureFloor(expected ?? 0, options);
        var exposureComponent = ExposureComponent(floor, weightedScore, expected, options, explain);
        ImmutableArray<ComponentResult> components = weighted.Add(exposureComponent);

        var notes = new List<string>();
        if (carried is { } c)
        {
            notes.Add(Explain.Text(explain, $"no traffic reported in the last 7 days: exposure estimated from the last reported traffic, {Scales.Count(c.PerDay)} a day as of {DateOnly.FromDayNumber(c.LastDay):yyyy-MM-dd}, carried forward for up to {options.TrafficCarryForwardDays} days"));
        }
        else if (dailyInbound is null)
        {
            notes.Add(estimatedTraffic
                ? Explain.Text(explain, $"no traffic reported in the last 7 days: exposure estimated from nominal traffic of {Scales.Count(travellersPerDay!.Value)} a day ({NominalSourceText(context)})")
                : "no traffic reported in the last 7 days");
        }

        if (capacity.Day == int.MinValue)
        {
            notes.Add("port testing capacity never reported: assumed to be a half gap");
        }

        notes.AddRange(CaseRevision.Notes(ledger, day, explain));
        var quality = Scales.Quality(day, ledger.LastReportDay(day), false, ledger.Revised, false, options, notes, "case, traffic or capacity report of its own") with { Estimated = (estimatedTraffic || carried is not null) && exposure.Modelled is not null };

        // Insufficient only when nothing at all is known about the port's exposure: an estimated exposure is enough.
        var exposureKnown = expected is not null;
        if (quality.Stale && exposureKnown)
        {
            quality = quality with { Stale = false, Notes = quality.Notes.Add("no recent report of its own: scored from its exposure (its traffic, estimated, and its origin countries)") };
        }

        double? finalScore = quality.Stale ? null : Scales.Round(Math.Max(weightedScore, floor));
        var level = finalScore is { } s ? Scales.LevelOf(s, options) : RiskLevel.InsufficientData;
        (string Name, double? Value)[] metrics =
        [
            ("importedCases14d", imported14),
            ("importedPer10kInbound", per10k),
            ("inbound14d", inbound14),
            ("dailyInbound", dailyInbound),
            ("expectedInfectedArrivalsPerDay", expected),
            ("expectedFromIncidencePerDay", exposure.Modelled),
            ("expectedFromCasesFoundPerDay", exposure.Found),
            ("exposureFloor", floor),
            ("nominalInbound", context.NominalInbound),
            ("estimatedTraffic", estimatedTraffic || carried is not null ? 1 : 0),
            ("carriedInbound", carried?.PerDay),
            ("probabilityAtLeastOneInfectedArrival", probability),
            ("originCountryScore", originScore),
            ("capacityGap", gap),
            ("testsPerDay", capacity.TestsPerDay),
            ("testTurnaroundHours", capacity.TestTurnaroundHours),
            ("testKits", capacity.TestKits)
        ];
        TrafficEstimate? trafficEstimate = carried is { } last ? new(last.PerDay, last.LastDay)
            : estimatedTraffic ? new(travellersPerDay!.Value, null, context.NominalIsDefault)
            : null;
        return new Assessment(day, finalScore, level, components, metrics, null, quality) { ExposureFloor = floor, TrafficEstimate = trafficEstimate, EarlierImportedCases14d = EarlierImported(ledger, day, options) };
    }

    // The origin countries' scores weighted by their shares of the travellers; null when none of them has a score.
    private static double? OriginScore(ImmutableSortedDictionary<string, double> shares, PortContext context, int day)
    {
        var originScoreSum = 0.0;
        var originWeightSum = 0.0;
        foreach (var (country, share) in shares)
        {
            if (context.CountryOn(country, day) is { Score: { } score })
            {
                originScoreSum += share * score;
                originWeightSum += share;
            }
        }

        return originWeightSum > 0 ? originScoreSum / originWeightSum : null;
    }

    /// <summary>
    /// Expected infected arrivals a day, by origin the larger of two estimates: travellers × the origin's infectious
    /// prevalence (official incidence × ascertainment), and imported cases found from that origin in 14 days, per day,
    /// divided by the share of infected travellers that entry testing finds. The second is the evidence that official
    /// counts understate the prevalence among travellers; the explanation gives the prevalence it implies, against the
    /// travellers counted in the same 14 days (<paramref name="inbound14"/>, as the imported-cases component does), or,
    /// with none counted, 14 days of <paramref name="travellersPerDay"/>.
    /// </summary>
    public static PortExposure Exposure(SiteLedger ledger, int day, PortContext context, IReadOnlyDictionary<string, double> shares, double? travellersPerDay, ScoringOptions options, bool explain = true, long inbound14 = 0)
    {
        var found = FoundByOrigin(ledger, day, shares);
        double? expected = null;
        double? modelledTotal = null;
        double? foundTotal = null;
        string? leading = null;
        var leadingPart = -1.0;

        // Texts only when explained; without them a port's assessment (made on every change of the port or a country
        // it reads) keeps no list.
        List<string>? notes = explain ? [] : null;
        foreach (var country in OriginsInOrder(shares, found))
        {
            var value = context.CountryOn(country, day);
            var travellers = travellersPerDay * shares.GetValueOrDefault(country);
            double? modelled = value?.PrevalencePerPerson is { } prevalence && travellers is { } t ? t * prevalence : null;
            double? fromCases = found.TryGetValue(country, out var cases) && cases > 0 ? cases / 14.0 / options.ImportedCaseDetection : null;
            if (modelled is null && fromCases is null)
            {
                continue;
            }

            var part = Math.Max(modelled ?? 0, fromCases ?? 0);
            expected = (expected ?? 0) + part;
            if (modelled is { } m)
            {
                modelledTotal = (modelledTotal ?? 0) + m;
            }

            if (fromCases is { } f)
            {
                foundTotal = (foundTotal ?? 0) + f;
                // Cases found in 14 days are set against the travellers of the same 14 days: against today's daily
                // figure they gave a second, different "share found positive" wherever traffic had changed (try-out 5
                // P10: 45% of 60 a day beside 706 per 10,000 in the imported-cases sentence).
                var share = shares.GetValueOrDefault(country);
                var counted = inbound14 > 0;
                var travellers14 = counted ? inbound14 * share : travellers * 14;
                if (notes is not null && travellers14 is > 0)
                {
                    notes.Add(ImpliedPrevalenceText(country.Length == 0 ? "unknown origins" : context.CountryName(country), cases, travellers14.Value, counted, value?.PrevalencePerPerson, options.ImportedCaseDetection));
                }
            }

            if (part > leadingPart && country.Length > 0)
            {
                leadingPart = part;
                leading = country;
            }

            if (notes is not null && value?.Ascertainment is { } a && a != 1 && modelled is not null)
            {
                // Not "{name}'s": an ISO name may end in a parenthesis ("Bolivia (Plurinational State of)").
                notes.Add($"the official incidence of {context.CountryName(country)} is scaled by its ascertainment ×{Scales.Format(a)}");
            }
        }

        // One sentence per note after the import-pressure sentence, not one parenthesis of 400 characters (newcomer 7 F4).
        var explanation = notes is not { Count: > 0 } ? "" : Explain.Text(explain, $" {string.Join(" ", notes.Select(Sentence))}");
        return new PortExposure(Scales.Round(expected), Scales.Round(modelledTotal), Scales.Round(foundTotal), leading, explanation);
    }

    /// <summary>
    /// The highest infectious prevalence among travellers that an explanation states as a figure: 10%. Cases found ÷
    /// detection share ÷ travellers counted grows without bound as the traffic figure falls; beyond this it says more
    /// about a traffic figure that is too low (nominal, carried forward or under-reported) or entry testing that finds
    /// more than the detection share than about the travellers, and past 100% it is impossible. The number behind it,
    /// the infected arrivals the cases stand for, is not capped: it does not depend on the traffic figure.
    /// </summary>
    public const double StatedPrevalenceCeiling = 0.1;

    /// <summary>
    /// What the imported cases found from an origin imply about its travellers, in words: the infectious prevalence
    /// (share of the 14 days' travellers found positive ÷ detection share) per 100,000 and against the official figure
    /// while it is below <see cref="StatedPrevalenceCeiling"/>; above it, "more than" the ceiling, with the share of
    /// those travellers actually found positive and why the figure is not stated.
    /// </summary>
    /// <param name="origin">The origin country, or "unknown origins".</param>
    /// <param name="cases">Imported cases found from the origin in 14 days.</param>
    /// <param name="travellers14">Travellers from the origin in the same 14 days.</param>
    /// <param name="counted">True when <paramref name="travellers14"/> was counted (reported); false when it is 14 days of a nominal or carried-forward daily figure.</param>
    /// <param name="officialPrevalence">The origin's infectious prevalence from its official incidence, or null.</param>
    /// <param name="detection">The share of infected travellers entry testing finds.</param>
    public static string ImpliedPrevalenceText(string origin, double cases, double travellers14, bool counted, double? officialPrevalence, double detection)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(travellers14);
        var positive = cases / travellers14;
        var implied = positive / detection;
        var found = $"{Scales.Count(cases)} imported cases found from {origin} in 14 days";

        // Which figure: the prevalence the model takes from the origin's reported cases (×"the official figure" named none).
        var official = $"the prevalence estimated from the cases {origin} reports";
        if (implied < StatedPrevalenceCeiling)
        {
            return $"{found} imply {Scales.Count(implied * 100_000)} infectious per 100,000 travellers{(officialPrevalence is > 0 ? $", {Scales.Format(implied / officialPrevalence.Value)} times {official}" : "")}";
        }

        var ceiling = StatedPrevalenceCeiling.ToString("0%", CultureInfo.InvariantCulture);
        var travellers = $"{Scales.Count(travellers14)} travellers {(counted ? "counted in" : "assumed for")} those 14 days";
        var why = positive >= 1
            ? $"More cases were found than the {travellers}: the traffic figure is too low"
            : $"{Scales.Percent(positive * 100)}% of the {travellers} were found positive, so the traffic figure may be too low, or entry testing may find more than {Scales.Percent(detection * 100)}%";
        return $"{found} imply more than {ceiling} of travellers infectious{(officialPrevalence is > 0 ? $", over {Scales.Format(StatedPrevalenceCeiling / officialPrevalence.Value)} times {official}" : "")}. {why}";
    }

    /// <summary>The exposure floor as a component: weight 0, contributing the points by which it lifts the weighted sum.</summary>
    public static ComponentResult ExposureComponent(double floor, double weightedScore, double? expected, ScoringOptions options, bool explain = true)
    {
        var lift = ComponentResult.FloorLift(floor, weightedScore);
        var level = RiskNames.Words(Scales.LevelOf(floor, options));
        var explanation = expected is not > 0
            ? "No infected arrivals expected: exposure sets no floor."
            : lift > 0
                ? Explain.Text(explain, $"Exposure alone puts the port at {ScoreText.InSentence(floor)} ({level}): {ExpectedText(expected.Value)} expected infected arrivals a day (one a week is moderate, {Scales.Format(options.ExposureHighPerDay)} a day high, {Scales.Format(options.ExposureVeryHighPerDay)} a day very high), {Scales.Format(lift)} points above the weighted evidence.")
                : Explain.Text(explain, $"Exposure alone would put the port at {ScoreText.InSentence(floor)} ({level}); the weighted evidence already scores higher.");
        return ComponentResult.Floor("exposure", "score floor from expected infected arrivals", floor, weightedScore, explanation);
    }

    // The origins travellers come from and those cases were found from, each once, in ordinal order (a plain list: most
    // ports have one or two).
    private static List<string> OriginsInOrder(IReadOnlyDictionary<string, double> shares, IReadOnlyDictionary<string, double> found)
    {
        var origins = new List<string>(shares.Count + found.Count);
        origins.AddRange(shares.Keys);
        foreach (var origin in found.Keys)
        {
            if (!shares.ContainsKey(origin))
            {
                origins.Add(origin);
            }
        }

        origins.Sort(StringComparer.Ordinal);
        return origins;
    }

    private static IReadOnlyDictionary<string, double> FoundByOrigin(SiteLedger ledger, int day, IReadOnlyDictionary<string, double> shares)
    {
        // Made at the first imported case in the window: most ports' assessments find none.
        Dictionary<string, double>? found = null;
        double unattributed = 0;
        foreach (var record in ledger.Cases.ValuesOrEmpty())
        {
            if (record.Day > day - 14 && record.Day <= day && Array.IndexOf(Imported, record.Classification) >= 0)
            {
                if (record.Origin is { } origin)
                {
                    found ??= new(StringComparer.Ordinal);
                    found[origin] = found.GetValueOrDefault(origin) + record.Count;
                }
                else
                {
                    unattributed += record.Count;
                }
            }
        }

        // Cases of unknown origin are spread like the travellers; with no traffic picture they stay unattributed ("").
        if (unattributed > 0)
        {
            found ??= new(StringComparer.Ordinal);
            var total = shares.Values.Sum();
            if (total > 0)
            {
                foreach (var (country, share) in shares)
                {
                    found[country] = found.GetValueOrDefault(country) + (unattributed * share / total);
                }
            }
            else
            {
                found[""] = unattributed;
            }
        }

        return found ?? NoneFound;
    }

    /// <summary>
    /// The last reported traffic when none was reported in the last 7 days: the 7-day mean as of the last report,
    /// while that report is at most <see cref="ScoringOptions.TrafficCarryForwardDays"/> old; null otherwise.
    /// </summary>
    public static (double PerDay, int LastDay)? CarriedTraffic(SiteLedger ledger, int day, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        int? last = null;
        foreach (var record in ledger.Traffic.ValuesOrEmpty())
        {
            if (record.Day <= day && record.Day > day - options.TrafficCarryForwardDays && (last is null || record.Day > last))
            {
                last = record.Day;
            }
        }

        if (last is not { } lastDay)
        {
            return null;
        }

        var total = TrafficIn(ledger, lastDay - 7, lastDay, out var reportingDays);
        return reportingDays > 0 ? (total / (double)reportingDays, lastDay) : null;
    }

    private static string TravellersText(double? travellersPerDay, bool estimated, (double PerDay, int LastDay)? carried, PortContext context) => travellersPerDay switch
    {
        null => "No traffic known",
        { } t when carried is { } c => $"About {TravellersPerDay(t)} a day (last reported, as of {DateOnly.FromDayNumber(c.LastDay):yyyy-MM-dd}: no traffic reported in the last 7 days)",
        { } t when estimated => $"About {TravellersPerDay(t)} a day (nominal, {NominalSourceText(context)}: no traffic reported in the last 7 days)",
        { } t => $"About {TravellersPerDay(t)} a day",
    };

    // People, not fractions of them: an average of 81.43 a day reads "About 81 inbound travellers"; below 10 a day one
    // decimal keeps a trickle (0.4 a day) from reading as none; "1 inbound traveller", "1,200 inbound travellers".
    private static string TravellersPerDay(double perDay)
    {
        var count = perDay.ToString(perDay >= 10 ? "#,0" : "0.#", CultureInfo.InvariantCulture);
        return $"{count} inbound {(count == "1" ? "traveller" : "travellers")}";
    }

    // A note as a sentence of its own: capitalised, with a full stop.
    private static string Sentence(string note) =>
        note.Length == 0 ? note : $"{char.ToUpperInvariant(note[0])}{note[1..]}.";

    // A probability that rounds to 100% or 0% is not a certainty: "a 100% chance of at least one" overstated it.
    // Two significant digits below 0.01 a day, so a small expectation is never written "0" beside its chance (review 7 F5:
    // "expected infected arrivals 0 a day, so a 0.03% chance").
    private static string ExpectedText(double expected)
    {
        if (expected is <= 0 or >= 0.01 || double.IsNaN(expected))
        {
            return Scales.Format(expected);
        }

        var decimals = Math.Min(12, 1 - (int)Math.Floor(Math.Log10(expected)));
        return expected.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    private static string ChanceText(double probability) => (probability * 100) switch
    {
        >= 99.995 => "a near-certain chance (above 99.99%)",
        > 0 and < 0.005 => "a chance below 0.01%",
        >= 99.95 => "a near-certain chance (above 99.9%)",
        // "or more", not "above": this branch holds exactly 99.5 too (review 8 F8).
        >= 99.5 => "a near-certain chance (99.5% or more)",
        var percent => $"{Scales.Article(Scales.Percent(percent))} {Scales.Percent(percent)}% chance",
    };

    // Where the imported cases found set the expected arrivals, the figure and its chance are the fortnight's average,
    // and the headline says so: "a 96% chance of at least one" nine days after the last case read as today's chance
    // (newcomer 21a M2). Weighting recent days more would move every port's score and the replays' levels; the words
    // alone tell the analyst what the number is.
    private static string ExpectedHeadline(SiteLedger ledger, int day, PortExposure exposure, double expected, double probability) =>
        SetByCasesFound(exposure)
            ? $"Expected infected arrivals {ExpectedText(expected)} a day on the 14-day average, so {ChanceText(probability)} of at least one on an average day of those 14"
            : $"Expected infected arrivals {ExpectedText(expected)} a day, so {ChanceText(probability)} of at least one";

    private static bool SetByCasesFound(PortExposure exposure) => exposure.Found is { } found && found > (exposure.Modelled ?? 0);

    // How long the port has gone without finding an imported case, when the fortnight's average rests on cases found
    // and the last is two days old or more (yesterday's is the ordinary reporting lag).
    private static string SinceLastCaseText(SiteLedger ledger, int day, PortExposure exposure)
    {
        if (!SetByCasesFound(exposure))
        {
            return "";
        }

        for (var last = day; last > day - 14; last--)
        {
            if (ledger.CasesIn(last - 1, last, Imported) > 0)
            {
                return day - last >= 2 ? $"; no imported case found in the last {day - last} days (the last on {DateOnly.FromDayNumber(last):yyyy-MM-dd})" : "";
            }
        }

        return "";
    }

    // Infected arrivals the cases found stand for are a 14-day average that does not scale with today's traffic: said
    // so where they set the figure, or "50.4 a day" beside "60 travellers a day" reads as 84% of them infected.
    private static string FromCasesFoundText(PortExposure exposure, double? travellersPerDay) =>
        exposure.Found is { } found && found > (exposure.Modelled ?? 0) && travellersPerDay is > 0
            ? "; the expected arrivals are the 14-day average the imported cases found stand for, not a share of today's traffic"
            : "";

    private static string NominalSourceText(PortContext context) =>
        context.NominalIsDefault ? "the default for its kind of port" : "the topology's figure for this port";

    /// <summary>
    /// Share of travellers by origin: from the latest traffic report with origins in the last 14 days; travellers it
    /// does not attribute, or all of them when no report names origins, are split evenly over the faced countries.
    /// </summary>
    public static ImmutableSortedDictionary<string, double> OriginShares(SiteLedger ledger, int day, ImmutableArray<string> faces)
    {
        // The latest report with origins in the window: highest day, then highest sequence (one pass, no sort).
        TrafficRecord? latest = null;
        foreach (var t in ledger.Traffic.ValuesOrEmpty())
        {
            if (t.Day <= day && t.Day > day - 14 && t.Origins is { Count: > 0 } && t.Inbound > 0
                && (latest is null || t.Day > latest.Day || (t.Day == latest.Day && t.Seq > latest.Seq)))
            {
                latest = t;
            }
        }

        var shares = ImmutableSortedDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
        var attributed = 0.0;
        if (latest is not null)
        {
            foreach (var (country, travellers) in latest.Origins!)
            {
                var share = travellers / (double)latest.Inbound;
                shares[country] = share;
                attributed += share;
            }
        }

        var rest = latest is null ? 1.0 : Math.Max(0, 1 - attributed);
        var faced = faces.IsDefault ? [] : faces;
        if (rest > 1e-9 && faced.Length > 0)
        {
            foreach (var country in faced)
            {
                shares[country] = shares.GetValueOrDefault(country) + (rest / faced.Length);
            }
        }

        return shares.ToImmutable();
    }

    /// <summary>
    /// The port's testing capacity gap, the mean of what is known: tests a day against inbound travellers a day,
    /// turnaround hours between good and bad, and kits in days of cover. Unknown counts as a half gap, an assumption
    /// (<c>Assumed</c> true), said as one: the "Port testing gap" is the port's, not the city's laboratories.
    /// </summary>
    public static (double Gap, string Explanation, bool Assumed) CapacityGap(CapacityRecord capacity, double? dailyInbound, ScoringOptions options, bool explain = true)
    {
        var gaps = new Scales.GapMean(explain);
        if (capacity.TestsPerDay is { } tests && dailyInbound is > 0)
        {
            var coverage = tests / dailyInbound.Value;
            gaps.Add(1 - Math.Min(1, coverage), Explain.Text(explain, $"{Scales.Counted(tests, "test", "tests")} a day for {Scales.Counted(dailyInbound.Value, "inbound traveller", "inbound travellers")} ({CoverText(coverage)})"));
        }

        if (capacity.TestTurnaroundHours is { } hours)
        {
            var gap = Scales.Unit((hours - options.GoodTurnaroundHours) / (options.BadTurnaroundHours - options.GoodTurnaroundHours));
            gaps.Add(gap, Explain.Text(explain, $"results in {Scales.Format(hours)} hours"));
        }

        if (capacity.TestKits is { } kits)
        {
            var perDay = capacity.TestsPerDay ?? dailyInbound ?? 0;
            if (perDay > 0)
            {
                var cover = kits / perDay;
                gaps.Add(1 - Math.Min(1, cover / options.KitCoverDaysTarget), Explain.Text(explain, $"test kits for {Scales.Format(cover)} days"));
            }
        }

        if (gaps.Count == 0)
        {
            return (options.UnknownCapacityGap, "Port testing capacity unknown (not reported, or no traffic to compare it with): assumed to be a half gap, not a reported shortfall.", true);
        }

        var mean = gaps.Mean;
        return (mean, Explain.Text(explain, $"Port testing gap {Scales.Format(mean)}: {gaps.JoinedTexts()}."), false);
    }

    // Past full cover a percentage reads oddly (and was once capped at a misleading 999%): say how many times over.
    private static string CoverText(double coverage)
    {
        var times = Scales.Format(coverage);
        return coverage < 1 ? $"{Scales.Percent(coverage * 100)}% covered"
            : times == "1" ? "all covered" : $"all covered, capacity {times} times the inbound";
    }

    private static long TrafficIn(SiteLedger ledger, int fromExclusive, int toInclusive, out int reportingDays)
    {
        long total = 0;

        // The windows read are a week or two: the days that reported are bits of one word, not a set to allocate.
        var span = (long)toInclusive - fromExclusive;
        HashSet<int>? days = span > 64 ? [] : null;
        ulong reported = 0;
        foreach (var record in ledger.Traffic.ValuesOrEmpty())
        {
            if (record.Day > fromExclusive && record.Day <= toInclusive)
            {
                total += record.Inbound;
                if (days is null)
                {
                    reported |= 1UL << (record.Day - fromExclusive - 1);
                }
                else
                {
                    days.Add(record.Day);
                }
            }
        }

        reportingDays = days?.Count ?? System.Numerics.BitOperations.PopCount(reported);
        return total;
    }

    private static string OriginNote(SiteLedger ledger, int day, PortContext context)
    {
        var byOrigin = ledger.Cases.ValuesOrEmpty()
            .Where(r => r.Day > day - 14 && r.Day <= day && Array.IndexOf(Imported, r.Classification) >= 0 && r.Origin is not null)
            .GroupBy(r => r.Origin!)
            .Select(g => (Origin: g.Key, Count: g.Sum(r => r.Count)))
            .OrderByDescending(g => g.Count)
            .ToList();
        return byOrigin.Count == 0 ? "" : $", from {string.Join(", ", byOrigin.Select(g => $"{context.CountryName(g.Origin)} ({Scales.Count(g.Count)})"))}";
    }
}
