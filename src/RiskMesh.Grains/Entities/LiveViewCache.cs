using RiskMesh.Abstractions;
using ScoringTopology = RiskMesh.Scoring.Topology.Topology;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// An entity's current view, kept while nothing it was computed from moved (the ledger, the upstream values, the day,
/// the topology), and what the entity last told its ranking, so an unchanged standing is not reported again.
/// </summary>
internal sealed class LiveViewCache
{
    private (long Ledger, long Upstream, int Day, ScoringTopology Topology, RiskView View)? _view;
    private (double? Score, string Level, int Day)? _lastRanked;

    /// <summary>The kept view when it was computed from exactly these inputs, else null.</summary>
    public RiskView? Get(long ledgerVersion, long upstreamVersion, int day, ScoringTopology topology) =>
        _view is { } kept && kept.Ledger == ledgerVersion && kept.Upstream == upstreamVersion && kept.Day == day && ReferenceEquals(kept.Topology, topology)
            ? kept.View
            : null;

    /// <summary>Keeps a view computed from these inputs; true when the ranking should hear of it (its standing moved).</summary>
    public bool Keep(long ledgerVersion, long upstreamVersion, int day, ScoringTopology topology, RiskView view)
    {
        _view = (ledgerVersion, upstreamVersion, day, topology, view);
        if (_lastRanked is { } last && last.Score == view.Score && last.Level == view.Level && last.Day == day)
        {
            return false;
        }

        _lastRanked = (view.Score, view.Level, day);
        return true;
    }

    /// <summary>The ranking was told the entity changed: the next view is reported whatever it says.</summary>
    public void RankingMarkedStale() => _lastRanked = null;
}
