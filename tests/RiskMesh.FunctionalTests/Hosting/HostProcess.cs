using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>The shipped host (<c>dotnet riskmesh-silo.dll</c>, with its appsettings.json) as a separate process whose output is kept.</summary>
public sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HostProcess(Process process, string workingDirectory)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The directory the process was started in.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Every line written so far to stdout and stderr.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>The process exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the host in <paramref name="workingDirectory"/> with the given arguments and free silo and gateway ports.</summary>
    public static HostProcess Start(string workingDirectory, params string[] args)
    {
        var dll = typeof(RiskMeshApp).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add($"--RiskMesh:SiloPort={TestPorts.Free()}");
        info.ArgumentList.Add($"--RiskMesh:GatewayPort={TestPorts.Free()}");
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }

        return new HostProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"), workingDirectory);
    }

    /// <summary>Waits for the process to exit, at most <paramref name="timeout"/>; false when it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until <paramref name="url"/> answers 200, failing if the process exits first.</summary>
    public async Task WaitReadyAsync(Uri url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the host exited with code {_process.ExitCode}:\n{string.Join('\n', Output)}");
            }

            try
            {
                if ((await client.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening or not answering yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url} did not answer 200 within 120 s");
    }

    /// <summary>Sends SIGTERM, as a service manager or Ctrl+C in a container does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
