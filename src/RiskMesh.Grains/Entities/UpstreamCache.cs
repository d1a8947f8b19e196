using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// Per-day values of the upstream entities an entity reads (its origin countries for a port, its ports for a city):
/// pulled on demand for the days a read needs, forgotten from a day on when the upstream entity says it changed.
/// </summary>
internal sealed class UpstreamCache
{
    // A pull that keeps meeting invalidations gives up after this many tries: the days it could not keep stay
    // missing (read as no value) and are pulled again by the next read, never cached stale.
    private const int MaxPullsPerSource = 4;

    // Sources are few (a city's ports, a port's origin countries): an array searched in order costs less memory than
    // a dictionary, and the collections below are made only when first needed (about 100,000 entities hold one each).
    private (string Source, UpstreamWindow Days)[] _sources = [];
    private List<(string Source, long Stamp, int FromDay)>? _invalidatedWhilePulling;
    private long _invalidations;

    // The topology the cached values were gathered under (a silo keeps one instance per topology version).
    private object? _topology;

    /// <summary>Increases whenever a value may have changed; lets callers cache what they derive.</summary>
    public long Version { get; private set; }

    /// <summary>
    /// Forgets every cached value when the topology in force is not the one they were gathered under: an upstream
    /// entity tells only the entities downstream of it in the topology it knows, so a port that left this city and came
    /// back (or was removed and added again) may have changed meanwhile without telling it.
    /// </summary>
    public void Follow(object topology)
    {
        if (ReferenceEquals(_topology, topology))
        {
            return;
        }

        if (_topology is not null)
        {
            _sources = [];
            Version++;
            _invalidations++;
        }

        _topology = topology;
    }

    /// <summary>A cached value of a source on a day, or null.</summary>
    public UpstreamValue? On(string source, int day) => Find(source)?.On(day);

    /// <summary>
    /// Pulls, for each source, the days of the range not cached yet (one call per source). A pull may interleave with
    /// an invalidation of the same source (upstream reads are interleaving calls): its answer may then predate the
    /// change, so only its days before the invalidation's first day are kept and the rest is pulled again.
    /// </summary>
    public async Task EnsureAsync(IEnumerable<string> sources, int fromDay, int toDay, Func<string, int, int, Task<ImmutableArray<UpstreamDay>>> pull)
    {
        foreach (var source in sources)
        {
            for (var attempt = 0; attempt < MaxPullsPerSource && MissingRange(source, fromDay, toDay) is var (missingFrom, missingTo); attempt++)
            {
                var started = _invalidations;
                var days = DaysOf(source);
                days.PullsInFlight++;
                ImmutableArray<UpstreamDay> pulled;
                int keepBefore;
                try
                {
                    pulled = await pull(source, missingFrom, missingTo);
                    keepBefore = InvalidatedSince(source, started);
                }
                finally
                {
                    EndPull(source, days);
                }

                days.Cover(missingFrom, Math.Min(missingTo, keepBefore - 1));
                foreach (var value in pulled)
                {
                    if (value.DayNumber < keepBefore)
                    {
                        days.Set(value.DayNumber, FromUpstream(value));
                    }
                }

                Version++;
            }
        }
    }

    /// <summary>
    /// Forgets a source's values from a day on and records today's; true when today's value changed (the entity's own
    /// today then changed too). Earlier days may have changed either way: downstream caches must forget them as well.
    /// </summary>
    public bool Invalidate(string source, int fromDay, UpstreamDay today)
    {
        var before = On(source, today.DayNumber);
        var days = DaysOf(source);
        days.ForgetFrom(fromDay);
        var value = FromUpstream(today);
        days.Set(today.DayNumber, value);
        Version++;
        _invalidations++;
        if (days.PullsInFlight > 0)
        {
            (_invalidatedWhilePulling ??= []).Add((source, _invalidations, fromDay));
        }

        return before != value;
    }

    /// <summary>What downstream entities keep of an upstream day.</summary>
    public static UpstreamValue FromUpstream(UpstreamDay day) =>
        new(
            day.Score,
            RiskNames.ParseLevel(day.Level),
            day.PrevalencePerPerson,
            day.ImportedCases14d,
            day.Ascertainment,
            day.ExposureFloor,
            day.Estimated,
            day.Estimated && day.EstimatedInbound is { } perDay ? new TrafficEstimate(perDay, day.CarriedFromDay, day.NominalIsDefault) : null,
            day.EarlierImportedCases14d);

    /// <summary>
    /// What an entity hands downstream of its assessment of a day; a port's estimated traffic only when its score is
    /// flagged estimated (otherwise the city never names it, and equal values stay equal).
    /// </summary>
    public static UpstreamDay ToUpstream(Assessment assessment) =>
        ToUpstream(
            assessment.Day,
            new UpstreamValue(
                assessment.Score,
                assessment.Level,
                assessment.PrevalencePerPerson,
                assessment.MetricOrNull("importedCases14d"),
                assessment.Ascertainment,
                assessment.ExposureFloor,
                assessment.Quality.Estimated,
                assessment.Quality.Estimated ? assessment.TrafficEstimate : null,
                assessment.EarlierImportedCases14d));

    /// <summary>The day handed downstream of an entity's numbers (a port's estimate given only when its score is flagged estimated).</summary>
    public static UpstreamDay ToUpstream(int day, UpstreamValue value) =>
        new(day, value.Score, RiskNames.Of(value.Level), value.PrevalencePerPerson, value.ImportedCases14d, value.Ascertainment, value.ExposureFloor, value.Estimated)
        {
            EstimatedInbound = value.TrafficEstimate?.PerDay,
            CarriedFromDay = value.TrafficEstimate?.CarriedFromDay,
            NominalIsDefault = value.TrafficEstimate?.NominalIsDefault ?? false,
            EarlierImportedCases14d = value.EarlierImportedCases14d,
        };

    private (int From, int To)? MissingRange(string source, int fromDay, int toDay)
    {
        var days = Find(source);
        var missingFrom = fromDay;
        while (missingFrom <= toDay && days is not null && days.Contains(missingFrom))
        {
            missingFrom++;
        }

        if (missingFrom > toDay)
        {
            return null;
        }

        var missingTo = toDay;
        while (missingTo > missingFrom && days is not null && days.Contains(missingTo))
        {
            missingTo--;
        }

        return (missingFrom, missingTo);
    }

    // The first day invalidated for a source since a stamp (int.MaxValue when none was).
    private int InvalidatedSince(string source, long stamp)
    {
        var first = int.MaxValue;
        foreach (var (invalidated, at, fromDay) in _invalidatedWhilePulling ?? [])
        {
            if (at > stamp && string.Equals(invalidated, source, StringComparison.Ordinal))
            {
                first = Math.Min(first, fromDay);
            }
        }

        return first;
    }

    private void EndPull(string source, UpstreamWindow days)
    {
        if (--days.PullsInFlight > 0 || _invalidatedWhilePulling is null)
        {
            return;
        }

        // Nothing pulls this source any more, so nobody needs its invalidations.
        _invalidatedWhilePulling.RemoveAll(i => string.Equals(i.Source, source, StringComparison.Ordinal));
        if (_invalidatedWhilePulling.Count == 0)
        {
            _invalidatedWhilePulling = null;
        }
    }

    private UpstreamWindow? Find(string source)
    {
        foreach (var (known, days) in _sources)
        {
            if (string.Equals(known, source, StringComparison.Ordinal))
            {
                return days;
            }
        }

        return null;
    }

    private UpstreamWindow DaysOf(string source)
    {
        if (Find(source) is { } days)
        {
            return days;
        }

        days = new UpstreamWindow();
        _sources = [.. _sources, (source, days)];
        return days;
    }
}
