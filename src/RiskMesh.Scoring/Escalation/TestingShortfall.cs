namespace RiskMesh.Scoring.Escalation;

/// <summary>
/// How far a city's laboratories and technicians fall short of their per-capita targets (0 at target, 1 none), as
/// <see cref="Assistance.AssistanceModel.CityTestingGaps"/> measures them; null for one not measured.
/// </summary>
/// <param name="Laboratories">The laboratories' gap, or null when not reported (or no population).</param>
/// <param name="Technicians">The technicians' gap, or null when not reported (or no population).</param>
public sealed record TestingGaps(double? Laboratories, double? Technicians);

/// <summary>What a day's testing capacity changes in what the city's team was told of its shortfall.</summary>
public enum TestingShortfallChange
{
    /// <summary>Nothing to tell.</summary>
    None,

    /// <summary>The city became short: the province is recommended to dispatch testing kits and technicians.</summary>
    Started,

    /// <summary>A shortfall already told grew clearly worse.</summary>
    Worsened,

    /// <summary>A shortfall told is over: both are back well within the assistance threshold.</summary>
    Ended,
}

/// <summary>
/// When a city's team is told of its testing shortfall, whatever its level: the assistance ranking tells the province
/// to dispatch testing kits and technicians when laboratories or technicians fall short of target by the threshold
/// (<see cref="Assistance.AssistanceOptions.TestingGapThreshold"/>, 0.25), and a city whose score stays at level 1
/// heard nothing of it (newcomer 20b, finding 3: Ruili with no laboratory and 2.99 technicians per 100,000). Capacity is
/// a stock reported now and then, so a city hovering at the line (7.4, then 7.6 technicians per 100,000) must not be
/// told daily. The rule, with hysteresis on the gap:
/// <list type="bullet">
/// <item><b>Started</b>: nothing is told (or the last shortfall told has ended) and either gap reaches the threshold.</item>
/// <item><b>Worsened</b>: a shortfall is told and either gap, at or above the threshold, exceeds the gap told for it by
/// the threshold again (0.3 told, 0.55 now; one not measured when told counts as 0): a clear worsening, not drift.</item>
/// <item><b>Ended</b>: a shortfall is told and every gap measured is at most half the threshold (0.125), each one
/// measured when told still measured: back within the line by a margin, so a gap of 0.24 after 0.26 is no end.</item>
/// </list>
/// Between the lines nothing is told. The rule reads the day's gaps and what was told last (the notices stored), so a
/// day decided again, a restart or a clock jump tells nothing the notices already say.
/// </summary>
public static class TestingShortfall
{
    /// <summary>The share of the threshold below which a shortfall told is over: half of it.</summary>
    public const double EndShareOfThreshold = 0.5;

    /// <summary>
    /// The change the day's <paramref name="gaps"/> make to what was told: <paramref name="told"/> is the gaps of the
    /// last shortfall notice in force (started or worsened), or null when none is (never told, or it ended).
    /// </summary>
    public static TestingShortfallChange Decide(TestingGaps? told, TestingGaps gaps, double threshold)
    {
        ArgumentNullException.ThrowIfNull(gaps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        if (told is null)
        {
            return Short(gaps.Laboratories, threshold) || Short(gaps.Technicians, threshold) ? TestingShortfallChange.Started : TestingShortfallChange.None;
        }

        if (Worse(told.Laboratories, gaps.Laboratories, threshold) || Worse(told.Technicians, gaps.Technicians, threshold))
        {
            return TestingShortfallChange.Worsened;
        }

        return Over(told.Laboratories, gaps.Laboratories, threshold) && Over(told.Technicians, gaps.Technicians, threshold)
            && (gaps.Laboratories is not null || gaps.Technicians is not null)
            ? TestingShortfallChange.Ended
            : TestingShortfallChange.None;
    }

    private static bool Short(double? gap, double threshold) => gap is { } g && g >= threshold;

    private static bool Worse(double? told, double? gap, double threshold) =>
        Short(gap, threshold) && gap!.Value - (told ?? 0) >= threshold - 1e-9;

    // Over for this one: measured now and well within the line, or neither measured then nor now.
    private static bool Over(double? told, double? gap, double threshold) =>
        gap is { } g ? g <= threshold * EndShareOfThreshold : told is null;
}
