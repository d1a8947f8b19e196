using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Infrastructure;

/// <summary>
/// The real RiskMesh host (silo and API, as <see cref="RiskMeshApp"/> wires them) started in-process on loopback with a
/// temporary data directory and free ports; disposing stops it and deletes the directory.
/// </summary>
public sealed class RiskMeshHostFixture : IAsyncLifetime
{
    private readonly string[] _extraArgs;
    private Action<WebApplicationBuilder>? _configure;
    private WebApplication? _app;

    /// <summary>A fixture with the default configuration.</summary>
    public RiskMeshHostFixture()
        : this([])
    {
    }

    // Private: xunit refuses a class or collection fixture with two public constructors, which would fail every test
    // that shares this fixture. Use Create (not started) or StartAsync (started) for extra arguments.
    private RiskMeshHostFixture(params string[] extraArgs)
    {
        _extraArgs = extraArgs;
    }

    /// <summary>A fixture, not yet started, with extra command-line arguments, e.g. <c>--RiskMesh:Api:MaxIngestBodyBytes=1000</c>.</summary>
    public static RiskMeshHostFixture Create(params string[] extraArgs) => new(extraArgs);

    /// <summary>The host's data directory.</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "riskmesh-ft-" + Guid.NewGuid().ToString("N"));

    /// <summary>The HTTP address the host bound, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The bootstrap admin key.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient Admin { get; private set; } = new();

    /// <summary>The started host's services (its grain factory, its options).</summary>
    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("the host is not started")).Services;

    /// <summary>Starts a host, waits for its admin key and returns it; the caller disposes it.</summary>
    public static async Task<RiskMeshHostFixture> StartAsync(params string[] extraArgs)
    {
        var fixture = new RiskMeshHostFixture(extraArgs);
        await fixture.InitializeAsync();
        return fixture;
    }

    /// <summary>
    /// Starts a host whose services <paramref name="configure"/> adds to before it is built (a grain call filter that
    /// holds a call, say), waits for its admin key and returns it; the caller disposes it.
    /// </summary>
    public static async Task<RiskMeshHostFixture> StartAsync(Action<WebApplicationBuilder> configure, params string[] extraArgs)
    {
        var fixture = new RiskMeshHostFixture(extraArgs) { _configure = configure };
        await fixture.InitializeAsync();
        return fixture;
    }

    /// <summary>Waits for a host's bootstrap key file and reads it.</summary>
    public static async Task<string> ReadAdminKeyAsync(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "admin.key");
        for (var i = 0; i < 600; i++)
        {
            if (File.Exists(path))
            {
                var text = (await File.ReadAllTextAsync(path)).Trim();
                if (text.Length > 0)
                {
                    return text;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} did not appear within 60 s.");
    }

    /// <summary>A client for the host with an optional API key.</summary>
    public HttpClient CreateClient(string? apiKey = null) => CreateClient(BaseAddress, apiKey);

    /// <summary>A client for an address with an optional API key.</summary>
    public static HttpClient CreateClient(Uri baseAddress, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>Issues a key of a role as admin and returns it.</summary>
    public async Task<string> CreateKeyAsync(string role)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/keys", new { role });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("key").GetString()!;
    }

    /// <summary>Sets the replay clock to a date.</summary>
    public async Task SetClockAsync(string date)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/clock", new { date });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Posts events as a JSON array.</summary>
    public Task<HttpResponseMessage> PostEventsAsync(string jsonArray, HttpClient? client = null) =>
        (client ?? Admin).PostAsync("/api/v1/events", new StringContent(jsonArray, Encoding.UTF8, "application/json"));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--RiskMesh:DataDirectory={DataDirectory}",
            $"--RiskMesh:SiloPort={TestPorts.Free()}",
            .. _extraArgs,
        ];
        var builder = RiskMeshApp.CreateBuilder(args);
        _configure?.Invoke(builder);
        var app = RiskMeshApp.Build(builder);
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal));
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        AdminKey = await ReadAdminKeyAsync(DataDirectory);
        Admin = CreateClient(AdminKey);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        DeleteDirectory(DataDirectory);
    }

    /// <summary>Deletes a temporary directory, tolerating files a finishing process still holds.</summary>
    public static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: leaving a temp directory behind is harmless.
        }
    }
}

/// <summary>The collection sharing one default <see cref="RiskMeshHostFixture"/>; tests use their own entity keys.</summary>
[CollectionDefinition(Name)]
public sealed class RiskMeshHostCollection : ICollectionFixture<RiskMeshHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "riskmesh host";
}
