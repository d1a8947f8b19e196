using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Completion;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh completion bash|zsh</c>: prints a shell completion script built from the command table.</summary>
internal sealed class CompletionCommand(Func<IReadOnlyList<Command>> commands) : Command
{
    public override string Name => "completion";

    public override string Summary => "print a shell completion script (source <(riskmesh completion bash))";

    public override IReadOnlyList<string> Usage => ["completion bash", "completion zsh"];

    public override Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var shell = args.Positional(0, "SHELL");
        args.NoMorePositionals(1);
        var script = shell switch
        {
            "bash" => CompletionScript.Bash(commands()),
            "zsh" => CompletionScript.Zsh(commands()),
            _ => throw new UsageException($"unknown shell '{shell}' (bash or zsh)"),
        };
        context.Out.Write(script);
        return Task.FromResult(ExitCodes.Success);
    }
}
