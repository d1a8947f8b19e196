using System.Collections.Immutable;
using System.Text.Json.Serialization;
using RiskMesh.Abstractions;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// A row of <c>GET /api/v1/rankings</c>: the ranking's entry with its data quality in words (the ranking keeps it as
/// bits), so a reader tells a score resting on reports from one resting on estimates and defaults.
/// </summary>
/// <param name="Id">The entity's id.</param>
/// <param name="Kind">country, port, city or province.</param>
/// <param name="Name">The entity's name.</param>
/// <param name="Score">The score, null with insufficient data.</param>
/// <param name="Level">The score band.</param>
/// <param name="Trend">The score's trend: rising, steady, falling or unknown.</param>
/// <param name="ResponseLevel">For a city: the level of its plan in force today; absent for countries and ports.</param>
/// <param name="DataQuality">
/// What the score rests on besides the entity's own reports, most serious first. For a row with a score: the view's
/// own <c>dataQuality</c> flags among <c>no-recent-report</c> and <c>estimated</c> (nominal or carried-forward traffic,
/// its own or its ports'), then <c>capacity-not-reported</c> (its <c>capacityGap</c> component assumed, a half gap)
/// and <c>assumed</c> (another component assumed): these two are not among the view's flags but its components'
/// <c>assumed</c>. Empty when the score rests on reports. A row without a score says <c>stale</c> when its view does,
/// and nothing else: there is no score to rest on anything.
/// </param>
/// <param name="Cases7d">
/// For a country: its cases in the last 7 days, beside <paramref name="CasesPrevious7d"/>, so a score falling because
/// growth slowed is not read as cases falling; absent for ports, cities and a country without both weeks of reports.
/// </param>
/// <param name="CasesPrevious7d">For a country: its cases in the 7 days before those.</param>
/// <param name="CasesThrough">
/// For a country whose last case report is older than the ranking's day: the day its two weeks end on, that report's
/// (a country whose feed paused reads the weeks to its last report, not to today); absent when they end on the ranking's
/// day, and without them.
/// </param>
/// <param name="HighestCity">
/// For a province: the id of its riskiest city, whose score, band, trend and data quality are the province's (a province
/// is as risky as its riskiest city); absent for other kinds and for a province without a scored city.
/// </param>
public sealed record RankingRow(
    string Id,
    string Kind,
    string Name,
    double? Score,
    string Level,
    string Trend,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ResponseLevel,
    ImmutableArray<string> DataQuality,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Cases7d = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CasesPrevious7d = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateOnly? CasesThrough = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? HighestCity = null)
{
    /// <summary>The row of a ranking entry.</summary>
    public static RankingRow Of(RankingEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Id, entry.Kind, entry.Name, entry.Score, entry.Level, entry.Trend, entry.ResponseLevel, RankingDataQualities.Codes(RankingDataQualities.Settled(entry.DataQuality ?? RankingDataQuality.None, entry.Score is not null)), entry.Cases7d, entry.CasesPrevious7d, entry.CasesThrough, entry.HighestCity);
    }
}
