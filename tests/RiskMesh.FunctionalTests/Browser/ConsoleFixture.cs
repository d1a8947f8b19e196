using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// One host with the April 2020 scenario replayed day by day (deploy/scenarios/april-2020), and one Chromium, shared
/// by the console's browser tests; each test signs in with its own key in its own browser context.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    private RiskMeshHostFixture? _host;
    private HeadlessChromium? _browser;

    /// <summary>The running host.</summary>
    public RiskMeshHostFixture Host => _host ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>The browser.</summary>
    public HeadlessChromium Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>The clock's day once the scenario is replayed.</summary>
    public DateOnly ScenarioEnd { get; private set; }

    public async Task InitializeAsync()
    {
        // Loopback webhooks are refused by default; the operator's test-send posts to a receiver in this process.
        _host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");
        foreach (var (day, lines) in ScenarioEvents())
        {
            await _host.SetClockAsync(day);
            await _host.PostNdjsonAsync(lines);
            ScenarioEnd = day;
        }

        _browser = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>Issues a key as admin.</summary>
    public async Task<string> KeyAsync(string role, params string[] cities)
    {
        var response = await Host.Admin.PostAsJsonAsync("/api/v1/keys", new { role, cities, label = $"console {role}" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/keys answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>
    /// Opens a new watched page at <paramref name="url"/> as a person would: sent to sign in, signs in with
    /// <paramref name="key"/>, and is back on the page once the console has rendered it.
    /// </summary>
    public Task<WatchedPage> OpenWithKeyAsync(string key, string url, BrowserNewContextOptions? options = null) =>
        Browser.OpenSignedInAsync(Host.BaseAddress, url, key, options);

    /// <summary>Issues a key of <paramref name="role"/> (for <paramref name="cities"/>) and opens <paramref name="url"/> signed in with it.</summary>
    public async Task<WatchedPage> OpenAsRoleAsync(string role, string url, params string[] cities) =>
        await OpenWithKeyAsync(await KeyAsync(role, cities), url);

    /// <summary>Replays the scenario on a host of a test's own as a replay does: the clock on each day, then that day's events.</summary>
    internal static async Task ReplayScenarioAsync(RiskMeshHostFixture host)
    {
        foreach (var (day, lines) in ScenarioEvents())
        {
            await host.SetClockAsync(day);
            await host.PostNdjsonAsync(lines);
        }
    }

    /// <summary>The scenario's events as NDJSON lines, by the day they concern, in day order.</summary>
    internal static SortedDictionary<DateOnly, List<string>> ScenarioEvents()
    {
        var folder = Path.Combine(RepositoryRoot(), "deploy", "scenarios", "april-2020");
        var days = new SortedDictionary<DateOnly, List<string>>();
        foreach (var line in Directory.GetFiles(folder, "*.ndjson").Order(StringComparer.Ordinal).SelectMany(File.ReadLines).Where(l => l.Trim().Length > 0))
        {
            var day = DateOnly.Parse(JsonDocument.Parse(line).RootElement.GetProperty("date").GetString()!, CultureInfo.InvariantCulture);
            if (!days.TryGetValue(day, out var lines))
            {
                days[day] = lines = [];
            }

            lines.Add(line);
        }

        return days;
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RiskMesh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No RiskMesh.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>The collection sharing <see cref="ConsoleFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
