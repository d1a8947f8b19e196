using System.Globalization;
using RiskMesh.Cli.Http;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Output;

/// <summary>
/// What changed in an entity's view since an earlier day (<c>explain … --since</c>): the score, score band and
/// response level then and now, each component's value and points on both days with the difference, the components
/// that moved most first, then why, in the explanations of both days. "What changed since yesterday?" is an analyst's
/// first question in a crisis, and two explanations read side by side by hand answered it (newcomer 17 F4).
/// </summary>
internal static class ViewChangeWriter
{
    /// <summary>Writes <paramref name="now"/> against <paramref name="then"/>, the view as known at the end of an earlier day.</summary>
    public static void Write(TextWriter writer, RiskViewDto now, RiskViewDto then)
    {
        var thenDay = Format.Date(then.AsOf);
        var nowDay = Format.Date(now.AsOf);
        writer.WriteLine($"{now.Name} ({now.Kind} {now.Id}) as of {nowDay}, against what RiskMesh said at the end of {thenDay}");
        writer.WriteLine($"score {Format.Score(now.Score)} now, {Format.Score(then.Score)} on {thenDay} ({Change(now.Score, then.Score)})");
        if (BoundaryNote(now, then) is { } boundary)
        {
            writer.WriteLine(boundary);
        }

        writer.WriteLine(Moved("score band", Format.Band(then.Level), Format.Band(now.Level), thenDay));
        writer.WriteLine(Moved("trend", then.Trend, now.Trend, thenDay));
        if (now.Response is { } response)
        {
            var before = then.Response is { } r ? ResponseLevelWording.Of(r.Level, r.Name) : "—";
            var after = ResponseLevelWording.Of(response.Level, response.Name);
            // The level in force now, with when it began and can step down, says "as on" when it stood the same then.
            writer.WriteLine(before == after
                ? $"{RiskViewWriter.ResponseLine(response)}; as on {thenDay}"
                : $"{Moved("response", before, after, thenDay)}, in force{(response.Since is { } since ? " since " + Format.Date(since) : "")}{(response.DwellUntil is { } until ? "; can step down from " + Format.Date(until) : "")}");
        }

        var rows = Rows(now, then);
        // Points first, as the rows are ordered by them; the unit, often long, last, so it pushes no figure aside.
        var table = new Table("component", $"points {thenDay}", $"points {nowDay}", "change", $"value {thenDay}", $"value {nowDay}", "unit");
        table.RightAligned.UnionWith([1, 2, 3, 4, 5]);
        foreach (var row in rows)
        {
            table.Add(
                Format.Component(row.Name, now.Kind),
                Points(row.Then),
                Points(row.Now),
                Signed(row.Delta),
                Value(row.Then),
                Value(row.Now),
                row.Now?.Unit ?? row.Then?.Unit);
        }

        writer.WriteLine();
        writer.WriteLine("components, the most moved first:");
        table.Write(writer);
        writer.WriteLine($"{"total",-12} {Format.Score(then.Score)} → {Format.Score(now.Score)} points ({Change(now.Score, then.Score)})");

        var moved = rows.Where(r => r.Moved).ToList();
        writer.WriteLine();
        if (moved.Count == 0)
        {
            writer.WriteLine($"no component moved since {thenDay}.");
        }

        foreach (var row in moved)
        {
            writer.WriteLine($"{Format.Component(row.Name, now.Kind)} ({Signed(row.Delta)} points):");
            writer.WriteLine($"  {nowDay}: {row.Now?.Explanation ?? "(not part of the score)"}");
            writer.WriteLine($"  {thenDay}: {row.Then?.Explanation ?? "(not part of the score)"}");
        }

        var still = rows.Where(r => !r.Moved).Select(r => Format.Component(r.Name, now.Kind)).ToList();
        if (still.Count > 0 && moved.Count > 0)
        {
            writer.WriteLine($"unchanged: {string.Join(", ", still)}");
        }

        writer.WriteLine();
        writer.WriteLine(Quality(now.DataQuality, then.DataQuality, thenDay));
    }

    /// <summary>One component on both days; a component one day lacks is null there.</summary>
    internal sealed record ComponentChange(string Name, ComponentDto? Then, ComponentDto? Now)
    {
        /// <summary>The change in points (contribution).</summary>
        public double Delta => (Now?.Contribution ?? 0) - (Then?.Contribution ?? 0);

        /// <summary>Whether anything the table shows differs: its points, its value, or whether it is there at all.</summary>
        public bool Moved => Math.Round(Delta, 2) != 0 || Now?.Value != Then?.Value || (Now is null) != (Then is null);
    }

    /// <summary>Every component of either day, the largest change in points first, then the largest change in value; ties keep today's order.</summary>
    internal static List<ComponentChange> Rows(RiskViewDto now, RiskViewDto then)
    {
        var nowComponents = now.Components ?? [];
        var thenComponents = then.Components ?? [];
        var names = nowComponents.Select(c => c.Name).Concat(thenComponents.Select(c => c.Name)).Distinct(StringComparer.Ordinal).ToList();
        return [.. names
            .Select((name, order) => (Order: order, Row: new ComponentChange(
                name,
                thenComponents.FirstOrDefault(c => c.Name == name),
                nowComponents.FirstOrDefault(c => c.Name == name))))
            .OrderByDescending(x => Math.Round(Math.Abs(x.Row.Delta), 2))
            .ThenByDescending(x => Math.Abs((x.Row.Now?.Normalized ?? 0) - (x.Row.Then?.Normalized ?? 0)))
            .ThenBy(x => x.Order)
            .Select(x => x.Row)];
    }

    // A city's score jumps when its highest floor crosses a band boundary (newcomer 21a M1): said beside the score's change.
    // The bands are the default ones; a silo with other thresholds would be told at its own boundaries by its own view.
    private static string? BoundaryNote(RiskViewDto now, RiskViewDto then) =>
        now.Kind == "city" ? FloorBoundary.Describe(HighestFloor(then), then.Metrics?.GetValueOrDefault(CityMetricKeys.WeightedScore), HighestFloor(now), now.Metrics?.GetValueOrDefault(CityMetricKeys.WeightedScore), ScoringOptions.Default) : null;

    private static double? HighestFloor(RiskViewDto view) =>
        view.Metrics is { } metrics
            ? new[] { CityMetricKeys.ExposureFloor, CityMetricKeys.ArrivalsFloor, CityMetricKeys.IncidenceFloor }.Max(key => metrics.GetValueOrDefault(key))
            : null;

    // "score band moderate, as on 2020-04-29" or "score band high on 2020-04-29 → moderate now".
    private static string Moved(string what, string before, string after, string thenDay) =>
        before == after ? $"{what} {after}, as on {thenDay}" : $"{what} {before} on {thenDay} → {after} now";

    private static string Value(ComponentDto? component) => component is null
        ? "—"
        : Format.IsPer100kUnit(component.Unit) ? Format.Per100k(component.Value) : Format.Number(component.Value);

    private static string Points(ComponentDto? component) => component is null ? "—" : Format.Number(component.Contribution);

    /// <summary>A change with its sign, two decimals as points are read ("+1.25", "-4.80", "0").</summary>
    internal static string Signed(double delta) =>
        Math.Round(delta, 2) == 0 ? "0" : delta.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);

    // The score's change, or what happened when one side has none.
    private static string Change(double? now, double? then) => (now, then) switch
    {
        ({ } n, { } t) => Math.Round(n - t, 1) == 0 ? "unchanged" : (n - t).ToString("+0.0;-0.0", CultureInfo.InvariantCulture),
        ({ }, null) => "scored now, no score then",
        (null, { }) => "no score now",
        _ => "no score either day",
    };

    private static string Quality(DataQualityDto? now, DataQualityDto? then, string thenDay)
    {
        var nowFlags = now?.SetFlags() ?? [];
        var thenFlags = then?.SetFlags() ?? [];
        var raised = nowFlags.Except(thenFlags).ToList();
        var cleared = thenFlags.Except(nowFlags).ToList();
        // Flags in the words 'explain' prints without --since, never their codes (newcomer 24b L3).
        string Now(string flag) => RiskViewWriter.Describe(flag, now?.DaysSinceLastReport);
        string Then(string flag) => RiskViewWriter.Describe(flag, then?.DaysSinceLastReport);
        if (raised.Count == 0 && cleared.Count == 0)
        {
            return nowFlags.Count == 0 ? $"data quality: no flags, as on {thenDay}" : $"data quality: {string.Join(", ", nowFlags.Select(Now))}, as on {thenDay}";
        }

        var parts = raised.Select(f => Now(f) + " (new)").Concat(cleared.Select(f => Then(f) + $" (cleared since {thenDay})"));
        return $"data quality: {string.Join(", ", parts)} ('explain' without --since gives the notes)";
    }
}
