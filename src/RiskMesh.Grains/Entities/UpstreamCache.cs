using System.Collections.Immutable;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// Per-day values of the upstream entities an entity reads (its origin countries for a port, its ports for a city):
/// pulled on demand for the days a read needs, forgotten from a day on when the upstream entity says it changed.
/// </summary>
public sealed class UpstreamCache
{
    private readonly Dictionary<string, Dictionary<int, UpstreamValue>> _values = new(StringComparer.Ordinal);

    /// <summary>Increases whenever a value may have changed; lets callers cache what they derive.</summary>
    public long Version { get; private set; }

    /// <summary>A cached value of a source on a day, or null.</summary>
    public UpstreamValue? On(string source, int day) =>
        _values.TryGetValue(source, out var days) && days.TryGetValue(day, out var value) ? value : null;

    /// <summary>Pulls, for each source, the days of the range not cached yet (one call per source).</summary>
    public async Task EnsureAsync(IEnumerable<string> sources, int fromDay, int toDay, Func<string, int, int, Task<ImmutableArray<UpstreamDay>>> pull)
    {
        foreach (var source in sources)
        {
            var days = DaysOf(source);
            var missingFrom = fromDay;
            while (missingFrom <= toDay && days.ContainsKey(missingFrom))
            {
                missingFrom++;
            }

            if (missingFrom > toDay)
            {
                continue;
            }

            var missingTo = toDay;
            while (missingTo > missingFrom && days.ContainsKey(missingTo))
            {
                missingTo--;
            }

            foreach (var value in await pull(source, missingFrom, missingTo))
            {
                days[value.DayNumber] = FromUpstream(value);
            }

            Version++;
        }
    }

    /// <summary>
    /// Forgets a source's values from a day on and records today's; true when today's value changed, which is all an
    /// entity's own today depends on (so an unchanged today need not travel further downstream).
    /// </summary>
    public bool Invalidate(string source, int fromDay, UpstreamDay today)
    {
        var before = On(source, today.DayNumber);
        var days = DaysOf(source);
        foreach (var day in days.Keys.Where(d => d >= fromDay).ToList())
        {
            days.Remove(day);
        }

        var value = FromUpstream(today);
        days[today.DayNumber] = value;
        Version++;
        return before != value;
    }

    /// <summary>What downstream entities keep of an upstream day.</summary>
    public static UpstreamValue FromUpstream(UpstreamDay day) =>
        new(day.Score, RiskNames.ParseLevel(day.Level), day.PrevalencePerPerson, day.ImportedCases14d, day.Ascertainment, day.ExposureFloor);

    /// <summary>What an entity hands downstream of its assessment of a day.</summary>
    public static UpstreamDay ToUpstream(Assessment assessment) =>
        new(assessment.Day, assessment.Score, RiskNames.Of(assessment.Level), assessment.PrevalencePerPerson, assessment.Metrics.GetValueOrDefault("importedCases14d"), assessment.Ascertainment, assessment.ExposureFloor);

    private Dictionary<int, UpstreamValue> DaysOf(string source)
    {
        if (!_values.TryGetValue(source, out var days))
        {
            days = [];
            _values[source] = days;
        }

        return days;
    }
}
