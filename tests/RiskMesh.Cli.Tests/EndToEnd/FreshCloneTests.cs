using System.Diagnostics;
using System.Text;

namespace RiskMesh.Cli.Tests.EndToEnd;

/// <summary>
/// The README's first steps, verbatim, on a fresh clone: the run command from the repository root, the admin key read
/// from <c>data/admin.key</c>, the scenario replayed through the CLI as the README says, and Suifenhe ranked in
/// <c>top ports</c> with a score. The only additions are environment variables choosing free ports (the README's
/// defaults, 8080 and 30000, may be in use on a build machine).
/// </summary>
public sealed class FreshCloneTests
{
    /// <summary>The commands the README's "First steps" show, run here in this order; each must appear in README.md verbatim.</summary>
    private static readonly string[] RunCommand = ["dotnet run --project src/RiskMesh.Silo"];

    private static readonly string[] Steps =
    [
        "KEY=$(cat data/admin.key)",
        "alias riskmesh='dotnet run --project src/RiskMesh.Cli --'",
        "export RISKMESH_API_KEY=$KEY",
        "riskmesh replay deploy/scenarios/april-2020/*.ndjson --from 2020-03-20 --to 2020-04-30",
        "riskmesh top ports --limit 5",
    ];

    [Fact]
    public async Task ReadmeFirstSteps_OnAFreshClone_RankSuifenheRoadWithAScore()
    {
        var repository = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(repository, "README.md"));
        foreach (var command in RunCommand.Concat(Steps))
        {
            Assert.Contains(command, readme, StringComparison.Ordinal);
        }

        var clone = Directory.CreateTempSubdirectory("riskmesh-clone-").FullName;
        Process? host = null;
        var hostOutput = new StringBuilder();
        try
        {
            var cloned = await RunAsync("git", ["clone", "--quiet", repository, clone], Path.GetTempPath(), [], TimeSpan.FromMinutes(2));
            Assert.True(cloned.Code == 0, cloned.Output);

            // The README: "it writes the key to data/admin.key" in the directory the command was started from.
            var keyFile = Path.Combine(clone, "data", "admin.key");
            var deadline = DateTime.UtcNow.AddMinutes(15);
            var url = "";
            for (var attempt = 1; ; attempt++)
            {
                // Ports are chosen free before the first build, which takes minutes: on a busy machine another process may
                // take one meanwhile, and the host then stops with 78 naming it. The build is done by then, so a second
                // start on other ports costs seconds.
                url = $"http://127.0.0.1:{TestPorts.Free()}";
                Dictionary<string, string> hostEnv = new()
                {
                    ["ASPNETCORE_URLS"] = url,
                    ["RiskMesh__SiloPort"] = TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["RiskMesh__GatewayPort"] = TestPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                hostOutput.Clear();
                host?.Dispose();
                host = Start("bash", ["-c", "exec " + RunCommand[0]], clone, hostEnv, hostOutput);
                while ((!File.Exists(keyFile) || new FileInfo(keyFile).Length == 0) && !host.HasExited)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"no {keyFile} after 15 minutes\n{hostOutput}");
                    await Task.Delay(500);
                }

                if (!host.HasExited)
                {
                    break;
                }

                await host.WaitForExitAsync();
                var portTaken = host.ExitCode == 78 && hostOutput.ToString().Contains("is already in use", StringComparison.Ordinal);
                Assert.True(portTaken && attempt < 3, $"the host exited with {host.ExitCode}\n{hostOutput}");
            }

            Assert.False(Directory.Exists(Path.Combine(clone, "src", "RiskMesh.Silo", "data")), "data landed in the project folder");
            var status = await RunAsync("git", ["status", "--porcelain"], clone, [], TimeSpan.FromMinutes(1));
            Assert.True(status.Output.Trim().Length == 0, "git status shows files after a run:\n" + status.Output);

            var script = "shopt -s expand_aliases\nset -e\n" + string.Join('\n', Steps) + "\n";
            var steps = await RunAsync("bash", ["-c", script], clone, new() { ["RISKMESH_URL"] = url }, TimeSpan.FromMinutes(20));
            Assert.True(steps.Code == 0, steps.Output + "\n--- host\n" + hostOutput);

            // A row of the `top ports` table: rank, id, name, score, level, trend.
            var row = System.Text.RegularExpressions.Regex.Match(
                steps.Output,
                @"^\d+\s+suifenhe-road\s+.*?\s(?<score>\d+\.\d)\s+(?<level>low|moderate|high|very high)\s",
                System.Text.RegularExpressions.RegexOptions.Multiline);
            Assert.True(row.Success, "suifenhe-road is not ranked with a score in top ports:\n" + steps.Output);
            Assert.True(double.Parse(row.Groups["score"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, row.Value);
        }
        finally
        {
            if (host is { HasExited: false })
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }

            host?.Dispose();
            try
            {
                Directory.Delete(clone, recursive: true);
            }
            catch (IOException)
            {
                // A build server still holding a file only leaves a temp directory behind.
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RiskMesh.sln")) && Path.Exists(Path.Combine(directory.FullName, ".git")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests do not run inside a RiskMesh repository");
    }

    private static Process Start(string file, string[] args, string directory, Dictionary<string, string> env, StringBuilder output)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        // The clone must not inherit the test run's own settings (a test host's URL or key).
        info.Environment.Remove("RISKMESH_API_KEY");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string directory, Dictionary<string, string> env, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = Start(file, args, directory, env, output);
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} timed out after {timeout}\n{output}");
        }

        process.WaitForExit();
        return (process.ExitCode, output.ToString());
    }
}
