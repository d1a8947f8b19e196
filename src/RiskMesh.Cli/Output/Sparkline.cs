namespace RiskMesh.Cli.Output;

/// <summary>A one-line chart of a series with the eight block characters; a missing value is a gap shown as <c>·</c>.</summary>
internal static class Sparkline
{
    /// <summary>The character shown for a missing value.</summary>
    public const char Gap = '·';

    private const string Blocks = "▁▂▃▄▅▆▇█";

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
