using System.Collections.Immutable;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Replays countries' case series day by day through the pure models, as the grains chain them: country → port → city
/// → the city's plan. Each day sees only what is dated on or before it.
/// </summary>
internal sealed class BorderReplay(ScoringOptions options)
{
    private readonly Dictionary<string, Dictionary<int, UpstreamValue>> _countries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<int, Assessment>> _countryAssessments = new(StringComparer.Ordinal);

    public ScoringOptions Options { get; } = options;

    /// <summary>A cumulative daily series (optionally with tests) as country-cases events.</summary>
    public static IEnumerable<RiskEvent> CumulativeFeed(string country, DateOnly first, IReadOnlyList<double> newCases, Func<int, long?>? tests = null)
    {
        long cumulative = 0;
        for (var i = 0; i < newCases.Count; i++)
        {
            var n = (long)Math.Round(newCases[i]);
            cumulative += n;
            var t = tests?.Invoke(i);
            yield return new CountryCasesEvent
            {
                Id = $"{country}-{i}",
                Source = "jhu-like",
                Date = first.AddDays(i),
                Country = country,
                CumulativeCases = cumulative,
                Tests = t,
                Positivity = t is > 0 ? Math.Min(1, n / (double)t.Value) : null,
            };
        }
    }

    /// <summary>Folds a country's feed and assesses it for every day of the range.</summary>
    public void AddCountry(string code, long population, IEnumerable<RiskEvent> feed, int fromDay, int toDay)
    {
        var ledger = new CountryLedger();
        long seq = 0;
        foreach (var e in feed)
        {
            ledger.Apply(e, ++seq);
        }

        var series = CountrySeries.Prepare(ledger);
        var values = new Dictionary<int, UpstreamValue>();
        var assessments = new Dictionary<int, Assessment>();
        for (var day = fromDay; day <= toDay; day++)
        {
            var a = CountryModel.Assess(series, day, population, Options);
            assessments[day] = a;
            values[day] = new UpstreamValue(a.Score, a.Level, a.PrevalencePerPerson, null, a.Ascertainment);
        }

        _countries[code] = values;
        _countryAssessments[code] = assessments;
    }

    public Assessment Country(string code, int day) => _countryAssessments[code][day];

    public UpstreamValue? CountryOn(string code, int day) =>
        _countries.TryGetValue(code, out var days) && days.TryGetValue(day, out var v) ? v : null;

    /// <summary>A port's assessments for every day of the range.</summary>
    public Dictionary<int, Assessment> Port(SiteLedger ledger, ImmutableArray<string> faces, double nominal, int fromDay, int toDay)
    {
        var context = new PortContext(faces, CountryOn, nominal);
        var result = new Dictionary<int, Assessment>();
        for (var day = fromDay; day <= toDay; day++)
        {
            result[day] = PortModel.Assess(ledger, day, context, Options);
        }

        return result;
    }

    public static UpstreamValue ToUpstream(Assessment a) =>
        new(a.Score, a.Level, a.PrevalencePerPerson, a.Metrics.GetValueOrDefault("importedCases14d"), a.Ascertainment, a.ExposureFloor, EarlierImportedCases14d: a.EarlierImportedCases14d);

    /// <summary>
    /// A city's assessments, its plan's level changes and its port-above-city notices for every day of the range, as
    /// the city issues them: a port's rise above the city (<c>Rose</c>), and a port told above it stepping down to a
    /// lower level still above it (not <c>Rose</c>).
    /// </summary>
    public (Dictionary<int, Assessment> Days, List<LevelChange> Changes, List<(int Day, string Port, int Level, bool Rose)> PortNotices) City(
        SiteLedger ledger,
        long population,
        IReadOnlyDictionary<string, Dictionary<int, Assessment>> ports,
        int fromDay,
        int toDay,
        ResponsePlan? plan = null)
    {
        plan ??= ResponsePlan.Default;
        var context = new CityContext(population, day => ports.Select(p => (p.Key, ToUpstream(p.Value[day]))));
        var days = new Dictionary<int, Assessment>();
        var changes = new List<LevelChange>();
        var portNotices = new List<(int, string, int, bool)>();
        var state = new EscalationState();
        for (var day = fromDay; day <= toDay; day++)
        {
            var a = CityModel.Assess(ledger, day, context, Options);
            days[day] = a;
            if (EscalationPolicy.Evaluate(state, plan, day, a.Score) is { } change)
            {
                changes.Add(change);
            }

            foreach (var (port, level) in EscalationPolicy.PortsAboveCity(state, plan, day, ports.Select(p => (p.Key, p.Value[day].Score))))
            {
                portNotices.Add((day, port, level, true));
            }

            foreach (var (port, level, _) in EscalationPolicy.PortsSteppedDownAboveCity(state))
            {
                portNotices.Add((day, port, level, false));
            }

            // A port back at or below the city's level is told too, by a notice of its own kind (no port-above-city
            // notice): only its mark is cleared here, as the city clears it.
            EscalationPolicy.PortsNoLongerAboveCity(state);
        }

        return (days, changes, portNotices);
    }
}
