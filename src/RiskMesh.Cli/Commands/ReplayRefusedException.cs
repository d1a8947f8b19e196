namespace RiskMesh.Cli.Commands;

/// <summary>
/// A replay refused because of the host's state, not its command line (a rewind without --allow-rewind): exit 2
/// (refused), the sentence alone. The command line was valid, so the usage text would only bury the sentence, and a
/// script can tell the refusal from a typo (review 18 L4).
/// </summary>
internal sealed class ReplayRefusedException(string message) : Exception(message);
