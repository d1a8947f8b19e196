using System.Collections.Immutable;
using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Abstractions;

/// <summary>
/// Where a city stood on testing capacity on a day: its capacity-gap component and the risk model's explanation of it
/// (the figures <c>explain</c> shows), and whether its laboratories or technicians fall short by the rule the
/// assistance ranking uses to tell the province to dispatch testing kits and technicians. A plan's actions follow its
/// level alone; this says whether its requests for kits and technicians are pressing for this city.
/// </summary>
/// <param name="Gap">The capacity-gap component's value (0 = enough, 1 = none): laboratories, technicians and isolation beds against their targets.</param>
/// <param name="Explanation">The component's explanation, as the risk model words it ("Capacity gap 0.71: 0 laboratories …").</param>
/// <param name="Standing"><c>short</c>, <c>near-target</c>, <c>meets-target</c>, <c>partly-measured</c> or <c>not-measured</c> (see the constants).</param>
/// <param name="Shortfalls">For <c>short</c>: each of laboratories and technicians whose gap reaches the assistance threshold, with what is missing, as the assistance ranking words it; otherwise empty.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.TestingCapacity")]
public sealed record TestingCapacity(double? Gap, string Explanation, string Standing, ImmutableArray<string> Shortfalls)
{
    /// <summary>Laboratories or technicians fall short of their target by at least the assistance threshold.</summary>
    public const string Short = "short";

    /// <summary>
    /// Both are reported, neither falls that short, and at least one is below its target: within the assistance
    /// threshold's margin below it (<see cref="AtTarget"/> names the one, if any, at or above its target).
    /// </summary>
    public const string NearTarget = "near-target";

    /// <summary>
    /// Both are reported and at or above their targets (newcomer 15: Suifenhe with 3 laboratories against a target of 2
    /// and 40 technicians per 100,000 against 10 read "near target"). A value of its own rather than a changed
    /// <see cref="NearTarget"/>, whose meaning clients already act on.
    /// </summary>
    public const string MeetsTarget = "meets-target";

    /// <summary>One of them is reported and does not fall that short; the other is not reported (<see cref="Unmeasured"/>).</summary>
    public const string PartlyMeasured = "partly-measured";

    /// <summary>Neither laboratories nor technicians are reported (or the city has no population): nobody can say.</summary>
    public const string NotMeasured = "not-measured";

    /// <summary>
    /// Which of <c>laboratories</c> and <c>technicians</c> could not be measured (not reported) beside a measured one:
    /// for <see cref="PartlyMeasured"/>, and for <see cref="Short"/> when the other is unknown; absent otherwise (review 14:
    /// five laboratories and no technicians reported read "laboratories and technicians near target").
    /// </summary>
    [Id(4), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<string> Unmeasured { get; init; }

    /// <summary>
    /// Which of <c>laboratories</c> and <c>technicians</c> are measured at or above their targets, for
    /// <see cref="MeetsTarget"/> (both), <see cref="NearTarget"/> (the one not below it) and <see cref="PartlyMeasured"/>;
    /// absent when none is, and on notices issued before it was kept, which read "near target" as they did.
    /// </summary>
    [Id(5), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public ImmutableArray<string> AtTarget { get; init; }

    /// <summary>The line people read (<see cref="NoticeWording.TestingCapacityLine"/>); computed, not stored.</summary>
    public string Line => NoticeWording.TestingCapacityLine(this);

    /// <summary>From a city's assessment with its explanations; null when it has no explained capacity-gap component.</summary>
    public static TestingCapacity? OfCity(Assessment assessment, AssistanceOptions options, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var component = assessment.Components.FirstOrDefault(c => c.Name == ComponentName);
        return component is null ? null : Of(component.Value, component.Explanation, Population(assessment.MetricOrNull(CityMetricKeys.Population)), assessment.MetricOrNull(CityMetricKeys.Labs), assessment.MetricOrNull(CityMetricKeys.Technicians), options, scoring);
    }

    /// <summary>From a city's view (today's, for its team's inbox); null when it has no capacity-gap component.</summary>
    public static TestingCapacity? OfCity(RiskView view, AssistanceOptions options, ScoringOptions scoring)
    {
        ArgumentNullException.ThrowIfNull(view);
        var component = view.Components.IsDefault ? null : view.Components.FirstOrDefault(c => c.Name == ComponentName);
        double? Metric(string name) => view.Metrics.TryGetValue(name, out var value) ? value : null;
        return component is null ? null : Of(component.Value, component.Explanation, Population(Metric(CityMetricKeys.Population)), Metric(CityMetricKeys.Labs), Metric(CityMetricKeys.Technicians), options, scoring);
    }

    private const string ComponentName = "capacityGap";

    private static long? Population(double? population) => population is > 0 and var p ? (long)p : null;

    private static TestingCapacity? Of(double? gap, string explanation, long? population, double? labs, double? technicians, AssistanceOptions options, ScoringOptions scoring)
    {
        // An assessment made without explanations has none to quote; a notice then says nothing rather than a bare number.
        if (string.IsNullOrWhiteSpace(explanation))
        {
            return null;
        }

        var shortfalls = AssistanceModel.CityTestingShortfalls(population, labs, technicians, options, scoring);
        if (shortfalls is null)
        {
            return new TestingCapacity(gap, explanation, NotMeasured, []);
        }

        var unmeasured = AssistanceModel.CityTestingUnmeasured(population, labs, technicians, scoring);
        var atTarget = AssistanceModel.CityTestingAtTarget(population, labs, technicians, scoring);
        var standing = shortfalls.Count > 0 ? Short
            : unmeasured.Count > 0 ? PartlyMeasured
            : atTarget.Count == 2 ? MeetsTarget
            : NearTarget;
        return new TestingCapacity(gap, explanation, standing, [.. shortfalls])
        {
            Unmeasured = unmeasured.Count > 0 ? [.. unmeasured] : default,
            AtTarget = atTarget.Count > 0 ? [.. atTarget] : default,
        };
    }
}
