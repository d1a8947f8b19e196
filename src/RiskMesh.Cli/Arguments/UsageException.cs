namespace RiskMesh.Cli.Arguments;

/// <summary>The command line is wrong (unknown command or flag, missing or malformed argument): exit 1 with usage.</summary>
internal sealed class UsageException(string message) : Exception(message);
