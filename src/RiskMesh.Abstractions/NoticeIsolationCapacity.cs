using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Abstractions;

/// <summary>
/// A city short of isolation capacity on a day, by the rule its capacity answer and the assistance ranking tell the
/// province to dispatch isolation beds and medical materials (<see cref="AssistanceModel.CityIsolationShortfall"/>):
/// Ruili, 463 cases to isolate against 30 isolation beds, read only of testing in its notices (newcomer 24a, H1).
/// </summary>
/// <param name="CasesToIsolate">Cases to isolate in 14 days (local, asymptomatic and imported hosted, or the severe cases if more).</param>
/// <param name="Beds">Isolation beds reported, or null when none were.</param>
/// <param name="BedsShort">Beds missing: against the cases to isolate when they overload the beds, else against the per-capita target.</param>
/// <param name="Reason">The figures as the capacity answer words them.</param>
/// <param name="Brief">The figures in a few words: "463 cases to isolate in 14 days against 30 isolation beds, 433 beds short".</param>
/// <param name="Scope">Who is recommended to provide the beds and materials: <c>province</c>, as in the capacity answer.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.IsolationCapacity")]
public sealed record IsolationCapacity(double CasesToIsolate, double? Beds, int BedsShort, string Reason, string Brief, string Scope)
{
    /// <summary>The line people read; computed, not stored.</summary>
    public string Line => $"Short of isolation capacity: {Reason.TrimEnd('.')}. The {Scope} is recommended to {AssistanceActions.DispatchBeds}.";

    /// <summary>From a city's assessment (its metrics of the day); null when the city is not short.</summary>
    public static IsolationCapacity? OfCity(Assessment assessment, AssistanceOptions options, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var population = assessment.MetricOrNull(CityMetricKeys.Population) is > 0 and var p ? (long)p : (long?)null;
        var shortfall = AssistanceModel.CityIsolationShortfall(
            population,
            assessment.MetricOrNull(CityMetricKeys.IsolationBeds),
            assessment.MetricOrNull(CityMetricKeys.LocalCases14d) ?? 0,
            assessment.MetricOrNull(CityMetricKeys.Asymptomatic14d) ?? 0,
            assessment.MetricOrNull(CityMetricKeys.ImportedHosted14d) ?? 0,
            assessment.MetricOrNull(CityMetricKeys.Severe14d) ?? 0,
            options,
            scoring);
        return shortfall is null ? null : new IsolationCapacity(shortfall.CasesToIsolate, shortfall.Beds, shortfall.BedsShort, shortfall.Reason, shortfall.Brief, AssistanceScopes.Province);
    }
}
