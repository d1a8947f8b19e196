namespace RiskMesh.Cli.Output;

/// <summary>Where the CLI writes: results on stdout, progress and errors on stderr.</summary>
/// <param name="Out">Results.</param>
/// <param name="Error">Progress, warnings and errors.</param>
/// <param name="ErrorIsTerminal">Whether stderr is a terminal, so a redrawn progress bar makes sense.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal);
