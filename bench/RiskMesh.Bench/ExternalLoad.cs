using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RiskMesh.Bench;

/// <summary>
/// GET load from a separate process: Debian's <c>wrk</c> with <c>bench/wrk/get-mix.lua</c> when it is installed (or
/// asked for), else this bench's own client started again as a child process (CI machines may lack wrk).
/// </summary>
public static partial class ExternalLoad
{
    /// <summary>The wrk executable on PATH, or null.</summary>
    public static string? FindWrk() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "wrk"))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs the external load against <paramref name="url"/>; null when <paramref name="kind"/> is None.</summary>
    public static async Task<GetLoadResult?> RunAsync(ExternalGenerator kind, Uri url, string apiKey, IReadOnlyList<string> paths, int connections, int seconds, string workDirectory)
    {
        if (kind == ExternalGenerator.None)
        {
            return null;
        }

        var pathsFile = Path.Combine(workDirectory, "get-paths.txt");
        await File.WriteAllLinesAsync(pathsFile, paths);
        var wrk = FindWrk();
        if (kind == ExternalGenerator.Wrk && wrk is null)
        {
            throw new InvalidOperationException("--external wrk: no wrk on PATH (Debian package 'wrk'); use --external self");
        }

        return wrk is not null && kind != ExternalGenerator.Self
            ? await WrkAsync(wrk, url, apiKey, pathsFile, connections, seconds)
            : await SelfAsync(url, apiKey, pathsFile, connections, seconds);
    }

    private static async Task<GetLoadResult> WrkAsync(string wrk, Uri url, string apiKey, string pathsFile, int connections, int seconds)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "wrk", "get-mix.lua");
        var environment = new Dictionary<string, string> { ["RISKMESH_API_KEY"] = apiKey, ["RISKMESH_WRK_PATHS"] = pathsFile };
        string[] common = ["-t2", $"-c{connections}", "-s", script];
        await RunAsync(wrk, [.. common, "-d2s", url.ToString()], environment);
        var output = await RunAsync(wrk, [.. common, $"-d{seconds}s", "--latency", url.ToString()], environment);
        return ParseWrk(output);
    }

    private static async Task<GetLoadResult> SelfAsync(Uri url, string apiKey, string pathsFile, int connections, int seconds)
    {
        // Started as `dotnet RiskMesh.Bench.dll …` or through the apphost, whichever started this process.
        var process = Environment.ProcessPath ?? "dotnet";
        var self = Assembly.GetExecutingAssembly().Location;
        string[] args = [GetLoad.ClientCommand, url.ToString(), pathsFile, seconds.ToString(CultureInfo.InvariantCulture), connections.ToString(CultureInfo.InvariantCulture)];
        var isDotnetHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var output = await RunAsync(process, isDotnetHost ? [self, .. args] : args, new Dictionary<string, string> { ["RISKMESH_API_KEY"] = apiKey });
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<GetLoadResult>(line) ?? throw new InvalidOperationException($"the bench client printed no result: {output}");
    }

    /// <summary>Reads wrk's <c>--latency</c> report: the 50% and 99% lines, Requests/sec, requests and non-2xx answers.</summary>
    public static GetLoadResult ParseWrk(string output)
    {
        double Latency(string percent)
        {
            var match = Regex.Match(output, $@"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!match.Success)
            {
                throw new InvalidOperationException($"wrk printed no {percent}% latency:\n{output}");
            }

            var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }

        var perSec = double.Parse(RequestsPerSec().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(RequestsIn().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var socketErrors = SocketErrors().Match(output) is { Success: true } s ? s.Groups[1].Value.Split(',').Sum(p => long.Parse(p.Trim().Split(' ')[1], CultureInfo.InvariantCulture)) : 0;
        return new GetLoadResult(Latency("50"), Latency("99"), perSec, requests, errors + socketErrors, "wrk");
    }

    private static async Task<string> RunAsync(string fileName, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} exited {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }

    [GeneratedRegex(@"^Requests/sec:\s+([\d.]+)", RegexOptions.Multiline)]
    private static partial Regex RequestsPerSec();

    [GeneratedRegex(@"^\s*(\d+) requests in", RegexOptions.Multiline)]
    private static partial Regex RequestsIn();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors:\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex SocketErrors();
}
