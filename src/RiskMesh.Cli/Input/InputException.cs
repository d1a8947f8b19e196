namespace RiskMesh.Cli.Input;

/// <summary>An input file cannot be read as events; the message names the file and line (exit 2).</summary>
internal sealed class InputException(string message) : Exception(message);

/// <summary>An input file does not exist (exit 6, with no usage text: the command was right, the path was not).</summary>
internal sealed class InputFileNotFoundException(string message) : Exception(message);
