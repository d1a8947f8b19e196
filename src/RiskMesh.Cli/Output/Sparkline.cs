namespace RiskMesh.Cli.Output;

/// <summary>
/// A one-line chart of a series with the eight block characters on a fixed scale the caller names (a score's 0 to
/// 100): scaled between its own smallest and largest value, a drift of 0.2 points was drawn as a full rise
/// (newcomer 21a L3). A missing value is a gap shown as <c>·</c>.
/// </summary>
internal static class Sparkline
{
    /// <summary>The character shown for a missing value.</summary>
    public const char Gap = '·';

    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// Renders at most <paramref name="maxMarks"/> marks: a longer series is cut into runs of equal length (the last
    /// may be shorter), each drawn as its highest value, the peak an analyst looks for (a year of days was one mark a
    /// day, 378 characters, wrapping over four lines: newcomer 17 F6). Returns the marks and the values per mark.
    /// </summary>
    public static (string Marks, int PerMark) Fit(IReadOnlyList<double?> values, int maxMarks, double low, double high)
    {
        var perMark = Math.Max(1, (values.Count + Math.Max(1, maxMarks) - 1) / Math.Max(1, maxMarks));
        if (perMark == 1)
        {
            return (Render(values, low, high), 1);
        }

        var runs = new List<double?>();
        for (var start = 0; start < values.Count; start += perMark)
        {
            double? highest = null;
            for (var i = start; i < Math.Min(start + perMark, values.Count); i++)
            {
                if (values[i] is { } value && (highest is null || value > highest))
                {
                    highest = value;
                }
            }

            runs.Add(highest);
        }

        return (Render(runs, low, high), perMark);
    }

    /// <summary>
    /// Renders values on the scale <paramref name="low"/> to <paramref name="high"/>: the lowest block at or below low,
    /// the highest at or above high, so marks of different series and periods compare.
    /// </summary>
    public static string Render(IReadOnlyList<double?> values, double low, double high)
    {
        if (!(high > low))
        {
            throw new ArgumentException($"the scale's high ({high}) must be above its low ({low})", nameof(high));
        }

        var chars = new char[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                chars[i] = Gap;
                continue;
            }

            var step = (int)Math.Round((value - low) / (high - low) * (Blocks.Length - 1));
            chars[i] = Blocks[Math.Clamp(step, 0, Blocks.Length - 1)];
        }

        return new string(chars);
    }
}
