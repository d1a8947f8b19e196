using RiskMesh.Abstractions;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// An entity's current view as its JSON, kept while nothing it was computed from moved (the ledger, the upstream
/// values, the day, the topology, the response level in force), and what the entity last told its ranking, so an
/// unchanged standing is not reported again.
/// </summary>
/// <remarks>
/// Only the UTF-8 JSON is kept, not the <see cref="RiskView"/> it was written from: every active entity holds one, and
/// the object (components with their explanations as UTF-16 strings, metrics, data quality) cost as much again as its
/// JSON, about 2.3 KB an entity. A caller that wants the object gets one assessed anew.
/// </remarks>
internal sealed class LiveViewCache
{
    private (long Ledger, long Upstream, int Day, Topology Topology, ResponseLevelView? Response, RiskViewJson Json)? _view;
    private (double? Score, string Level, RankingDataQuality Quality, int Day)? _lastRanked;

    /// <summary>The kept JSON when its view was computed from exactly these inputs, else null.</summary>
    public RiskViewJson? Get(long ledgerVersion, long upstreamVersion, int day, Topology topology, ResponseLevelView? response) =>
        _view is { } kept && kept.Ledger == ledgerVersion && kept.Upstream == upstreamVersion && kept.Day == day && ReferenceEquals(kept.Topology, topology)
        && (response is null ? kept.Response is null : response.SameAs(kept.Response))
            ? kept.Json
            : null;

    /// <summary>
    /// Keeps the JSON of a view computed from these inputs (its response level is the view's own) and returns it;
    /// <paramref name="reportRanking"/> is true when the ranking should hear of the view (its standing moved).
    /// </summary>
    public RiskViewJson Keep(long ledgerVersion, long upstreamVersion, int day, Topology topology, RiskView view, out bool reportRanking)
    {
        ArgumentNullException.ThrowIfNull(view);
        var json = RiskViewJson.Of(view);
        _view = (ledgerVersion, upstreamVersion, day, topology, view.Response, json);
        // A score that stays while what it rests on changes (a first traffic report replacing the nominal figure with
        // the same one) is reported too: the ranking marks scores resting on defaults.
        var quality = RankingDataQualities.Of(view);
        if (_lastRanked is { } last && last.Score == view.Score && last.Level == view.Level && last.Quality == quality && last.Day == day)
        {
            reportRanking = false;
            return json;
        }

        _lastRanked = (view.Score, view.Level, quality, day);
        reportRanking = true;
        return json;
    }

    /// <summary>The ranking was told the entity changed: the next view is reported whatever it says.</summary>
    public void RankingMarkedStale() => _lastRanked = null;
}
