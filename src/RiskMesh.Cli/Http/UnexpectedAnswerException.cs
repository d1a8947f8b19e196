namespace RiskMesh.Cli.Http;

/// <summary>The server answered success with something the CLI cannot read: a server-side fault (exit 5).</summary>
internal sealed class UnexpectedAnswerException(string message, Exception? inner = null) : Exception(message, inner);
