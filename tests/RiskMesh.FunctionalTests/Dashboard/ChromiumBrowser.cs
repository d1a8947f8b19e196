using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RiskMesh.FunctionalTests.Dashboard;

/// <summary>
/// A headless Chromium driven over the DevTools protocol: just enough to load pages, fill a form, read the DOM and take
/// screenshots like a person at a browser would.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _userDataDirectory;
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _nextId;

    private ChromiumBrowser(Process process, string userDataDirectory, ClientWebSocket socket)
    {
        _process = process;
        _userDataDirectory = userDataDirectory;
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>The Chromium executable: <c>RISKMESH_CHROMIUM</c>, else <c>/usr/bin/chromium</c>.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("RISKMESH_CHROMIUM") is { Length: > 0 } configured
        ? configured
        : "/usr/bin/chromium";

    /// <summary>Starts Chromium headless with a fresh profile and connects to it.</summary>
    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {Executable}: install it (apt-get install -y chromium) or set RISKMESH_CHROMIUM.");
        }

        var profile = Path.Combine(Path.GetTempPath(), "riskmesh-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={profile}", "--window-size=1400,900",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Chromium writes the port it chose, and the browser endpoint's path, to this file once it listens.
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] lines = [];
        while (lines.Length < 2)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Chromium did not open its DevTools port (exited: {process.HasExited}).");
            }

            await Task.Delay(100);
            if (File.Exists(portFile))
            {
                lines = (await File.ReadAllLinesAsync(portFile)).Where(l => l.Length > 0).ToArray();
            }
        }

        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}"), CancellationToken.None);
        return new ChromiumBrowser(process, profile, socket);
    }

    /// <summary>Opens a new tab and returns its DevTools session.</summary>
    public async Task<ChromiumPage> NewPageAsync()
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync("Target.attachToTarget", new JsonObject
        {
            ["targetId"] = target.GetProperty("targetId").GetString(),
            ["flatten"] = true,
        });
        var page = new ChromiumPage(this, attached.GetProperty("sessionId").GetString()!);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Runtime.enable");
        return page;
    }

    internal async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, string? sessionId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var answer = await reply.Task.WaitAsync(CommandTimeout);
        if (answer.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"DevTools {method} failed: {error}");
        }

        return answer.GetProperty("result");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // Chromium is killed next anyway.
        }

        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
        try
        {
            Directory.Delete(_userDataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A profile file still being released only leaves a temp directory behind.
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, _stop.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                break;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var json = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
            message.SetLength(0);
            if (json.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply))
            {
                reply.TrySetResult(json);
            }
        }

        foreach (var reply in _pending.Values)
        {
            reply.TrySetException(new InvalidOperationException("The DevTools connection closed."));
        }
    }
}

/// <summary>One tab of a <see cref="ChromiumBrowser"/>.</summary>
public sealed class ChromiumPage(ChromiumBrowser browser, string sessionId)
{
    /// <summary>Sends a DevTools command to this tab.</summary>
    public Task<JsonElement> SendAsync(string method, JsonObject? parameters = null) => browser.SendAsync(method, parameters, sessionId);

    /// <summary>Starts loading a URL.</summary>
    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>Evaluates JavaScript in the page and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"Script failed: {exception}");
        }

        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Polls a JavaScript condition until it is true; fails with the page's address and text when it never becomes so.</summary>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await TryEvaluateAsync($"!!({condition})");
            if (value is { ValueKind: JsonValueKind.True })
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var where = await TryEvaluateAsync("location.href + ' :: ' + (document.body ? document.body.innerText.slice(0, 2000) : '')");
                throw new TimeoutException($"Condition '{condition}' not met within {timeout}; page: {where}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A PNG of the visible page.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    private async Task<JsonElement?> TryEvaluateAsync(string expression)
    {
        try
        {
            return await EvaluateAsync(expression);
        }
        catch (InvalidOperationException)
        {
            // During a navigation the old context disappears; the next poll uses the new page.
            return null;
        }
    }
}
