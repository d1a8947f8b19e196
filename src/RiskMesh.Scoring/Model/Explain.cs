using System.Runtime.CompilerServices;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// Explanation texts built only when they are wanted: <c>Explain.Text(explain, $"…")</c> evaluates none of the
/// interpolation's holes and answers an empty string when <c>explain</c> is false. No number of an assessment depends
/// on a text, so an assessment made without texts (for values handed downstream, or a decision that needs the score
/// alone) has every number of the explained one.
/// </summary>
public static class Explain
{
    /// <summary>The formatted text when <paramref name="explain"/> is true, else an empty string (nothing formatted).</summary>
    public static string Text(bool explain, [InterpolatedStringHandlerArgument(nameof(explain))] ref ExplainTextHandler text) =>
        explain ? text.ToStringAndClear() : "";
}

/// <summary>Formats an interpolated explanation only when it is wanted (see <see cref="Explain"/>).</summary>
[InterpolatedStringHandler]
public ref struct ExplainTextHandler
{
    private DefaultInterpolatedStringHandler _inner;

    /// <summary>Starts a text; <paramref name="shouldAppend"/> false skips every hole.</summary>
    public ExplainTextHandler(int literalLength, int formattedCount, bool explain, out bool shouldAppend)
    {
        shouldAppend = explain;
        _inner = explain ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    /// <summary>Appends literal text.</summary>
    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    /// <summary>Appends a value.</summary>
    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    /// <summary>Appends a value with a format.</summary>
    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

    /// <summary>Appends a string.</summary>
    public void AppendFormatted(string? value) => _inner.AppendFormatted(value);

    /// <summary>The text.</summary>
    public string ToStringAndClear() => _inner.ToStringAndClear();
}
