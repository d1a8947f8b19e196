using System.Collections.Immutable;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>Builds port and city ledgers and their upstream values from plain numbers.</summary>
internal static class Sites
{
    public static readonly DateOnly Start = new(2020, 3, 1);

    public static int Day(int offset) => Start.AddDays(offset).DayNumber;

    public static SiteLedger Ledger(params RiskEvent[] events)
    {
        var ledger = new SiteLedger();
        long seq = 0;
        foreach (var e in events)
        {
            ledger.Apply(e, ++seq);
        }

        return ledger;
    }

    public static CaseEvent Case(int offset, int count, CaseClassification classification, string? origin = null, string location = "port:p", string source = "feed") => new()
    {
        Id = $"case-{offset}-{classification}-{origin}-{count}-{source}",
        Source = source,
        Date = Start.AddDays(offset),
        Location = location,
        Count = count,
        Classification = classification,
        Origin = origin,
    };

    public static TrafficEvent Traffic(int offset, long inbound, IDictionary<string, long>? origins = null, string source = "feed") => new()
    {
        Id = $"traffic-{offset}-{inbound}-{source}",
        Source = source,
        Date = Start.AddDays(offset),
        Port = "p",
        Inbound = inbound,
        Origins = origins?.ToImmutableSortedDictionary(StringComparer.Ordinal),
    };

    public static CapacityEvent Capacity(
        int offset,
        string subject = "port:p",
        double? testsPerDay = null,
        double? turnaround = null,
        double? kits = null,
        double? labs = null,
        double? technicians = null,
        double? beds = null,
        double? ascertainment = null,
        string source = "feed") => new()
        {
            Id = $"capacity-{offset}-{subject}-{source}-{testsPerDay}-{turnaround}-{kits}-{labs}-{technicians}-{beds}-{ascertainment}",
            Source = source,
            Date = Start.AddDays(offset),
            Subject = subject,
            TestsPerDay = testsPerDay,
            TestTurnaroundHours = turnaround,
            TestKits = kits,
            Labs = labs,
            Technicians = technicians,
            IsolationBeds = beds,
            AscertainmentFactor = ascertainment,
        };

    public static IntelEvent Intel(int offset, int severity, double confidence, string subject = "port:p", string id = "i1") => new()
    {
        Id = id,
        Date = Start.AddDays(offset),
        Subject = subject,
        Severity = severity,
        Confidence = confidence,
        Category = "outbreak",
        Summary = "cluster across the border",
    };

    /// <summary>Countries whose value is the same every day.</summary>
    public static Func<string, int, UpstreamValue?> Countries(params (string Code, double? Score, double? Prevalence)[] countries)
    {
        var map = countries.ToDictionary(c => c.Code, c => new UpstreamValue(c.Score, c.Score is { } s ? Scales.LevelOf(s, ScoringOptions.Default) : RiskLevel.InsufficientData, c.Prevalence));
        return (code, _) => map.TryGetValue(code, out var v) ? v : null;
    }

    public static PortContext Port(Func<string, int, UpstreamValue?> countries, double? nominal = null, bool nominalIsDefault = false, params string[] faces) =>
        new([.. faces.Length == 0 ? ["RU"] : faces], countries, nominal, nominalIsDefault);

    public static Assessment AssessPort(SiteLedger ledger, int offset, PortContext context, ScoringOptions? options = null) =>
        PortModel.Assess(ledger, Day(offset), context, options ?? ScoringOptions.Default);

    public static ComponentResult Component(this Assessment assessment, string name) => assessment.Components.Single(c => c.Name == name);

    public static double Metric(this Assessment assessment, string name) => assessment.Metrics[name]!.Value;

    /// <summary>The exposure floor computed independently of the code under test, from its documented definition.</summary>
    public static double Floor(double expected)
    {
        const double m = 1.0 / 7;
        return expected <= 0 ? 0
            : expected < m ? 25 * expected / m
            : expected < 1 ? 25 + (25 * Math.Log(expected / m) / Math.Log(1 / m))
            : expected < 5 ? 50 + (25 * Math.Log(expected) / Math.Log(5))
            : 75 + (25 * Math.Min(1, Math.Log(expected / 5) / Math.Log(10)));
    }
}
