using RiskMesh.Cli.Http;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Output;

/// <summary>Writes an entity's view: the compact summary of <c>get</c> and the full explanation of <c>explain</c>.</summary>
internal static class RiskViewWriter
{
    /// <summary>
    /// What the metrics whose names alone mislead count, as the console says it: a city's importedCases14d 0 stood
    /// beside importedHosted14d 24 with no word why (try-out 6 F13).
    /// </summary>
    private static readonly Dictionary<string, Dictionary<string, string>> MetricNotes = new(StringComparer.Ordinal)
    {
        ["city"] = new(StringComparer.Ordinal)
        {
            ["importedCases14d"] = "imported cases found in the city itself (not at its ports), 14 days",
            ["importedHosted14d"] = "imported cases found at its ports or in the city and isolated here, 14 days (the importedCases component)",
            ["localCases14d"] = "locally acquired confirmed cases, 14 days",
        },
        ["port"] = new(StringComparer.Ordinal)
        {
            ["importedCases14d"] = "imported cases found at this port, 14 days",
            ["dailyInbound"] = "travellers a day reported, 7-day mean",
            ["carriedInbound"] = "last reported traffic carried forward (no report in the last 7 days)",
            ["nominalInbound"] = "the topology's ordinary-day figure, used when nothing is reported or carried",
        },
    };

    /// <summary>Score, level, trend, classifications, key metrics and data-quality warnings.</summary>
    public static void Summary(TextWriter writer, RiskViewDto view)
    {
        Headline(writer, view);
        if (view.Classifications is { } c)
        {
            writer.WriteLine($"classifications: ecdc {c.Ecdc ?? "—"}{GreyReason(c)}, cdc-thn {c.CdcThn ?? "—"}");
        }

        var metrics = (view.Metrics ?? []).Where(m => m.Value is not null).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
        if (metrics.Count > 0)
        {
            var notes = MetricNotes.GetValueOrDefault(view.Kind) ?? [];
            var table = notes.Count > 0 ? new Table("metric", "value", "counts") : new Table("metric", "value");
            table.RightAligned.Add(1);
            foreach (var (name, value) in metrics)
            {
                table.Add(name, Format.IsPer100kMetric(name) ? Format.Per100k(value) : Format.Number(value), notes.GetValueOrDefault(name));
            }

            table.Write(writer);
        }

        Quality(writer, view.DataQuality, brief: true);
    }

    // Why the ECDC classification is grey, as the API says it: " (no testing data: …)"; empty for any other colour.
    private static string GreyReason(ClassificationsDto classes) => classes.EcdcGreyReason is { Length: > 0 } why ? $" ({why})" : "";

    /// <summary>Every component with its value, normalised value, weight, contribution and explanation; then quality notes.</summary>
    public static void Explain(TextWriter writer, RiskViewDto view)
    {
        Headline(writer, view);
        var components = view.Components ?? [];
        var table = new Table("component", "value", "unit", "normalized", "weight", "contribution");
        table.RightAligned.UnionWith([1, 3, 4, 5]);
        foreach (var c in components)
        {
            table.Add(Format.Component(c.Name, view.Kind), Format.IsPer100kUnit(c.Unit) ? Format.Per100k(c.Value) : Format.Number(c.Value), c.Unit, c.Normalized.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), Format.Weight(c.Weight), Format.Number(c.Contribution));
        }

        writer.WriteLine();
        table.Write(writer);
        // The total is the score itself: a sum of contributions, each rounded by the API, can differ from it in the
        // last digit (42.9 against 43.0), and the score is what the level and notices are based on. Without a score
        // there is no total: "total 0.0 points" under "score —" read as a score of zero (newcomer 23a L6).
        writer.WriteLine(view.Score is { } score
            ? $"{"total",-12} {Format.Score(score)} points"
            : $"{"total",-12} — (no score: the contributions are not summed when data is insufficient)");
        writer.WriteLine();
        foreach (var c in components.Where(c => !string.IsNullOrWhiteSpace(c.Explanation)))
        {
            writer.WriteLine($"{Format.Component(c.Name, view.Kind)}: {c.Explanation}");
        }

        if (view.Classifications is { } classes)
        {
            writer.WriteLine();
            writer.WriteLine($"classifications: ecdc {classes.Ecdc ?? "—"}{GreyReason(classes)} (EU 2020/1475), cdc-thn {classes.CdcThn ?? "—"} (CDC travel health notice)");
        }

        if (view.Response is { Actions.Count: > 0 } inForce)
        {
            writer.WriteLine();
            writer.WriteLine($"actions of response {ResponseLevelWording.Of(inForce.Level, inForce.Name)}:");
            foreach (var action in inForce.Actions)
            {
                writer.WriteLine($"  - {action}");
            }

            if (inForce.ContinuedActions is { Count: > 0 } continued)
            {
                writer.WriteLine("continued from the plan's lower levels:");
                foreach (var action in continued)
                {
                    writer.WriteLine($"  - {action}");
                }
            }
        }

        writer.WriteLine();
        Quality(writer, view.DataQuality, brief: false);
    }

    private static void Headline(TextWriter writer, RiskViewDto view)
    {
        writer.WriteLine($"{view.Name} ({view.Kind} {view.Id}) as of {Format.Date(view.AsOf)}");
        // The view's level is the score band; "level" alone names a response level ("level 4 (very high)").
        // A country's score falls when its growth slows, while its cases may still grow: the cases' own direction
        // beside the score's (newcomer 19, L16).
        var cases = view.Kind == "country"
            && view.Metrics?.GetValueOrDefault(CountryMetrics.Growth7d) is not null
            && view.Metrics.GetValueOrDefault(CountryMetrics.Cases7d) is { } last
            && view.Metrics.GetValueOrDefault(CountryMetrics.Cases14d) is { } fortnight
            ? $"  cases 7d {Format.CasesWeeks(last, fortnight - last)} on the 7 before"
            : "";
        writer.WriteLine($"score {Format.Score(view.Score)}  score band {Format.Band(view.Level)}  trend {view.Trend}{cases}");
        if (view.Response is { } response)
        {
            // The score band and the plan's level in force differ by design (hysteresis, dwell): a city whose score
            // reads moderate can still be at level 4, and the CLI must not leave an analyst to think otherwise.
            writer.WriteLine(ResponseLine(response));
        }
    }

    /// <summary>"response level 4 (very high) in force since 2020-04-16; can step down from 2020-05-01".</summary>
    internal static string ResponseLine(ResponseLevelDto response)
    {
        var since = response.Since is { } day ? $" since {Format.Date(day)}" : "";
        var dwell = response.DwellUntil is { } until ? $"; can step down from {Format.Date(until)}" : "";
        return $"response {ResponseLevelWording.Of(response.Level, response.Name)} in force{since}{dwell}";
    }

    private static void Quality(TextWriter writer, DataQualityDto? quality, bool brief)
    {
        if (quality is null)
        {
            return;
        }

        var flags = quality.SetFlags().Select(flag => Describe(flag, quality.DaysSinceLastReport)).ToList();
        var notes = quality.Notes ?? [];
        if (brief)
        {
            if (flags.Count > 0)
            {
                writer.WriteLine($"data quality: {string.Join(", ", flags)}");
            }

            return;
        }

        // "no flags" only when there is nothing to say at all: a note (data estimated, no recent report) is never
        // printed under a line that calls the data clean.
        var headline = flags.Count > 0 ? string.Join(", ", flags) : notes.Count > 0 ? "see notes" : "no flags";
        writer.WriteLine($"data quality: {headline}");
        foreach (var note in notes)
        {
            writer.WriteLine($"  - {note}");
        }
    }

    /// <summary>A flag in words; the report age beside the flags that are about it (also <c>explain --since</c>'s words).</summary>
    internal static string Describe(string flag, int? daysSinceLastReport) => flag switch
    {
        "stale" => daysSinceLastReport is { } days ? $"stale ({days} days since the last report)" : "stale (no report)",
        "no-recent-report" when daysSinceLastReport is { } days => $"no recent report of its own ({days} days since the last; the notes say which reports count)",
        _ => flag.Replace('-', ' '),
    };
}
