using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>Turns the pure model's assessments into the serializable views the API returns.</summary>
internal static class ViewMapper
{
    /// <summary>
    /// One point a day from <paramref name="first"/> to <paramref name="last"/>: assessed from
    /// <paramref name="rawFirst"/> on, taken from the archive before it (a day the archive lacks is left out).
    /// </summary>
    public static ImmutableArray<HistoryPointView> ToHistory(int first, int last, int rawFirst, IReadOnlyDictionary<int, HistoryPoint>? archive, Func<int, Assessment> assess)
    {
        var points = ImmutableArray.CreateBuilder<HistoryPointView>(last - first + 1);
        for (var day = first; day <= last; day++)
        {
            if (day >= rawFirst)
            {
                points.Add(ToPoint(day, HistoryPoint.Of(assess(day))));
            }
            else if (archive is not null && archive.TryGetValue(day, out var archived))
            {
                points.Add(ToPoint(day, archived));
            }
        }

        return points.ToImmutable();
    }

    // From the metrics the view shows beside it, so the reason and the figures always agree.
    private static string? EcdcGreyReason(IReadOnlyDictionary<string, double?> metrics) =>
        ReferenceClassifications.EcdcGreyReason(metrics.GetValueOrDefault("incidence14dPer100k"), metrics.GetValueOrDefault("positivity7d"), metrics.GetValueOrDefault("testsPer100k7d"));

    /// <summary>Maps an assessment.</summary>
    public static RiskView ToView(string id, EntityKind kind, string name, Assessment assessment, Trend trend) => new(
        id,
        EntityRef.Prefix(kind),
        name,
        assessment.Date,
        assessment.Score,
        RiskNames.Of(assessment.Level),
        RiskNames.Of(trend),
        [.. assessment.Components.Select(ToView)],
        MetricValues.From(assessment.Metrics),
        assessment.Classifications is { } k ? new ClassificationsView(k.Ecdc, k.CdcThn) { EcdcGreyReason = EcdcGreyReason(assessment.Metrics) } : null,
        new DataQualityView(
            assessment.Quality.Stale,
            assessment.Quality.DaysSinceLastReport,
            assessment.Quality.FlatSeries,
            assessment.Quality.Revised,
            assessment.Quality.MissingPopulation,
            assessment.Quality.Notes,
            assessment.Quality.Estimated,
            assessment.Quality.NoRecentReport))
    {
        CasesThrough = assessment.CasesThrough is { } through ? DateOnly.FromDayNumber(through) : null,
    };

    /// <summary>Maps a component.</summary>
    public static RiskComponentView ToView(ComponentResult c) => new(c.Name, c.Value, c.Unit, c.Normalized, c.Weight, c.Contribution, c.Explanation) { Assumed = c.Assumed };

    /// <summary>Maps a day's history point.</summary>
    /// <remarks>
    /// A grey day says why, as the entity's view does: the point holds the same metrics (review 23 F10: the view said
    /// "no testing data" and its history only "grey"). Only beside a grey day: a point archived by an older model may
    /// lack a metric the reason reads, and must not be given a reason its classification does not have.
    /// </remarks>
    public static HistoryPointView ToPoint(int day, HistoryPoint point) => new(
        DateOnly.FromDayNumber(day),
        point.Score,
        RiskNames.Of(point.Level),
        point.Metrics.ToImmutableDictionary(),
        point.Ecdc is { } ecdc && point.CdcThn is { } cdc ? new ClassificationsView(ecdc, cdc) { EcdcGreyReason = ecdc == "grey" ? EcdcGreyReason(point.Metrics) : null } : null);
}
