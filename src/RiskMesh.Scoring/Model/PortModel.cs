using System.Collections.Immutable;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>What a port's assessment needs beyond its own ledger.</summary>
/// <param name="Faces">Countries the port faces, from the topology.</param>
/// <param name="CountryOn">An origin country's value on a day, or null when unknown.</param>
public sealed record PortContext(ImmutableArray<string> Faces, Func<string, int, UpstreamValue?> CountryOn);

/// <summary>The port risk model: imported cases, import pressure, origin countries, capacity gap, intelligence.</summary>
public static class PortModel
{
    private static readonly CaseClassification[] Imported = [CaseClassification.ImportedConfirmed, CaseClassification.ImportedAsymptomatic];

    /// <summary>The countries whose risk flows into the port: those it faces and those travellers came from.</summary>
    public static ImmutableSortedSet<string> OriginCountries(SiteLedger ledger, ImmutableArray<string> faces)
    {
        var builder = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        builder.UnionWith(faces.IsDefault ? [] : faces);
        foreach (var traffic in ledger.Traffic.Values)
        {
            if (traffic.Origins is not null)
            {
                builder.UnionWith(traffic.Origins.Keys);
            }
        }

        foreach (var record in ledger.Cases.Values)
        {
            if (record.Origin is not null)
            {
                builder.Add(record.Origin);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Assesses a port on a day, with the week's trend.</summary>
    public static (Assessment Assessment, Trend Trend) AssessWithTrend(SiteLedger ledger, int day, PortContext context, ScoringOptions options)
    {
        var assessment = Assess(ledger, day, context, options);
        var week = Enumerable.Range(0, 7).Select(i => i == 6 ? assessment.Score : Assess(ledger, day - 6 + i, context, options).Score).ToList();
        return (assessment, Scales.TrendOf(week, options));
    }

    /// <summary>Assesses a port on a day.</summary>
    public static Assessment Assess(SiteLedger ledger, int day, PortContext context, ScoringOptions options)
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
                : $"{imported14} imported cases found in the 14 days to {date:yyyy-MM-dd}{(per10k is { } r ? $" ({Scales.Format(r)} per 10,000 inbound travellers)" : "")}{OriginNote(ledger, day)}.");

        var shares = OriginShares(ledger, day, context.Faces);
        double? expected = null;
        var originScoreSum = 0.0;
        var originWeightSum = 0.0;
        string? leadingOrigin = null;
        var leadingExpected = 0.0;
        foreach (var (country, share) in shares)
        {
            if (context.CountryOn(country, day) is not { } value)
            {
                continue;
            }

            if (value.PrevalencePerPerson is { } prevalence && dailyInbound is { } travellers)
            {
                var part = travellers * share * prevalence;
                expected = (expected ?? 0) + part;
                if (part > leadingExpected)
                {
                    leadingExpected = part;
                    leadingOrigin = country;
                }
            }

            if (value.Score is { } score)
            {
                originScoreSum += share * score;
                originWeightSum += share;
            }
        }

        double? probability = expected is { } e ? 1 - Math.Exp(-e) : null;
        var pressureComponent = new ComponentResult(
            "importPressure",
            Scales.Round(expected),
            "expected infected arrivals a day",
            Scales.Round(probability ?? 0),
            options.PortPressureWeight,
            expected is { } x
                ? $"About {Scales.Format(dailyInbound ?? 0)} inbound travellers a day; expected infected arrivals {Scales.Format(x)} a day, so a {Scales.Format((probability ?? 0) * 100)}% chance of at least one{(leadingOrigin is null ? "" : $", mostly from {leadingOrigin}")}."
                : dailyInbound is null ? "Import pressure unknown: no traffic reported in the last 7 days." : "Import pressure unknown: origin countries' incidence unknown.");

        double? originScore = originWeightSum > 0 ? originScoreSum / originWeightSum : null;
        var originComponent = new ComponentResult(
            "originCountries",
            Scales.Round(originScore),
            "traffic-weighted country score",
            Scales.Round((originScore ?? 0) / 100),
            options.PortOriginWeight,
            originScore is { } os
                ? $"Travellers come from {string.Join(", ", shares.Select(s => $"{s.Key} ({Scales.Format(s.Value * 100)}%)"))}; their weighted country score is {Scales.Format(os)}."
                : "Origin countries' scores unknown.");

        var capacity = ledger.CapacityAsOf(day);
        var (gap, gapText) = CapacityGap(capacity, dailyInbound, options);
        var capacityComponent = new ComponentResult("capacityGap", Scales.Round(gap), "0 = enough, 1 = none", Scales.Round(gap), options.PortCapacityWeight, gapText);
        var intelComponent = Scales.IntelComponent(ledger.Intel.Values, day, options.PortIntelWeight, options);
        ImmutableArray<ComponentResult> components = [importedComponent, pressureComponent, originComponent, capacityComponent, intelComponent];

        var notes = new List<string>();
        if (dailyInbound is null)
        {
            notes.Add("no traffic reported in the last 7 days");
        }

        if (capacity.Day == int.MinValue)
        {
            notes.Add("testing capacity never reported: counted as a half gap");
        }

        var quality = Scales.Quality(day, ledger.LastReportDay(day), false, ledger.Revised, false, options, notes);
        double? finalScore = quality.Stale ? null : Scales.ScoreOf(components);
        var level = finalScore is { } s ? Scales.LevelOf(s, options) : RiskLevel.InsufficientData;
        var metrics = Scales.Metrics(
            ("importedCases14d", imported14),
            ("importedPer10kInbound", per10k),
            ("inbound14d", inbound14),
            ("dailyInbound", dailyInbound),
            ("expectedInfectedArrivalsPerDay", expected),
            ("probabilityAtLeastOneInfectedArrival", probability),
            ("originCountryScore", originScore),
            ("capacityGap", gap),
            ("testsPerDay", capacity.TestsPerDay),
            ("testTurnaroundHours", capacity.TestTurnaroundHours),
            ("testKits", capacity.TestKits));
        return new Assessment(day, finalScore, level, components, metrics, null, quality);
    }

    /// <summary>
    /// Share of travellers by origin: from the latest traffic report with origins in the last 14 days; travellers it
    /// does not attribute, or all of them when no report names origins, are split evenly over the faced countries.
    /// </summary>
    public static ImmutableSortedDictionary<string, double> OriginShares(SiteLedger ledger, int day, ImmutableArray<string> faces)
    {
        var latest = ledger.Traffic.Values
            .Where(t => t.Day <= day && t.Day > day - 14 && t.Origins is { Count: > 0 } && t.Inbound > 0)
            .OrderByDescending(t => t.Day)
            .ThenByDescending(t => t.Seq)
            .FirstOrDefault();
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
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

        return shares.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// The port's testing capacity gap, the mean of what is known: tests a day against inbound travellers a day,
    /// turnaround hours between good and bad, and kits in days of cover. Unknown counts as a half gap.
    /// </summary>
    public static (double Gap, string Explanation) CapacityGap(CapacityRecord capacity, double? dailyInbound, ScoringOptions options)
    {
        var parts = new List<(double Gap, string Text)>();
        if (capacity.TestsPerDay is { } tests && dailyInbound is > 0)
        {
            var coverage = tests / dailyInbound.Value;
            parts.Add((1 - Math.Min(1, coverage), $"{Scales.Format(tests)} tests a day for {Scales.Format(dailyInbound.Value)} inbound travellers ({Scales.Format(Math.Min(coverage, 9.99) * 100)}% covered)"));
        }

        if (capacity.TestTurnaroundHours is { } hours)
        {
            var gap = Scales.Unit((hours - options.GoodTurnaroundHours) / (options.BadTurnaroundHours - options.GoodTurnaroundHours));
            parts.Add((gap, $"results in {Scales.Format(hours)} hours"));
        }

        if (capacity.TestKits is { } kits)
        {
            var perDay = capacity.TestsPerDay ?? dailyInbound ?? 0;
            if (perDay > 0)
            {
                var cover = kits / perDay;
                parts.Add((1 - Math.Min(1, cover / options.KitCoverDaysTarget), $"test kits for {Scales.Format(cover)} days"));
            }
        }

        if (parts.Count == 0)
        {
            return (options.UnknownCapacityGap, "Testing capacity unknown (not reported, or no traffic to compare it with): counted as a half gap.");
        }

        var mean = parts.Average(p => p.Gap);
        return (mean, $"Testing capacity gap {Scales.Format(mean)}: {string.Join("; ", parts.Select(p => p.Text))}.");
    }

    private static long TrafficIn(SiteLedger ledger, int fromExclusive, int toInclusive, out int reportingDays)
    {
        long total = 0;
        var days = new HashSet<int>();
        foreach (var record in ledger.Traffic.Values)
        {
            if (record.Day > fromExclusive && record.Day <= toInclusive)
            {
                total += record.Inbound;
                days.Add(record.Day);
            }
        }

        reportingDays = days.Count;
        return total;
    }

    private static string OriginNote(SiteLedger ledger, int day)
    {
        var byOrigin = ledger.Cases.Values
            .Where(r => r.Day > day - 14 && r.Day <= day && Array.IndexOf(Imported, r.Classification) >= 0 && r.Origin is not null)
            .GroupBy(r => r.Origin!)
            .Select(g => (Origin: g.Key, Count: g.Sum(r => r.Count)))
            .OrderByDescending(g => g.Count)
            .ToList();
        return byOrigin.Count == 0 ? "" : $", from {string.Join(", ", byOrigin.Select(g => $"{g.Origin} ({g.Count})"))}";
    }
}
