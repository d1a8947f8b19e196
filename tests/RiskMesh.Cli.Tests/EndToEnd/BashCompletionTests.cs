using System.Diagnostics;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>A real bash sources <c>riskmesh completion bash</c> from the built CLI and completes as a user's Tab would.</summary>
public sealed class BashCompletionTests
{
    [Fact]
    public async Task SourcedInBash_CompletesCommandsKeywordsOptionsAndValues()
    {
        var dll = typeof(Cli).Assembly.Location;
        // Each case sets COMP_WORDS/COMP_CWORD as bash does on Tab, calls the function and prints COMPREPLY sorted.
        var cases = new (string Words, string Expected)[]
        {
            ("riskmesh pl", "plan"),
            ("riskmesh a", "ack alert-quality assistance"),
            ("riskmesh plan ''", "set show"),
            ("riskmesh keys ''", "create list revoke"),
            ("riskmesh get ''", "city country port"),
            ("riskmesh explain p", "port"),
            ("riskmesh top c", "cities countries"),
            ("riskmesh watch ''", "city"),
            ("riskmesh history city suifenhe --", "--as-known-on --csv --format --from --help --json --key --to --url"),
            ("riskmesh history city suifenhe --format ''", "csv json table"),
            ("riskmesh keys create --role ''", "admin analyst feed operator responder"),
            ("riskmesh notices city suifenhe --status a", "acknowledged"),
            ("riskmesh completion ''", "bash zsh"),
            ("riskmesh help wa", "watch"),
        };
        var script = "set -e\nsource <(dotnet \"$RISKMESH_DLL\" completion bash)\ncomplete -p riskmesh\n"
            + string.Concat(cases.Select(c =>
                $"COMP_WORDS=({c.Words}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=(); _riskmesh; "
                + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '; echo\n"));

        var (code, output, error) = await RunBashAsync(script, dll);

        Assert.True(code == 0, $"bash exited {code}\n{output}\n{error}");
        var lines = output.Split('\n');
        Assert.Equal("complete -o default -F _riskmesh riskmesh", lines[0]);
        for (var i = 0; i < cases.Length; i++)
        {
            Assert.True(lines[i + 1].Trim() == cases[i].Expected, $"'{cases[i].Words}' completed to '{lines[i + 1].Trim()}', expected '{cases[i].Expected}'");
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunBashAsync(string script, string dll)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--norc");
        info.ArgumentList.Add("--noprofile");
        info.ArgumentList.Add("-s");
        info.Environment["RISKMESH_DLL"] = dll;
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }
}
