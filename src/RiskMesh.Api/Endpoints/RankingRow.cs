using System.Collections.Immutable;
using System.Text.Json.Serialization;
using RiskMesh.Abstractions;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// A row of <c>GET /api/v1/rankings</c>: the ranking's entry with its data quality in words (the ranking keeps it as
/// bits), so a reader tells a score resting on reports from one resting on estimates and defaults.
/// </summary>
/// <param name="Id">The entity's id.</param>
/// <param name="Kind">country, port or city.</param>
/// <param name="Name">The entity's name.</param>
/// <param name="Score">The score, null with insufficient data.</param>
/// <param name="Level">The score band.</param>
/// <param name="Trend">rising, steady, falling or unknown.</param>
/// <param name="ResponseLevel">For a city: the level of its plan in force today; absent for countries and ports.</param>
/// <param name="DataQuality">
/// What the score rests on besides the entity's own reports, most serious first: <c>stale</c> (no score) or
/// <c>no-recent-report</c>, <c>estimated</c> (nominal or carried-forward traffic, its own or its ports'),
/// <c>capacity-not-reported</c> (its capacity gap assumed to be a half gap), <c>assumed</c> (another component
/// assumed); empty when the score rests on reports. The entity's view (<c>dataQuality</c>) words each.
/// </param>
public sealed record RankingRow(
    string Id,
    string Kind,
    string Name,
    double? Score,
    string Level,
    string Trend,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ResponseLevel,
    ImmutableArray<string> DataQuality)
{
    /// <summary>The row of a ranking entry.</summary>
    public static RankingRow Of(RankingEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Id, entry.Kind, entry.Name, entry.Score, entry.Level, entry.Trend, entry.ResponseLevel, RankingDataQualities.Codes(entry.DataQuality ?? RankingDataQuality.None));
    }
}
