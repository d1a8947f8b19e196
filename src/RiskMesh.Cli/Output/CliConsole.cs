namespace RiskMesh.Cli.Output;

/// <summary>Where the CLI writes: results on stdout, progress and errors on stderr.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Progress, warnings and errors.</param>
/// <param name="ErrorIsTerminal">Whether stderr is a terminal, so a redrawn progress bar makes sense.</param>
/// <param name="OutWidth">The terminal's width in columns when stdout is a terminal; null when it is a file or a pipe.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal, int? OutWidth = null)
{
    /// <summary>The width assumed when neither <c>COLUMNS</c> nor a terminal says one (the common terminal's).</summary>
    public const int DefaultWidth = 80;

    /// <summary>
    /// The columns a line may take: <c>COLUMNS</c> when set to a whole number, else the terminal's width, else
    /// <see cref="DefaultWidth"/> (a pipe or a file has no width of its own).
    /// </summary>
    public int Width(IDictionary<string, string?> env) =>
        env.TryGetValue("COLUMNS", out var text) && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns > 0
            ? columns
            : OutWidth is { } width and > 0 ? width : DefaultWidth;
}
