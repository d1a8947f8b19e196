namespace RiskMesh.Cli.Output;

/// <summary>A one-line chart of a series with the eight block characters; a missing value is a gap shown as <c>·</c>.</summary>
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
    public static (string Marks, int PerMark) Fit(IReadOnlyList<double?> values, int maxMarks)
    {
        var perMark = Math.Max(1, (values.Count + Math.Max(1, maxMarks) - 1) / Math.Max(1, maxMarks));
        if (perMark == 1)
        {
            return (Render(values), 1);
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

        return (Render(runs), perMark);
    }

    /// <summary>Renders values scaled between the smallest and largest present; a flat series sits at the lowest block.</summary>
    public static string Render(IReadOnlyList<double?> values)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        if (present.Count == 0)
        {
            return new string(Gap, values.Count);
        }

        var min = present.Min();
        var span = present.Max() - min;
        var chars = new char[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { } value)
            {
                chars[i] = Gap;
                continue;
            }

            var step = span <= 0 ? 0 : (int)Math.Round((value - min) / span * (Blocks.Length - 1));
            chars[i] = Blocks[Math.Clamp(step, 0, Blocks.Length - 1)];
        }

        return new string(chars);
    }
}
