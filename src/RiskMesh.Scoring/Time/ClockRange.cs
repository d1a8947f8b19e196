namespace RiskMesh.Scoring.Time;

/// <summary>
/// The days the RiskMesh clock may be set to. Any historical feed worth replaying and this century's live clock fit;
/// a typo such as 9999-12-31 or 0001-01-01 does not, and would otherwise overflow every date window (retention,
/// future days, history) on each ingest.
/// </summary>
public static class ClockRange
{
    /// <summary>The earliest replay day.</summary>
    public static readonly DateOnly Earliest = new(1970, 1, 1);

    /// <summary>The latest replay day.</summary>
    public static readonly DateOnly Latest = new(2099, 12, 31);

    /// <summary>True when the clock may be set to the day.</summary>
    public static bool Contains(DateOnly date) => date >= Earliest && date <= Latest;

    /// <summary>The nearest day in range.</summary>
    public static DateOnly Clamp(DateOnly date) => date < Earliest ? Earliest : date > Latest ? Latest : date;

    /// <summary>A sentence naming the range, for error messages.</summary>
    public static string Describe() => $"from {Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd}";
}
