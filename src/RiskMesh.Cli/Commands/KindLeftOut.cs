using RiskMesh.Cli.Arguments;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// A command given an id without its kind ("explain khorgos-road") said "missing argument: ID" although the id was
/// there (newcomer 23a L2). It now says the kind is missing and, when the topology knows the word as an id, the command
/// that was meant: "'khorgos-road' is not a kind (country|port|city); did you mean 'riskmesh explain port khorgos-road'?".
/// </summary>
internal static class KindLeftOut
{
    /// <summary>Refuses one positional that is not a kind, naming the form or the command meant; else does nothing.</summary>
    public static async Task RefuseAsync(CommandContext context, ParsedArgs args, string command, string kinds)
    {
        if (args.Positionals.Count != 1 || IsKind(args.Positionals[0], kinds))
        {
            return;
        }

        var word = args.Positionals[0];
        var kind = await KindOfAsync(context, args, word, kinds);
        throw new UsageException(kind is null
            ? $"'{word}' is not a kind ({kinds}); the form is 'riskmesh {command} KIND ID'"
            : $"'{word}' is not a kind ({kinds}); did you mean 'riskmesh {command} {kind} {word}'?");
    }

    private static bool IsKind(string word, string kinds) =>
        kinds.Split('|').Any(k => word.Equals(k, StringComparison.OrdinalIgnoreCase) || word.Equals(Plural(k), StringComparison.OrdinalIgnoreCase));

    private static string Plural(string kind) => kind.EndsWith('y') ? kind[..^1] + "ies" : kind + "s";

    // The kind whose id the word is in the topology, or null when none is or the topology cannot be read.
    private static async Task<string?> KindOfAsync(CommandContext context, ParsedArgs args, string word, string kinds)
    {
        if (await CliTopology.ReadAsync(context, args) is not { } topology)
        {
            return null;
        }

        foreach (var (kind, collection, key) in new[] { ("port", "ports", "id"), ("city", "cities", "id"), ("province", "provinces", "id"), ("country", "countries", "code") })
        {
            var comparison = kind == "country" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (kinds.Split('|').Contains(kind) && CliTopology.Entries(topology, collection).Any(e => string.Equals(CliTopology.Text(e, key), word, comparison)))
            {
                return kind;
            }
        }

        return null;
    }
}
