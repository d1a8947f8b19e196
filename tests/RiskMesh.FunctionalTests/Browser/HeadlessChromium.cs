using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser is downloaded): each page records its JavaScript errors and
/// refuses, and records, any request to anywhere but the RiskMesh host under test.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    /// <summary>How long a browser test waits for anything, in milliseconds: CI runs the whole suite on two loaded cores.</summary>
    public const float Timeout = 45_000;

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The Chromium executable: <c>RISKMESH_CHROMIUM</c>, else <c>/usr/bin/chromium</c>.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("RISKMESH_CHROMIUM") is { Length: > 0 } configured
        ? configured
        : "/usr/bin/chromium";

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>Starts Chromium headless; Playwright gives every context a fresh profile.</summary>
    public static async Task<HeadlessChromium> LaunchAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {Executable}: install it (apt-get install -y chromium) or set RISKMESH_CHROMIUM.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>A fresh context (own cookies) and page on <paramref name="baseAddress"/>, watched for errors and foreign requests.</summary>
    public async Task<WatchedPage> NewPageAsync(Uri baseAddress, BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseAddress.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 800 };
        options.AcceptDownloads = true;
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(Timeout);
        var watched = new WatchedPage(context, await context.NewPageAsync(), baseAddress);
        await watched.WatchAsync();
        return watched;
    }

    /// <summary>
    /// A fresh page on <paramref name="baseAddress"/> opened at <paramref name="url"/> as a person would: sent to sign in,
    /// signs in with <paramref name="key"/>, and is back on the page once the console has rendered it.
    /// </summary>
    public Task<WatchedPage> OpenSignedInAsync(Uri baseAddress, string url, string key, BrowserNewContextOptions? options = null) =>
        OpenSignedInAsync(baseAddress, url, key, options, pauseClock: false);

    /// <summary>
    /// A fresh page on <paramref name="baseAddress"/> whose timers run on Playwright's clock, paused (see
    /// <see cref="WatchedPage.PauseClockAsync"/>), opened at <paramref name="path"/> and signed in with <paramref name="key"/>.
    /// </summary>
    public Task<WatchedPage> OpenOnPausedClockAsync(Uri baseAddress, string path, string key) =>
        OpenSignedInAsync(baseAddress, path, key, options: null, pauseClock: true);

    private async Task<WatchedPage> OpenSignedInAsync(Uri baseAddress, string url, string key, BrowserNewContextOptions? options, bool pauseClock)
    {
        var watched = await NewPageAsync(baseAddress, options);
        try
        {
            if (pauseClock)
            {
                await watched.PauseClockAsync();
            }

            await watched.Page.GotoAsync(url);
            await watched.SignInAsync(key);

            // The console marks a page ready by its path, without the query.
            await watched.WaitForConsoleAsync(url.Split('?')[0]);
            return watched;
        }
        catch
        {
            await watched.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}

/// <summary>A page with what went wrong on it: uncaught script errors, console errors, and requests that left RiskMesh.</summary>
public sealed class WatchedPage(IBrowserContext context, IPage page, Uri baseAddress) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _scriptErrors = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _foreignRequests = new();

    /// <summary>The page.</summary>
    public IPage Page { get; } = page;

    /// <summary>The context (cookies, downloads).</summary>
    public IBrowserContext Context { get; } = context;

    /// <summary>Uncaught exceptions and unhandled rejections in the page's scripts.</summary>
    public IReadOnlyCollection<string> ScriptErrors => _scriptErrors;

    /// <summary>Console messages of type error (a failed resource load is one).</summary>
    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors;

    /// <summary>Requests to any origin but RiskMesh's, refused before they left.</summary>
    public IReadOnlyCollection<string> ForeignRequests => _foreignRequests;

    internal async Task WatchAsync()
    {
        Page.PageError += (_, error) => _scriptErrors.Enqueue(error);
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        await Context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            var local = url.Scheme is "data" or "blob"
                || (url.Scheme == baseAddress.Scheme && url.Host == baseAddress.Host && url.Port == baseAddress.Port);
            if (local)
            {
                await route.ContinueAsync();
                return;
            }

            _foreignRequests.Enqueue(route.Request.Url);
            await route.AbortAsync("blockedbyclient");
        });
    }

    /// <summary>
    /// Puts the page's timers on Playwright's clock, paused a second from now, before the page is opened: its own timed
    /// work (the inbox's minute's read, a refused stream's retry) happens only when a test runs the clock on.
    /// </summary>
    public async Task PauseClockAsync()
    {
        var start = DateTime.UtcNow;
        await Page.Clock.InstallAsync(new() { TimeDate = start });
        await Page.Clock.PauseAtAsync(start.AddSeconds(1));
    }

    /// <summary>Signs in through the form the way a person would, from wherever the browser was sent.</summary>
    public async Task SignInAsync(string key)
    {
        await WaitForPathAsync("/signin");
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Waits until the page's address has the path <paramref name="path"/> (any query or fragment), such as after a click that navigates.</summary>
    /// <remarks>
    /// Not <c>Page.WaitForURLAsync</c>: Playwright for .NET (1.64) first checks what it last heard (the address, then
    /// whether <c>load</c> came) and only afterwards subscribes to the event, which another thread delivers; an event
    /// landing in between is lost, and the wait times out on the very page it wanted. A click that navigates returns
    /// just as the new page's <c>load</c> arrives, right in that gap. Here the driver polls the page's own address, so
    /// nothing can be missed; it does not wait for <c>load</c> (locators and <c>GotoAsync</c> wait for what they need).
    /// </remarks>
    public Task WaitForPathAsync(string path, float timeout = HeadlessChromium.Timeout) =>
        Assertions.Expect(Page).ToHaveURLAsync(PathPattern(path), new PageAssertionsToHaveURLOptions { Timeout = timeout });

    /// <summary>An absolute address whose path is exactly <paramref name="path"/>, with any query or fragment.</summary>
    public static Regex PathPattern(string path) => new($"^[a-z][a-z0-9+.-]*://[^/?#]*{Regex.Escape(path)}(?:[?#]|$)");

    /// <summary>Waits until the console has rendered the page at <paramref name="path"/>.</summary>
    /// <remarks>A locator, not a page function: the console's content security policy forbids the eval that polling functions need.</remarks>
    public Task WaitForConsoleAsync(string path) =>
        Page.Locator($"body[data-ready='{path}']").WaitForAsync();

    /// <summary>Fails the test on any script error, any console error not matched by <paramref name="expected"/>, and any foreign request.</summary>
    public void AssertClean(params string[] expected)
    {
        Assert.True(_scriptErrors.IsEmpty, "JavaScript errors: " + string.Join(" | ", _scriptErrors));
        var unexpected = _consoleErrors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "console errors: " + string.Join(" | ", unexpected));
        Assert.True(_foreignRequests.IsEmpty, "requests that would have left RiskMesh: " + string.Join(" | ", _foreignRequests));
    }

    /// <summary>Saves a screenshot under the test output's <c>screenshots</c> folder and, when <c>RISKMESH_SCREENSHOTS_DIR</c> is set, there too.</summary>
    public async Task<byte[]> ScreenshotAsync(string name, bool fullPage = false)
    {
        var png = await Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = fullPage });
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, name), png);
        if (Environment.GetEnvironmentVariable("RISKMESH_SCREENSHOTS_DIR") is { Length: > 0 } published)
        {
            Directory.CreateDirectory(published);
            await File.WriteAllBytesAsync(Path.Combine(published, name), png);
        }

        return png;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
