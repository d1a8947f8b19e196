using System.Diagnostics;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Durability;

/// <summary>The real host run as a separate process (<c>dotnet riskmesh-silo.dll</c>) on a given data directory, so it can be killed outright.</summary>
public sealed class SiloProcess : IDisposable
{
    /// <summary>How many of the process's last output lines are kept to explain a failed start.</summary>
    public const int TailLines = 60;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private int _endedStreams;

    private SiloProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>The HTTP address of the process.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts the host on free ports and waits until <c>/health/ready</c> answers 200; <paramref name="extraArgs"/>
    /// come last, so they override the defaults (e.g. the database, role or ids). With <paramref name="logFile"/>, the
    /// process's output is appended to that file (to read a silo's own account of a test afterwards).
    /// </summary>
    public static async Task<SiloProcess> StartAsync(string dataDirectory, IReadOnlyList<string>? extraArgs = null, string? logFile = null)
    {
        // A free port is only free when it is chosen: on a busy machine another process can take it before the host
        // binds it. The host then ends with its own "address in use" exit code, and a start on fresh ports is honest.
        for (var attempt = 1; ; attempt++)
        {
            var silo = await LaunchAsync(dataDirectory, extraArgs, logFile);
            try
            {
                await silo.WaitReadyAsync(logFile);
                return silo;
            }
            catch (InvalidOperationException) when (attempt < 3 && silo.HasExited && silo._process.ExitCode == RiskMeshApp.AddressInUseExitCode)
            {
                silo.Dispose();
            }
        }
    }

    private static Task<SiloProcess> LaunchAsync(string dataDirectory, IReadOnlyList<string>? extraArgs, string? logFile)
    {
        var dll = typeof(RiskMeshApp).Assembly.Location;
        var port = TestPorts.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            dll,
            "--urls", $"http://127.0.0.1:{port}",
            $"--RiskMesh:DataDirectory={dataDirectory}",
            $"--RiskMesh:SiloPort={TestPorts.Free()}",
            $"--RiskMesh:GatewayPort={TestPorts.Free()}",
            .. extraArgs ?? [],
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");

        // Drain the output so a chatty host never blocks on a full pipe; its last lines are kept whatever the caller
        // asked, so a host that dies while starting (an unhandled exception exits with 134) says why in the test's failure.
        var log = logFile is null ? null : TextWriter.Synchronized(new StreamWriter(logFile, append: true) { AutoFlush = true });
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => silo.Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => silo.Write(log, e.Data);
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.FromResult(silo);
    }

    /// <summary>The operating system's id of the process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>A client with an API key.</summary>
    public HttpClient CreateClient(string apiKey) => RiskMeshHostFixture.CreateClient(BaseAddress, apiKey);

    /// <summary>Kills the process and its children at once, as a crash would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end on its own (a test hook that kills it); fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Asks the process to stop (SIGTERM), waits for it to finish its shutdown, and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
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

    /// <summary>The last <see cref="TailLines"/> lines the process wrote (standard output and error).</summary>
    public string OutputTail()
    {
        lock (_tail)
        {
            return string.Join(System.Environment.NewLine, _tail);
        }
    }

    private void Write(TextWriter? log, string? line)
    {
        if (line is null)
        {
            // One stream ended; the file is closed after both, so the last lines (a crash's stack) are in it.
            if (Interlocked.Increment(ref _endedStreams) == 2)
            {
                log?.Dispose();
            }

            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }

        if (log is not null)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The last lines of a process that has just exited.
            }
        }
    }

    private async Task WaitReadyAsync(string? logFile)
    {
        try
        {
            await PollReadyAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            // The output is drained asynchronously: let the last lines (the exception's stack) arrive.
            await _process.WaitForExitAsync();
            var where = logFile is null ? "" : $" (whole output in {logFile})";
            throw new InvalidOperationException($"{ex.Message}; its last output{where}:{System.Environment.NewLine}{OutputTail()}", ex);
        }
    }

    private async Task PollReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the host exited with code {_process.ExitCode} before it was ready");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the host was not ready within 60 s");
    }
}
