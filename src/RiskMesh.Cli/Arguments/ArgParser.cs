namespace RiskMesh.Cli.Arguments;

/// <summary>Splits a command's arguments into positionals and the options it declares; anything else is a usage error.</summary>
internal static class ArgParser
{
    /// <summary>Options every command accepts.</summary>
    public static readonly IReadOnlyList<OptionSpec> GlobalOptions =
    [
        OptionSpec.Value("url", "API base URL (else RISKMESH_URL, the config file, or http://127.0.0.1:8080)"),
        OptionSpec.Value("key", "API key (else RISKMESH_API_KEY or the config file)"),
        OptionSpec.Switch("help", "print this usage"),
    ];

    /// <summary>Parses <paramref name="args"/> against the command's options plus the global ones.</summary>
    public static ParsedArgs Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> options)
    {
        var specs = options.Concat(GlobalOptions).ToDictionary(o => o.Name, StringComparer.Ordinal);
        var positionals = new List<string>();
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        var onlyPositionals = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (onlyPositionals || arg == "-" || !arg.StartsWith('-'))
            {
                positionals.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                onlyPositionals = true;
                continue;
            }

            if (arg == "-h")
            {
                switches.Add("help");
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option '{arg}'{DidYouMean(arg[1..], specs.Keys)}");
            }

            var body = arg[2..];
            string? inline = null;
            var equals = body.IndexOf('=');
            if (equals >= 0)
            {
                inline = body[(equals + 1)..];
                body = body[..equals];
            }

            if (!specs.TryGetValue(body, out var spec))
            {
                throw new UsageException($"unknown option '--{body}'{DidYouMean(body, specs.Keys)}");
            }

            if (!spec.TakesValue)
            {
                if (inline is not null)
                {
                    throw new UsageException($"option '--{body}' takes no value");
                }

                switches.Add(spec.Name);
                continue;
            }

            var value = inline;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"option '--{body}' needs a value");
                }

                value = args[++i];
            }

            // "--city ruili,hekou" would reach the server as one city id, refused as "not a valid slug".
            if (spec.Repeatable && value.Contains(',', StringComparison.Ordinal))
            {
                var each = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                throw new UsageException($"--{spec.Name} takes one value; repeat --{spec.Name} for each: {string.Join(" ", each.Select(v => $"--{spec.Name} {v}"))}");
            }

            if (!values.TryGetValue(spec.Name, out var list))
            {
                list = [];
                values[spec.Name] = list;
            }
            else if (!spec.Repeatable)
            {
                throw new UsageException($"option '--{body}' may be given only once");
            }

            list.Add(value);
        }

        return new ParsedArgs(positionals, values, switches);
    }

    /// <summary>
    /// "; did you mean '--since'?" for a misspelt option ('--sinse', '-since'), as ids and commands already get one
    /// (newcomer 23a L3); empty when no option of the command is close.
    /// </summary>
    private static string DidYouMean(string given, IEnumerable<string> options) =>
        RiskMesh.Scoring.Text.Suggestions.Closest(given, options) is { } meant ? $"; did you mean '--{meant}'?" : "";
}
