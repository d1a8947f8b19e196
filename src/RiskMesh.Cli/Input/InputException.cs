namespace RiskMesh.Cli.Input;

/// <summary>An input file cannot be read as events; the message names the file and line (exit 2).</summary>
internal sealed class InputException(string message) : Exception(message);
